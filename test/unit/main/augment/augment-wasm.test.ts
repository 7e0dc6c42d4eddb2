import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPreset, type PresetName } from '../../../../shared/augment/augment-presets';
import { createAugmenter, type AugmentEngine } from '../../../../main/augment/create-augmenter';
import { mixSeed, createRng } from '../../../../shared/random/seeded-random';
import type { SectorInfo } from '../../../../main/augment/sector-detect';
import { tf } from './augment-test-setup';

const fan: SectorInfo = {
  found: true,
  polygon: [
    [0.45, 0.05],
    [0.55, 0.05],
    [0.98, 0.95],
    [0.02, 0.95],
  ],
  bbox: { x0: 0.02, y0: 0.05, x1: 0.98, y1: 0.95 },
  coverage: 0.5,
};

/** Runs a preset on one backend and engine and returns its output values. */
const runOn = async (
  backend: 'cpu' | 'wasm',
  engine: AugmentEngine,
  preset: PresetName,
): Promise<Float32Array> => {
  await tf.setBackend(backend);
  await tf.ready();
  const rng = createRng(17);
  const x = tf.tensor4d(
    Float32Array.from({ length: 3 * 28 * 28 }, () => rng.next()),
    [3, 28, 28, 1],
  );
  const out = createAugmenter(buildPreset(preset, { outputSize: 24 }), { engine }).augment(x, {
    seed: mixSeed(5, 2, 1),
    sectors: [fan, fan, null],
  });
  const values = out.images.dataSync() as Float32Array;
  tf.dispose([x, out.images]);
  return values;
};

const maxAbsDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('backends and engines agree (same seed → same pixels up to float rounding)', () => {
  for (const preset of ['paper', 'ultrasound-default', 'none'] as const) {
    it(preset, async () => {
      const reference = await runOn('cpu', 'tfjs', preset);
      expect(reference.length).toBe(3 * 24 * 24 * 3);
      // Output in [-1, 1]. Measured differences: 3-4e-6 (float32 coordinate and pow/exp rounding
      // differ between the JS loops, tfjs-backend-cpu and the C++ wasm kernels).
      for (const [backend, engine] of [
        ['wasm', 'tfjs'],
        ['wasm', 'js'],
        ['wasm', 'hybrid'],
        ['cpu', 'js'],
      ] as const) {
        expect(
          maxAbsDiff(await runOn(backend, engine, preset), reference),
          `${backend}/${engine}`,
        ).toBeLessThan(1e-4);
      }
    });
  }
});
