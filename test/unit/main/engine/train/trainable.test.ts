import { describe, expect, it } from 'vitest';
import type { StoredArray } from '../../../../../main/engine/train/checkpoint-file';
import { fitTrainable } from '../../../../../main/engine/train/fit-loop';
import type { BatchContext } from '../../../../../main/engine/train/fit-types';
import type { Trainable } from '../../../../../main/engine/train/trainable';
import { tempRunDir } from './fit-helpers';

/**
 * A trainable without tensors: its "weight" is the sum of the sample indices it has seen, its
 * "optimizer" counts steps; it logs every call so the loop's order, seeds and sizes are visible.
 */
const fakeTrainable = (opts: {
  trainSize: number;
  granularity?: number;
  oomAbove?: number;
  validation?: (epoch: number) => { loss: number; accuracy: number };
}) => {
  const calls: Array<{ indices: number[]; seed: number; offset: number }> = [];
  const prefetched: Array<{ indices: number[]; seed: number }> = [];
  let weight = 0;
  let steps = 0;
  let epoch = 0;
  const trainable: Trainable = {
    trainSize: opts.trainSize,
    granularity: opts.granularity,
    beginEpoch: (e) => void (epoch = e),
    trainBatch: async (indices, ctx: BatchContext) => {
      if (opts.oomAbove !== undefined && indices.length > opts.oomAbove)
        throw new Error('OOM when allocating tensor');
      calls.push({ indices: [...indices], seed: ctx.seed, offset: ctx.offset });
      weight += indices.reduce((a, b) => a + b, 0);
      steps += 1;
      return indices.length;
    },
    prefetch: (indices, ctx) => void prefetched.push({ indices: [...indices], seed: ctx.seed }),
    validate: opts.validation ? async () => opts.validation!(epoch) : undefined,
    readWeights: async () => [{ name: 'w', shape: [1], dtype: 'float32', data: Float32Array.of(weight) }],
    writeWeights: async (a: readonly StoredArray[]) => void (weight = a[0]!.data[0]!),
    readOptimizer: async () => [{ name: 'steps', shape: [1], dtype: 'int32', data: Int32Array.of(steps) }],
    writeOptimizer: async (a: readonly StoredArray[]) => void (steps = a[0]!.data[0]!),
  };
  return { trainable, calls, prefetched, state: () => ({ weight, steps }) };
};

const loop = { epochs: 2, batchSize: 5, seed: 3 };

describe('fitTrainable (any trainable)', () => {
  it('keeps batches a multiple of the granularity, drops the remainder, halves on OOM to a multiple', async () => {
    const f = fakeTrainable({ trainSize: 7, granularity: 2, oomAbove: 2 });
    const retries: Array<[number, number]> = [];
    await fitTrainable(f.trainable, {
      ...loop,
      callbacks: [{ batchRetry: (r) => void retries.push([r.from, r.to]) }],
    });
    // batch 5 → 4 (two replicas); 4 → OOM → 2; 7 samples → 6 used per epoch, in batches of 2.
    expect(retries).toEqual([[4, 2]]);
    expect(f.calls.map((c) => c.indices.length)).toEqual([2, 2, 2, 2, 2, 2]);
    // Each epoch is a permutation of 0..6 minus its last position; after the halving both halves
    // of the first batch got their own seed (seeds follow the offset).
    expect(new Set(f.calls.map((c) => c.seed)).size).toBe(6);
    expect(f.calls.slice(0, 3).map((c) => c.offset)).toEqual([0, 2, 4]);
  });

  it('offers the next batch for prefetching: exactly the batch trained next within an epoch', async () => {
    const f = fakeTrainable({ trainSize: 10 });
    await fitTrainable(f.trainable, { ...loop, epochs: 1, batchSize: 4 });
    expect(f.calls.map((c) => c.indices.length)).toEqual([4, 4, 2]);
    expect(f.prefetched).toEqual(f.calls.slice(1).map((c) => ({ indices: c.indices, seed: c.seed })));
  });

  it('with monitorTieBreak val_loss an epoch that ties the best accuracy at a lower loss wins', async () => {
    // Accuracy 0.5 every epoch; validation loss 1.0, 0.8, 0.9 (the epoch in the closure is 0-based).
    const validation = (e: number) => ({ accuracy: 0.5, loss: [1.0, 0.8, 0.9][e]! });
    const plain = await fitTrainable(fakeTrainable({ trainSize: 4, validation }).trainable, {
      ...loop,
      epochs: 3,
    });
    expect(plain.best).toMatchObject({ epoch: 0, value: 0.5 });
    const tie = await fitTrainable(fakeTrainable({ trainSize: 4, validation }).trainable, {
      ...loop,
      epochs: 3,
      monitorTieBreak: 'val_loss',
    });
    expect(tie.best).toMatchObject({ epoch: 1, value: 0.5, loss: 0.8 });
  });

  it('resumed after a cancel, makes the same calls and ends in the same state as an uninterrupted fit', async () => {
    const whole = fakeTrainable({ trainSize: 9 });
    await fitTrainable(whole.trainable, loop);
    const runDir = tempRunDir();
    const controller = new AbortController();
    const first = fakeTrainable({ trainSize: 9 });
    const cancelled = await fitTrainable(first.trainable, {
      ...loop,
      runDir,
      signal: controller.signal,
      callbacks: [{ batchEnd: (b) => void (b.epoch === 0 && b.batch === 0 && controller.abort()) }],
    });
    expect(cancelled.status).toBe('cancelled');
    const second = fakeTrainable({ trainSize: 9 });
    const begun: Array<{ resumed: boolean; epochs: number[] }> = [];
    const record = {
      trainBegin: (i: { resumed: boolean; history: Array<{ epoch: number }> }) =>
        void begun.push({ resumed: i.resumed, epochs: i.history.map((h) => h.epoch) }),
    };
    await fitTrainable(second.trainable, { ...loop, runDir, callbacks: [record] });
    expect([...first.calls, ...second.calls]).toEqual(whole.calls);
    expect(second.state()).toEqual(whole.state());
    // A finished fit started again trains nothing and re-reports its epochs (curve stores replace
    // repeated points, so a point lost to a crash comes back).
    const third = fakeTrainable({ trainSize: 9 });
    await fitTrainable(third.trainable, { ...loop, runDir, callbacks: [record] });
    expect(third.calls).toEqual([]);
    expect(begun).toEqual([
      { resumed: true, epochs: [] }, // cancelled inside epoch 0: nothing finished to re-report
      { resumed: true, epochs: [0, 1] },
    ]);
  });
});
