import { beforeAll, describe, expect, it } from 'vitest';
import { createAugmenter as create, type AugmentEngine } from '../../../../main/augment/create-augmenter';
import { bare, tf, useCpu } from './augment-test-setup';

beforeAll(useCpu);

// Every test runs on each execution path: JS loops, tfjs ops, and tfjs geometry + JS (cpu backend).
describe.each(['js', 'tfjs', 'hybrid'] as AugmentEngine[])('%s engine', (engine) => {
  const createAugmenter: typeof create = (config, options) => create(config, { engine, ...options });

  const constant = (value: number, h = 4, w = 4) => tf.fill([1, h, w, 1], value) as tf.Tensor4D;

  const values = (config: Parameters<typeof createAugmenter>[0], img: tf.Tensor4D, seed = 5) => {
    const out = createAugmenter(config).augment(img, { seed });
    const v = Array.from(out.images.dataSync());
    tf.dispose([out.images, img]);
    return { v, params: out.params };
  };

  describe('photometric steps', () => {
    it('brightness multiplies and clips to 1', () => {
      // 0.3·2 = 0.6; 0.6·2 = 1.2 → clipped to 1.
      expect(values(bare(4, [{ kind: 'brightness', p: 1, range: [2, 2] }]), constant(0.3)).v[0]).toBeCloseTo(
        0.6,
        6,
      );
      expect(values(bare(4, [{ kind: 'brightness', p: 1, range: [2, 2] }]), constant(0.6)).v[0]).toBe(1);
    });

    it('contrast 0 flattens to the image mean', () => {
      const img = tf.tensor4d([0, 0.2, 0.4, 0.6], [1, 2, 2, 1]); // mean 0.3
      const { v } = values(bare(2, [{ kind: 'contrast', p: 1, range: [0, 0] }]), img);
      v.forEach((x) => expect(x).toBeCloseTo(0.3, 6));
    });

    it('gamma 2 squares', () => {
      expect(values(bare(4, [{ kind: 'gamma', p: 1, range: [2, 2] }]), constant(0.5)).v[0]).toBeCloseTo(
        0.25,
        6,
      );
    });

    it('depth gain is a monotonic per-row ramp matching the drawn slope', () => {
      const { v, params } = values(bare(4, [{ kind: 'depth-gain', p: 1, maxDb: 6 }]), constant(0.5));
      const slope = params[0].steps[0].values.slopeDb as number;
      // Row j gain = 10^(slope·((j + 0.5)/4 − 0.5)/20): row 0 at −3/8 of the slope, row 3 at +3/8.
      expect(v[0]).toBeCloseTo(0.5 * 10 ** ((slope * -0.375) / 20), 5);
      expect(v[12]).toBeCloseTo(0.5 * 10 ** ((slope * 0.375) / 20), 5);
      const rows = [0, 4, 8, 12].map((i) => v[i]);
      const sorted = [...rows].sort((a, b) => (slope > 0 ? a - b : b - a));
      expect(rows).toEqual(sorted);
    });

    it('speckle is multiplicative: black stays black, mean roughly kept', () => {
      const img = tf.concat([constant(0, 16, 16), constant(0.5, 16, 16)]) as tf.Tensor4D;
      const out = createAugmenter(bare(16, [{ kind: 'speckle', p: 1, sigma: [0.1, 0.1], grain: 1 }])).augment(
        img,
        {
          seed: 3,
        },
      );
      const [black, grey] = tf.unstack(out.images).map((t) => Array.from(t.dataSync()));
      expect(black.every((x) => x === 0)).toBe(true);
      const mean = grey.reduce((a, b) => a + b, 0) / grey.length;
      expect(mean).toBeGreaterThan(0.47); // 256 samples of 0.5·(1 + 0.1·N): sd of the mean ≈ 0.003
      expect(mean).toBeLessThan(0.53);
      expect(new Set(grey).size).toBeGreaterThan(200);
      tf.dispose([img, out.images]);
    });

    it('blur keeps a constant image constant (reflect padding) and spreads an impulse', () => {
      const flat = values(bare(6, [{ kind: 'blur', p: 1, sigma: [1, 1] }]), constant(0.7, 6, 6)).v;
      flat.forEach((x) => expect(x).toBeCloseTo(0.7, 5));
      const impulse = new Float32Array(81);
      impulse[40] = 1; // centre of 9×9: its mirror images lie beyond the radius-3 kernel's reach
      const { v } = values(
        bare(9, [{ kind: 'blur', p: 1, sigma: [1, 1] }]),
        tf.tensor4d(impulse, [1, 9, 9, 1]),
      );
      // Separable Gaussian, sigma 1, radius 3: centre = (1/Σ e^{-k²/2})² = 0.3990² ≈ 0.1592.
      expect(v[40]).toBeCloseTo(0.1592, 3);
      expect(v.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    });

    it('blur uses a per-image sigma in one batch', () => {
      const impulse = new Float32Array(2 * 49);
      impulse[24] = 1;
      impulse[49 + 24] = 1;
      const out = createAugmenter(bare(7, [{ kind: 'blur', p: 0.5, sigma: [1, 1] }])).augment(
        tf.tensor4d(impulse, [2, 7, 7, 1]),
        { seed: 4 },
      );
      const d = out.images.dataSync();
      out.params.forEach((p, i) => expect(d[i * 49 + 24]).toBeCloseTo(p.steps[0].applied ? 0.1592 : 1, 3));
      out.images.dispose();
    });

    it('cutout blanks exactly the drawn box', () => {
      const { v, params } = values(
        bare(8, [{ kind: 'cutout', p: 1, count: 1, size: [0.5, 0.5], value: 0 }]),
        constant(1, 8, 8),
      );
      const [x, y, w, h] = params[0].steps[0].values.boxes as number[];
      let expected = 0;
      for (let j = 0; j < 8; j++)
        for (let i = 0; i < 8; i++)
          if (i + 0.5 >= x && i + 0.5 < x + w && j + 0.5 >= y && j + 0.5 < y + h) expected++;
      expect(expected).toBeGreaterThan(0);
      expect(v.filter((a) => a === 0).length).toBe(expected);
    });
  });
});
