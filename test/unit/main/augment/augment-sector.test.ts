import { beforeAll, describe, expect, it } from 'vitest';
import { createAugmenter as create, type AugmentEngine } from '../../../../main/augment/create-augmenter';
import { fullFrameSector, type SectorInfo } from '../../../../main/augment/sector-detect';
import { tf, useCpu } from './augment-test-setup';

beforeAll(useCpu);

// Every test runs on each execution path: JS loops, tfjs ops, and tfjs geometry + JS (cpu backend).
describe.each(['js', 'tfjs', 'hybrid'] as AugmentEngine[])('%s engine', (engine) => {
  const createAugmenter: typeof create = (config, options) => create(config, { engine, ...options });

  const fullFrame: SectorInfo = { ...fullFrameSector(), found: true };

  /** Count of exactly-zero values (fill/background entering the picture). */
  const zeros = (t: tf.Tensor) => Array.from(t.dataSync()).filter((v) => v === 0).length;

  describe('ultrasound-aware geometry', () => {
    // A 32×32 frame entirely filled with scan (as BUSI crops): any 0 after augmentation is fill.
    const scan = () => tf.fill([4, 32, 32, 1], 0.5) as tf.Tensor4D;
    const steps = (region: 'frame' | 'sector-inscribed') => [
      { kind: 'rotation' as const, p: 1, degrees: [20, 30] as [number, number] },
      { kind: 'resized-crop' as const, size: 16, scale: [0.9, 1] as [number, number], region },
    ];

    it('a rotated frame cropped anywhere shows the fill in the corners', () => {
      const out = createAugmenter({
        outputSize: 16,
        outputChannels: 1,
        normalize: { mode: 'none' },
        steps: steps('frame'),
      }).augment(scan(), { seed: 9, sectors: Array(4).fill(fullFrame) });
      expect(zeros(out.images)).toBeGreaterThan(4 * 10);
      out.images.dispose();
    });

    it('crops inscribed in the rotated sector never contain fill', () => {
      const x = scan();
      const out = createAugmenter({
        outputSize: 16,
        outputChannels: 1,
        normalize: { mode: 'none' },
        steps: steps('sector-inscribed'),
      }).augment(x, { seed: 9, sectors: Array(4).fill(fullFrame) });
      expect(zeros(out.images)).toBe(0);
      // Every image is still pure scan: 0.5 everywhere (bilinear inside a constant region).
      expect(Array.from(out.images.dataSync()).every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
      tf.dispose([x, out.images]);
    });

    it('the geometry of every image in a batch is applied (not only the first one)', () => {
      // Guards the tfjs-backend-cpu 4.22 Transform bug worked around in run-plan.ts.
      const x = tf.tensor4d(
        Array.from({ length: 2 * 16 }, (_, i) => (i % 16) / 15),
        [2, 4, 4, 1],
      );
      const out = createAugmenter({
        outputSize: 4,
        outputChannels: 1,
        normalize: { mode: 'none' },
        steps: [{ kind: 'rotation', p: 1, degrees: [180, 180] }],
      }).augment(x, { seed: 1 });
      const v = Array.from(out.images.dataSync()).map((a) => Math.round(a * 15));
      const reversed = [...Array(16).keys()].reverse();
      expect(v).toEqual([...reversed, ...reversed]);
      tf.dispose([x, out.images]);
    });
  });

  describe('sector and overlay masking', () => {
    // 8×8 frame: the sector is the left half (x < 4); the right half holds "burned-in text" (1.0).
    const img = () =>
      tf.tensor4d(
        Array.from({ length: 64 }, (_, i) => (i % 8 < 4 ? 0.5 : 1)),
        [1, 8, 8, 1],
      );
    const leftHalf: SectorInfo = {
      found: true,
      polygon: [
        [0, 0],
        [0.5, 0],
        [0.5, 1],
        [0, 1],
      ],
      bbox: { x0: 0, y0: 0, x1: 0.5, y1: 1 },
      coverage: 0.5,
    };

    it('maskOutside zeroes everything outside the sector, keeps the inside', () => {
      const x = img();
      const out = createAugmenter({
        outputSize: 8,
        outputChannels: 1,
        normalize: { mode: 'none' },
        sector: { maskOutside: true },
        steps: [],
      }).augment(x, { seed: 1, sectors: [leftHalf] });
      const v = Array.from(out.images.dataSync());
      expect(v.filter((_, i) => i % 8 < 4).every((a) => a === 0.5)).toBe(true);
      expect(v.filter((_, i) => i % 8 >= 4).every((a) => a === 0)).toBe(true);
      tf.dispose([x, out.images]);
    });

    it('overlay rectangles are blanked even without a sector', () => {
      const x = img();
      const out = createAugmenter({
        outputSize: 8,
        outputChannels: 1,
        normalize: { mode: 'none' },
        sector: { overlayRects: [{ x0: 0, y0: 0, x1: 0.25, y1: 0.25 }] },
        steps: [{ kind: 'hflip', p: 1 }],
      }).augment(x, { seed: 1 });
      const v = Array.from(out.images.dataSync());
      // The 2×2 top-left rectangle moves to the top-right with the flip: pixels (6..7, 0..1).
      const blanked = v.map((a, i) => (a === 0 ? i : -1)).filter((i) => i >= 0);
      expect(blanked).toEqual([6, 7, 14, 15]);
      tf.dispose([x, out.images]);
    });
  });
});
