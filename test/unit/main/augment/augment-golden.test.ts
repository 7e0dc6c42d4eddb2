import { beforeAll, describe, expect, it } from 'vitest';
import { createAugmenter as create, type AugmentEngine } from '../../../../main/augment/create-augmenter';
import { asIndices, bare, ramp, tf, useCpu } from './augment-test-setup';

// Golden pixels on a 4×4 ramp whose pixel (x, y) holds index y·4 + x:
//    0  1  2  3
//    4  5  6  7
//    8  9 10 11
//   12 13 14 15
// Expected outputs below are this grid rotated/flipped/cropped by hand.

beforeAll(useCpu);

// Every test runs on each execution path: JS loops, tfjs ops, and tfjs geometry + JS (cpu backend).
describe.each(['js', 'tfjs', 'hybrid'] as AugmentEngine[])('%s engine', (engine) => {
  const createAugmenter: typeof create = (config, options) => create(config, { engine, ...options });

  const run = (config: Parameters<typeof createAugmenter>[0], seed = 7, img = ramp(4, 4)) => {
    const out = createAugmenter(config).augment(img, { seed });
    const values = asIndices(out.images, 16);
    const shape = out.images.shape;
    out.images.dispose();
    img.dispose();
    return { values, shape, params: out.params };
  };

  describe('geometric steps give known pixels', () => {
    it('horizontal flip mirrors each row', () => {
      expect(run(bare(4, [{ kind: 'hflip', p: 1 }])).values).toEqual([
        3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
      ]);
    });

    it('vertical flip mirrors the rows', () => {
      expect(run(bare(4, [{ kind: 'vflip', p: 1 }])).values).toEqual([
        12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3,
      ]);
    });

    it('p = 0 leaves the image as is', () => {
      expect(run(bare(4, [{ kind: 'hflip', p: 0 }])).values).toEqual([...Array(16).keys()]);
    });

    it('rotation by +90° turns the image counter-clockwise (right column becomes top row)', () => {
      const { values, params } = run(bare(4, [{ kind: 'rotation', p: 1, degrees: [90, 90] }]));
      expect(values).toEqual([3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12]);
      expect(params[0].steps[0].values.degrees).toBe(90);
    });

    it('rotation by -90° turns it clockwise', () => {
      const { values } = run(bare(4, [{ kind: 'rotation', p: 1, degrees: [-90, -90] }]));
      expect(values).toEqual([12, 8, 4, 0, 13, 9, 5, 1, 14, 10, 6, 2, 15, 11, 7, 3]);
    });

    it('rotation by 180° reverses the pixel order', () => {
      const { values } = run(bare(4, [{ kind: 'rotation', p: 1, degrees: [180, 180] }]));
      expect(values).toEqual([...Array(16).keys()].reverse());
    });

    it('a 2×2 crop copies the block at the drawn offset, exactly', () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const { values, params, shape } = run(bare(2, [{ kind: 'crop', size: 2 }]), seed);
        const { x, y } = params[0].steps[0].values as { x: number; y: number };
        expect(shape).toEqual([1, 2, 2, 1]);
        expect(values).toEqual([y * 4 + x, y * 4 + x + 1, (y + 1) * 4 + x, (y + 1) * 4 + x + 1]);
      }
    });

    it('a crop confined to a 2×2 sector always takes that block', () => {
      // Sector = the normalised box [0.5, 1] × [0, 0.5]: pixels x 2..3, y 0..1 → indices 2, 3, 6, 7.
      const sector = {
        found: true,
        polygon: [
          [0.5, 0],
          [1, 0],
          [1, 0.5],
          [0.5, 0.5],
        ] as Array<[number, number]>,
        bbox: { x0: 0.5, y0: 0, x1: 1, y1: 0.5 },
        coverage: 0.25,
      };
      const aug = createAugmenter(bare(2, [{ kind: 'crop', size: 2, region: 'sector-bbox' }]));
      for (const seed of [11, 12, 13]) {
        const img = ramp(4, 4);
        const out = aug.augment(img, { seed, sectors: [sector] });
        expect(asIndices(out.images, 16)).toEqual([2, 3, 6, 7]);
        tf.dispose([img, out.images]);
      }
    });

    it('rotation then crop compose in order: crop of the rotated grid', () => {
      const { values, params } = run(
        bare(2, [
          { kind: 'rotation', p: 1, degrees: [90, 90] },
          { kind: 'crop', size: 2 },
        ]),
        3,
      );
      const { x, y } = params[0].steps[1].values as { x: number; y: number };
      const rotated = [3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12];
      const at = (cx: number, cy: number) => rotated[cy * 4 + cx];
      expect(values).toEqual([at(x, y), at(x + 1, y), at(x, y + 1), at(x + 1, y + 1)]);
    });

    it('resize uses half-pixel centres (matches tf.image.resizeBilinear with halfPixelCenters)', () => {
      // 8×8 → 4×4: output pixel (x, y) samples input (2x + 0.5, 2y + 0.5), the mean of a 2×2 block;
      // e.g. out(0,0) = (0 + 1 + 8 + 9) / 4 / 63 = 4.5 / 63.
      const img = ramp(8, 8);
      const out = createAugmenter(bare(4, [{ kind: 'resize', size: 4, keepAspect: false }])).augment(img, {
        seed: 1,
      });
      const ref = tf.image.resizeBilinear(img, [4, 4], false, true);
      const got = out.images.dataSync();
      expect(got[0]).toBeCloseTo(4.5 / 63, 6);
      expect(Array.from(got)).toEqual(Array.from(ref.dataSync()).map((v) => expect.closeTo(v, 6)));
      tf.dispose([img, out.images, ref]);
    });

    it('keepAspect resizes the shorter side, then the output is forced square', () => {
      const aug = createAugmenter(bare(4, [{ kind: 'resize', size: 4, keepAspect: true }]));
      const p = aug.plan(1, 8, 16, 1);
      expect(p.params[0].steps[0].values).toEqual({ height: 4, width: 8 });
      expect([p.outH, p.outW]).toEqual([4, 4]);
    });
  });

  describe('model output', () => {
    it('repeats grey to 3 channels and maps [0,1] to the backbone range', () => {
      const img = tf.tensor4d([0, 0.5, 1, 0.25], [1, 2, 2, 1]);
      const out = createAugmenter({
        outputSize: 2,
        steps: [],
        normalize: { mode: 'range', min: -1, max: 1 },
      }).augment(img, { seed: 1 });
      expect(out.images.shape).toEqual([1, 2, 2, 3]);
      expect(Array.from(out.images.dataSync())).toEqual([-1, -1, -1, 0, 0, 0, 1, 1, 1, -0.5, -0.5, -0.5]);
      tf.dispose([img, out.images]);
    });

    it('mean/std normalisation per channel (ImageNet constants)', () => {
      const img = tf.fill([1, 1, 1, 1], 0.5) as tf.Tensor4D;
      const out = createAugmenter({
        outputSize: 1,
        steps: [],
        normalize: { mode: 'mean-std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
      }).augment(img, { seed: 1 });
      // (0.5 − mean) / std per channel.
      expect(Array.from(out.images.dataSync())).toEqual([
        expect.closeTo(0.0655, 4),
        expect.closeTo(0.1964, 4),
        expect.closeTo(0.4178, 4),
      ]);
      tf.dispose([img, out.images]);
    });
  });
});
