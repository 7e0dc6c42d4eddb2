import { describe, expect, it } from 'vitest';
import { epochLearningRate, smoothTargets } from '../../../../main/runs/stage1-finetune';

describe('stage-1 learning-rate schedule', () => {
  it('decays by a half cosine over the epochs, starting at the base rate', () => {
    const opts = { learningRate: 3e-4, schedule: 'cosine' as const, epochs: 10 };
    expect(epochLearningRate(opts, 1)).toBeCloseTo(3e-4, 12);
    expect(epochLearningRate(opts, 6)).toBeCloseTo(1.5e-4, 12);
    expect(epochLearningRate(opts, 10)).toBeCloseTo((3e-4 * (1 + Math.cos((Math.PI * 9) / 10))) / 2, 12);
    const rates = Array.from({ length: 10 }, (_, e) => epochLearningRate(opts, e + 1));
    for (let e = 1; e < 10; e++) expect(rates[e]!).toBeLessThan(rates[e - 1]!);
  });

  it('keeps the rate with the constant schedule', () => {
    expect(epochLearningRate({ learningRate: 5e-4, schedule: 'constant', epochs: 5 }, 4)).toBe(5e-4);
  });
});

describe('stage-1 label smoothing', () => {
  it('moves ε of each row to a uniform share and keeps rows summing to 1', () => {
    const y = smoothTargets(Float32Array.from([1, 0, 0, 0, 0, 1]), 3, 0.3);
    expect(Array.from(y)).toEqual([0.8, 0.1, 0.1, 0.1, 0.1, 0.8].map(Math.fround));
    expect(Array.from(smoothTargets(Float32Array.from([0, 1]), 2, 0))).toEqual([0, 1]);
  });
});

describe('stage-1 fine-tuning loop', () => {
  it('halves the rows per step when the backend runs out of memory, and keeps training', async () => {
    const { fineTuneStage1 } = await import('../../../../main/runs/stage1-finetune');
    const { createAugmenter } = await import('../../../../main/augment/create-augmenter');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const steps: number[] = [];
    const trainer = {
      granularity: 1,
      description: 'fake',
      weightNames: ['w'],
      step: async (_x: Float32Array, shape: number[]) => {
        if (shape[0]! > 2) throw new Error('OOM when allocating tensor with shape [4,112,112,32]');
        steps.push(shape[0]!);
        return 0.5;
      },
      predict: async (_x: Float32Array, shape: number[]) =>
        Float32Array.from({ length: shape[0]! * 2 }, (_, i) => (i % 2 === 0 ? 0.8 : 0.2)),
      weights: async () => [new Float32Array(1)],
      setWeights: async () => undefined,
      syncReplicas: async () => undefined,
      setLearningRate: async () => undefined,
      dispose: async () => undefined,
    };
    const raw = Array.from({ length: 10 }, () => ({
      data: new Uint8Array(16 * 16),
      width: 16,
      height: 16,
      channels: 1 as const,
    }));
    const sectors = raw.map(() => ({
      polygon: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ] as [number, number][],
      bbox: { x0: 0, y0: 0, x1: 1, y1: 1 },
      apex: null,
      kind: 'rect',
    }));
    const none = createAugmenter({ outputSize: 16, source: { size: 16 }, steps: [] });
    const retries: Array<[number, number]> = [];
    // A run folder left by stage 1's own loop (before the fit loop): it starts over, not fails.
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-stage1-'));
    const { encodeCheckpoint } = await import('../../../../main/engine/train/checkpoint-file');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(dir, 'latest.ckpt'),
      encodeCheckpoint({ state: { epochsDone: 1, bestEpoch: 1, history: [] }, arrays: {} }),
    );
    const restarts: string[] = [];
    const result = await fineTuneStage1(
      trainer,
      { raw, sectors: sectors as never },
      { train: [0, 1, 2, 3, 4, 5, 6, 7], validation: [8, 9], labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1] },
      { train: none, evaluate: none },
      {
        epochs: 2,
        learningRate: 1e-3,
        schedule: 'cosine',
        batchSize: 8,
        seed: 1,
        classes: 2,
        dir,
        onBatchRetry: (from, to) => retries.push([from, to]),
        onRestart: (why) => restarts.push(why),
      },
    );
    expect(retries).toEqual([
      [8, 4],
      [4, 2],
    ]);
    // Every epoch still trains on all 8 images, two at a time.
    expect(steps).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(result.status).toBe('completed');
    expect(result.history.map((h) => h.validationAccuracy)).toEqual([0.5, 0.5]);
    expect(restarts).toHaveLength(1);
  });
});
