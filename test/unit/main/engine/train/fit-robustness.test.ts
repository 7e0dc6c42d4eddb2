import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from '../../../../../main/engine/train/fit-loop';
import { isOutOfMemoryError } from '../../../../../main/engine/train/fit-losses';
import type { FitModel, FitProgress } from '../../../../../main/engine/train/fit-types';
import { baseOptions, tempRunDir, toyNet, toySources, useCpu } from './fit-helpers';

let tf: Awaited<ReturnType<typeof useCpu>>;
beforeAll(async () => {
  tf = await useCpu();
});

/** Wraps a model so a forward pass on more than `limit` rows throws like libtensorflow does. */
const oomAbove = (model: FitModel, limit: number, message: string, inInference = false): FitModel => ({
  ...model,
  apply: (x, training) => {
    const rows = (Array.isArray(x) ? x[0]! : x).shape[0]!;
    if ((training || inInference) && rows > limit) throw new Error(message);
    return model.apply(x, training);
  },
});

describe('fit: out-of-memory on a batch', () => {
  it('halves the batch and retries the same samples: same result as running at the half size', async () => {
    const halved = toyNet();
    const retries: string[] = [];
    const losses: number[] = [];
    const result = await fit(
      tf,
      oomAbove(halved, 2, 'Resource exhausted: OOM when allocating tensor with shape[4,4]'),
      toySources(),
      {
        ...baseOptions,
        callbacks: [
          {
            batchRetry: (r) => void retries.push(`${r.epoch}@${r.offset}:${r.from}->${r.to}`),
            batchEnd: (b) => void losses.push(b.loss),
          },
        ],
      },
    );
    expect(retries).toEqual(['0@0:4->2']);
    expect(result.batchSize).toBe(2);

    const direct = toyNet();
    const directLosses: number[] = [];
    await fit(tf, direct, toySources(), {
      ...baseOptions,
      batchSize: 2,
      callbacks: [{ batchEnd: (b) => void directLosses.push(b.loss) }],
    });
    expect(losses).toEqual(directLosses);
    expect(await halved.readWeights()).toEqual(await direct.readWeights());
    halved.dispose();
    direct.dispose();
  });

  it('halves the validation batch too, with the same validation metrics', async () => {
    const plain = toyNet();
    const a = await fit(tf, plain, toySources(), { ...baseOptions, batchSize: 2 });
    const squeezed = toyNet();
    const b = await fit(
      tf,
      oomAbove(squeezed, 2, 'failed to allocate 4 MB', true),
      toySources(),
      baseOptions,
    );
    expect(b.history).toEqual(a.history);
    expect(b.history[0]!.valAccuracy).toBeGreaterThan(0);
    plain.dispose();
    squeezed.dispose();
  });

  it('rethrows an OOM at the minimum batch size, and any error that is not an OOM', async () => {
    const net = toyNet();
    await expect(
      fit(tf, oomAbove(net, 0, 'Aborted(OOM)'), toySources(), { ...baseOptions, minBatchSize: 2 }),
    ).rejects.toThrow('Aborted(OOM)');
    await expect(fit(tf, oomAbove(net, 2, 'shape mismatch'), toySources(), baseOptions)).rejects.toThrow(
      'shape mismatch',
    );
    net.dispose();
  });

  it('recognises the backends’ out-of-memory messages, and an injected predicate', async () => {
    for (const m of [
      'Resource exhausted: OOM when allocating tensor',
      'RangeError: Array buffer allocation failed',
      'Cannot enlarge memory arrays to size 2147549184 bytes',
      'CUDA_ERROR_OUT_OF_MEMORY: out of memory',
    ])
      expect(isOutOfMemoryError(new Error(m))).toBe(true);
    expect(isOutOfMemoryError(new Error('Error in matMul: inner shapes (3) and (4) must match'))).toBe(false);
    const net = toyNet();
    const custom = await fit(tf, oomAbove(net, 2, 'GPU said no'), toySources(), {
      ...baseOptions,
      isOutOfMemory: (e) => String(e).includes('GPU said no'),
    });
    expect(custom.batchSize).toBe(2);
    net.dispose();
  });
});

describe('fit: tensor hygiene', () => {
  it('leaves tf.memory().numTensors unchanged across a second fit (checkpoints, validation, resume)', async () => {
    const once = async (runDir: string, signal?: AbortSignal) => {
      const net = toyNet();
      await fit(tf, net, toySources(), { ...baseOptions, runDir, signal });
      net.dispose();
    };
    await once(tempRunDir());
    const before = tf.memory().numTensors;
    await once(tempRunDir());
    expect(tf.memory().numTensors).toBe(before);
    // A cancelled run and its resume (optimizer state restored from the checkpoint) leak nothing either.
    const runDir = tempRunDir();
    const controller = new AbortController();
    controller.abort();
    await once(runDir, controller.signal);
    await once(runDir);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('fit: progress', () => {
  it('throttles to the interval and reports stage, epoch, batch, images/s and ETA', async () => {
    let clock = 0;
    const progress: FitProgress[] = [];
    const net = toyNet();
    await fit(tf, net, toySources(), {
      ...baseOptions,
      batchSize: 2,
      stage: 'stage1',
      progressIntervalMs: 250,
      // Every reading of the clock advances it 100 ms: 4 batches per epoch, 3 epochs.
      now: () => (clock += 100),
      onProgress: (p) => progress.push(p),
    });
    net.dispose();
    // Clock readings: 100 when the meter starts, then one per batch end (12) and one forced at
    // each epoch end (3), at 200, 300, … 1600 ms. A batch-end emits only when >= 250 ms passed since
    // the last emit. Expected rows worked out by hand from that: images/s = samples / elapsed,
    // ETA = remaining samples / rate, rounded.
    expect(progress.map((p) => [p.epoch, p.batch, p.imagesPerSecond, p.etaSeconds])).toEqual([
      [0, 1, 20, 1], // t=200: 2 samples in 0.1 s; 22 left
      [0, 4, 20, 1], // t=500: 8 in 0.4 s; 16 left
      [0, 4, 16, 1], // t=600, epoch end (forced)
      [1, 3, 17.5, 1], // t=900: 14 in 0.8 s; 10 left
      [1, 4, 16, 1], // t=1100, epoch end: 8 left / 16 per s = 0.5 s, rounds to 1
      [2, 3, 16.92, 0], // t=1400: 22 in 1.3 s; 2 left
      [2, 4, 16, 0], // t=1600, epoch end
    ]);
    expect(progress.every((p) => p.stage === 'stage1' && p.epochs === 3 && p.batchesPerEpoch === 4)).toBe(
      true,
    );
  });
});
