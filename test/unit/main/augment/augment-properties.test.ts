import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AugmentConfigInput } from '../../../../shared/augment/augment-config';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import { createAugmenter } from '../../../../main/augment/create-augmenter';
import { mixSeed, createRng } from '../../../../shared/random/seeded-random';
import type { SectorInfo } from '../../../../main/augment/sector-detect';
import { tf, useCpu } from './augment-test-setup';

beforeAll(useCpu);

/** Seeded uniform [0,1) pixels, so a failing property reproduces from its seed. */
const randomBatch = (seed: number, b: number, h: number, w: number, c: number): tf.Tensor4D => {
  const rng = createRng(seed);
  return tf.tensor4d(
    Float32Array.from({ length: b * h * w * c }, () => rng.next()),
    [b, h, w, c],
  );
};

const sector: SectorInfo = {
  found: true,
  polygon: [
    [0.5, 0.05],
    [0.95, 0.9],
    [0.05, 0.9],
  ],
  bbox: { x0: 0.05, y0: 0.05, x1: 0.95, y1: 0.9 },
  coverage: 0.4,
};

/** Uniform on a 1/1000 grid of [lo, hi] (fc.double favours denormals and edges, not typical values). */
const between = (lo: number, hi: number) =>
  fc.integer({ min: 0, max: 1000 }).map((i) => lo + ((hi - lo) * i) / 1000);
const pr = between(0, 1);
const rangeIn = (lo: number, hi: number) =>
  fc
    .tuple(between(lo, hi), between(lo, hi))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]);

const step = fc.oneof(
  fc.record({
    kind: fc.constant('resize' as const),
    size: fc.integer({ min: 2, max: 12 }),
    keepAspect: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('rotation' as const),
    p: pr,
    degrees: between(0, 180),
    center: fc.constantFrom('image' as const, 'sector' as const),
    fill: fc.constantFrom('constant' as const, 'reflect' as const, 'nearest' as const),
  }),
  fc.record({
    kind: fc.constant('crop' as const),
    size: fc.integer({ min: 1, max: 12 }),
    region: fc.constantFrom('frame' as const, 'sector-bbox' as const, 'sector-inscribed' as const),
  }),
  fc.record({
    kind: fc.constant('resized-crop' as const),
    size: fc.integer({ min: 2, max: 12 }),
    scale: rangeIn(0.05, 1),
    ratio: rangeIn(0.3, 3),
    region: fc.constantFrom('frame' as const, 'sector-bbox' as const, 'sector-inscribed' as const),
  }),
  fc.record({ kind: fc.constantFrom('hflip' as const, 'vflip' as const), p: pr }),
  fc.record({
    kind: fc.constantFrom('brightness' as const, 'contrast' as const),
    p: pr,
    range: rangeIn(0, 4),
  }),
  fc.record({ kind: fc.constant('gamma' as const), p: pr, range: rangeIn(0.1, 5) }),
  fc.record({ kind: fc.constant('depth-gain' as const), p: pr, maxDb: between(0, 24) }),
  fc.record({
    kind: fc.constant('speckle' as const),
    p: pr,
    sigma: rangeIn(0, 1),
    grain: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant('blur' as const), p: pr, sigma: rangeIn(0, 3) }),
  fc.record({
    kind: fc.constant('cutout' as const),
    p: pr,
    count: fc.integer({ min: 1, max: 3 }),
    size: rangeIn(0.05, 1),
  }),
);

const config = fc.record({
  outputSize: fc.integer({ min: 2, max: 10 }),
  outputChannels: fc.constantFrom(1 as const, 3 as const),
  sector: fc.record({
    maskOutside: fc.boolean(),
    overlayRects: fc.array(
      fc
        .tuple(rangeIn(0, 1), rangeIn(0, 1))
        .filter(([[x0, x1], [y0, y1]]) => x0 < x1 && y0 < y1)
        .map(([[x0, x1], [y0, y1]]) => ({ x0, y0, x1, y1 })),
      { maxLength: 2 },
    ),
  }),
  steps: fc.array(step, { maxLength: 5 }),
  normalize: fc.constantFrom(
    { mode: 'none' as const },
    { mode: 'range' as const, min: -1, max: 1 },
    { mode: 'mean-std' as const, mean: [0.5], std: [0.25] },
  ),
}) as fc.Arbitrary<AugmentConfigInput>;

describe('properties over random configs and images', () => {
  it('labels are untouched, outputs finite, display values within [0,1], no tensors leak', () => {
    fc.assert(
      fc.property(
        config,
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 3, max: 10 }),
        fc.integer({ min: 3, max: 10 }),
        fc.constantFrom(1, 3),
        fc.nat(),
        fc.boolean(),
        (cfg, b, h, w, c, seed, withSector) => {
          const images = randomBatch(seed, b, h, w, c);
          const labels = tf.tensor1d(
            Array.from({ length: b }, (_, i) => i % 2),
            'int32',
          );
          const labelsBefore = Array.from(labels.dataSync());
          const before = tf.memory().numTensors;
          const aug = createAugmenter(cfg);
          const sectors = Array.from({ length: b }, () => (withSector ? sector : null));
          const model = aug.augment(images, { seed, labels, sectors });
          const display = aug.augment(images, { seed, sectors, output: 'display' });
          const S = aug.config.outputSize;
          expect(model.images.shape).toEqual([b, S, S, aug.config.outputChannels]);
          expect(model.images.dataSync().every(Number.isFinite)).toBe(true);
          const shown = display.images.dataSync();
          expect(shown.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
          expect(model.labels).toBe(labels);
          expect(labels.isDisposed).toBe(false);
          expect(Array.from(labels.dataSync())).toEqual(labelsBefore);
          expect(images.isDisposed).toBe(false);
          tf.dispose([model.images, display.images]);
          expect(tf.memory().numTensors).toBe(before);
          tf.dispose([images, labels]);
        },
      ),
      { numRuns: 150, seed: 20251 },
    );
  });

  it('every single step keeps display values within [0,1] and finite', () => {
    fc.assert(
      fc.property(step, fc.integer({ min: 3, max: 9 }), fc.nat(), (s, size, seed) => {
        const images = randomBatch(seed, 2, size, size, 1);
        const out = createAugmenter({ outputSize: 6, steps: [s] }).augment(images, {
          seed,
          output: 'display',
        });
        const v = out.images.dataSync();
        tf.dispose([images, out.images]);
        expect(v.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)).toBe(true);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('execution paths', () => {
  it('the js, tfjs and hybrid engines give the same pixels on random configs', () => {
    fc.assert(
      fc.property(
        config,
        fc.integer({ min: 3, max: 10 }),
        fc.nat(),
        fc.boolean(),
        (cfg, size, seed, withSector) => {
          const images = randomBatch(seed, 2, size, size + 1, 1);
          const sectors = [withSector ? sector : null, sector];
          const js = createAugmenter(cfg, { engine: 'js' }).augment(images, { seed, sectors });
          const tfjs = createAugmenter(cfg, { engine: 'tfjs' }).augment(images, { seed, sectors });
          const hybrid = createAugmenter(cfg, { engine: 'hybrid' }).augment(images, { seed, sectors });
          const a = js.images.dataSync();
          const b = tfjs.images.dataSync();
          const c = hybrid.images.dataSync();
          tf.dispose([images, js.images, tfjs.images, hybrid.images]);
          expect(Array.from(c).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)).toBeLessThan(1e-5);
          // Same float32 arithmetic in a different order: differences are rounding (~1e-7).
          expect(Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 80, seed: 99 },
    );
  });
});

describe('seeding', () => {
  const paper = buildPreset('paper', { outputSize: 8 });
  const img = () => randomBatch(1, 4, 10, 10, 1);

  it('the same seed gives the same parameters and the same pixels', () => {
    const x = img();
    const aug = createAugmenter(paper);
    const a = aug.augment(x, { seed: mixSeed(42, 1, 3) });
    const b = aug.augment(x, { seed: mixSeed(42, 1, 3) });
    expect(b.params).toEqual(a.params);
    expect(Array.from(b.images.dataSync())).toEqual(Array.from(a.images.dataSync()));
    tf.dispose([x, a.images, b.images]);
  });

  it('a different batch index, epoch or run seed draws differently', () => {
    const aug = createAugmenter(paper);
    const angles = (seed: number) => aug.plan(4, 10, 10, seed).params.map((p) => p.steps[1].values.degrees);
    const base = angles(mixSeed(42, 1, 3));
    for (const other of [mixSeed(42, 1, 4), mixSeed(42, 2, 3), mixSeed(43, 1, 3)]) {
      expect(angles(other)).not.toEqual(base);
    }
  });

  it("an image's draw does not depend on the batch size or on other steps' settings", () => {
    const seed = mixSeed(7, 0, 0);
    const small = createAugmenter(paper).plan(2, 10, 10, seed).params;
    const large = createAugmenter(paper).plan(6, 10, 10, seed).params;
    expect(large.slice(0, 2)).toEqual(small);
    const edited = createAugmenter({
      ...paper,
      steps: paper.steps.map((s) => (s.kind === 'rotation' ? { ...s, degrees: 5 } : s)),
    });
    const crops = (ps: typeof small) => ps.map((p) => p.steps[2].values);
    expect(crops(edited.plan(2, 10, 10, seed).params)).toEqual(crops(small));
  });

  it('no tensors leak across repeated calls', () => {
    const x = img();
    const aug = createAugmenter(buildPreset('ultrasound-default', { outputSize: 8 }));
    tf.dispose(aug.augment(x, { seed: 1 }).images); // warm-up (backend-level caches)
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++)
      tf.dispose(aug.augment(x, { seed: i, sectors: [sector, null, sector, null] }).images);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
