import { existsSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { glorotKernels } from '../../../../../main/engine/train/dense-net';
import { fit } from '../../../../../main/engine/train/fit-loop';
import type { FitCallbacks } from '../../../../../main/engine/train/fit-types';
import { referenceTrain, toyData } from './dense-reference';
import { baseOptions, tempRunDir, toyNet, toySources, useCpu } from './fit-helpers';

let tf: Awaited<ReturnType<typeof useCpu>>;
beforeAll(async () => {
  tf = await useCpu();
});

const lossesOf = (): { losses: number[]; cb: FitCallbacks } => {
  const losses: number[] = [];
  return { losses, cb: { batchEnd: (b) => void losses.push(b.loss) } };
};

/**
 * A validation split of the toy data whose labels are the true ones only at the `n`-th evaluation
 * (1-based) and inverted at every other: whatever training does, that evaluation wins on accuracy.
 */
const trueOnlyAtEvaluation = (n: number) => {
  const { x, y } = toyData();
  let count = 0;
  const validation = {
    size: 8,
    batch: (idx: readonly number[], ctx: { offset: number }) => {
      if (ctx.offset === 0) count += 1;
      const flip = count !== n;
      return {
        x: tf.tensor2d(idx.map((i) => x[i]!)),
        y: tf.tensor2d(idx.map((i) => (flip ? [y[i]![1]!, y[i]![0]!] : y[i]!))),
      };
    },
  };
  return { validation, evaluations: () => count };
};

describe('fit: golden values (cpu backend)', () => {
  it('matches hand-written float64 backprop + momentum SGD on the toy net', async () => {
    const net = toyNet(7);
    const { losses, cb } = lossesOf();
    await fit(
      tf,
      net,
      { train: toySources().train },
      { ...baseOptions, epochs: 2, shuffle: false, callbacks: [cb] },
    );
    // First-epoch batch losses. Source: referenceTrain() in dense-reference.ts (float64, formulas
    // written out by hand, same Glorot kernels from seed 7, lr 0.1, momentum 0.9, batches of 4, no
    // shuffle), printed once with toFixed(7).
    expect(losses[0]).toBeCloseTo(0.7599287, 5);
    expect(losses[1]).toBeCloseTo(0.6338661, 5);
    // And every batch + the final weights against the same reference, recomputed here.
    const { x, y } = toyData();
    const ref = referenceTrain(x, y, [3, 4, 2], glorotKernels([3, 4, 2], 7), {
      epochs: 2,
      batchSize: 4,
      lr: 0.1,
      momentum: 0.9,
    });
    losses.forEach((l, i) => expect(Math.abs(l - ref.batchLosses[i]!)).toBeLessThan(1e-5));
    const weights = await net.readWeights();
    weights.flat().forEach((v, i) => expect(Math.abs(v - ref.weights.flat()[i]!)).toBeLessThan(1e-5));
    net.dispose();
  });

  it('is seeded: same seed, same shuffled losses; another seed, another order', async () => {
    const run = async (seed: number) => {
      const net = toyNet(7);
      const { losses, cb } = lossesOf();
      await fit(tf, net, { train: toySources().train }, { ...baseOptions, seed, callbacks: [cb] });
      net.dispose();
      return losses;
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it('trains only the trainable variables (frozen first layer stays put)', async () => {
    const net = toyNet(7);
    const frozen = (await import('../../../../../main/engine/train/dense-net')).createDenseNet(tf, {
      sizes: [3, 4, 2],
      seed: 7,
      frozenLayers: [0],
    });
    const before = await frozen.readWeights();
    await fit(tf, frozen, { train: toySources().train }, { ...baseOptions, epochs: 1 });
    const after = await frozen.readWeights();
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).not.toEqual(before[2]);
    net.dispose();
    frozen.dispose();
  });
});

describe('fit: callbacks, checkpoints, best epoch', () => {
  it('fires the hooks in order and writes latest.ckpt atomically (no temp files left)', async () => {
    const events: string[] = [];
    const runDir = tempRunDir();
    const net = toyNet();
    await fit(tf, net, toySources(), {
      ...baseOptions,
      epochs: 2,
      runDir,
      callbacks: [
        {
          trainBegin: (i) => void events.push(`trainBegin:${i.startEpoch}`),
          epochBegin: (i) => void events.push(`epochBegin:${i.epoch}`),
          batchBegin: (b) => void events.push(`batchBegin:${b.epoch}.${b.batch}`),
          batchEnd: (b) => void events.push(`batchEnd:${b.epoch}.${b.batch}`),
          epochEnd: (l) => void events.push(`epochEnd:${l.epoch}`),
          checkpoint: (c) => void events.push(`checkpoint:${c.epoch}.${c.offset}`),
          trainEnd: (r) => void events.push(`trainEnd:${r.status}`),
        },
      ],
    });
    expect(events).toEqual([
      'trainBegin:0',
      'epochBegin:0',
      'batchBegin:0.0',
      'batchEnd:0.0',
      'batchBegin:0.1',
      'batchEnd:0.1',
      'checkpoint:1.0',
      'epochEnd:0',
      'epochBegin:1',
      'batchBegin:1.0',
      'batchEnd:1.0',
      'batchBegin:1.1',
      'batchEnd:1.1',
      'checkpoint:2.0',
      'epochEnd:1',
      'trainEnd:completed',
    ]);
    expect(readdirSync(runDir).sort()).toEqual(['best.ckpt', 'latest.ckpt']);
    net.dispose();
  });

  it('selects the best epoch on validation and restores its weights', async () => {
    // A validation split whose labels are the true ones only while epoch 1 is evaluated (2nd
    // evaluation) and inverted otherwise: whatever training does, epoch 1 must win on accuracy.
    const { validation } = trueOnlyAtEvaluation(2);
    const net = toyNet();
    const atEpochEnd: number[][][] = [];
    const runDir = tempRunDir();
    const result = await fit(
      tf,
      net,
      { train: toySources().train, validation },
      {
        ...baseOptions,
        runDir,
        callbacks: [{ epochEnd: async () => void atEpochEnd.push(await net.readWeights()) }],
      },
    );
    expect(result.best?.epoch).toBe(1);
    expect(result.best?.monitor).toBe('val_accuracy');
    const acc = result.history.map((h) => h.valAccuracy!);
    expect(result.best?.value).toBe(acc[1]);
    expect(acc[1]).toBeGreaterThan(Math.max(acc[0]!, acc[2]!));
    expect(await net.readWeights()).toEqual(atEpochEnd[1]);
    expect(existsSync(`${runDir}/best.ckpt`)).toBe(true);
    net.dispose();
  });

  it('with initialCandidate keeps the starting weights unless an epoch beats them on validation', async () => {
    // Validation labels are true only at the first evaluation (the starting weights): every
    // trained epoch is scored against inverted labels and must lose.
    const { validation, evaluations } = trueOnlyAtEvaluation(1);
    const net = toyNet();
    const start = await net.readWeights();
    const result = await fit(
      tf,
      net,
      { train: toySources().train, validation },
      { ...baseOptions, initialCandidate: true, runDir: tempRunDir() },
    );
    expect(evaluations()).toBe(4);
    expect(result.history).toHaveLength(3);
    expect(result.best?.epoch).toBe(-1);
    expect(result.best!.value).toBeGreaterThan(Math.max(...result.history.map((h) => h.valAccuracy!)));
    expect(await net.readWeights()).toEqual(start);
    net.dispose();
  });
});

describe('fit: crash, resume, cancel', () => {
  const uninterrupted = async () => {
    const net = toyNet();
    const result = await fit(tf, net, toySources(), { ...baseOptions, runDir: tempRunDir() });
    const weights = await net.readWeights();
    net.dispose();
    return { result, weights };
  };

  it('resumes after a crash mid-epoch and ends with the weights of an uninterrupted run', async () => {
    const reference = await uninterrupted();
    const runDir = tempRunDir();
    const crashing = toyNet();
    const crash: FitCallbacks = {
      batchBegin: (b) => {
        if (b.epoch === 2 && b.batch === 1) throw new Error('simulated crash');
      },
    };
    await expect(
      fit(tf, crashing, toySources(), { ...baseOptions, runDir, callbacks: [crash] }),
    ).rejects.toThrow('simulated crash');
    crashing.dispose();
    // A fresh process would build the model from another init: the checkpoint must overwrite it.
    const fresh = toyNet(99);
    const resumed = await fit(tf, fresh, toySources(), { ...baseOptions, runDir });
    expect(resumed.startEpoch).toBe(2);
    expect(await fresh.readWeights()).toEqual(reference.weights);
    expect(resumed.history).toEqual(reference.result.history);
    expect(resumed.best).toEqual(reference.result.best);
    fresh.dispose();
  });

  it('refuses to resume a run folder written with another seed', async () => {
    const runDir = tempRunDir();
    const net = toyNet();
    await fit(tf, net, toySources(), { ...baseOptions, epochs: 1, runDir });
    await expect(fit(tf, net, toySources(), { ...baseOptions, seed: 12, runDir })).rejects.toThrow(
      /belongs to another run/,
    );
    net.dispose();
  });

  it('cancel stops at the next batch boundary, leaves a checkpoint, and the resume finishes the same', async () => {
    const reference = await uninterrupted();
    const runDir = tempRunDir();
    const controller = new AbortController();
    const net = toyNet();
    const seen: string[] = [];
    const result = await fit(tf, net, toySources(), {
      ...baseOptions,
      runDir,
      signal: controller.signal,
      callbacks: [
        {
          batchEnd: (b) => {
            seen.push(`${b.epoch}.${b.batch}`);
            if (b.epoch === 1 && b.batch === 0) controller.abort();
          },
          cancelled: (c) =>
            void seen.push(
              `cancelled:${c.epoch}.${c.offset}:${c.checkpointPath === `${runDir}/latest.ckpt`}`,
            ),
          trainEnd: (r) => void seen.push(`trainEnd:${r.status}`),
        },
      ],
    });
    expect(result.status).toBe('cancelled');
    expect(seen).toEqual(['0.0', '0.1', '1.0', 'cancelled:1.4:true', 'trainEnd:cancelled']);
    net.dispose();
    const fresh = toyNet(42);
    const resumed = await fit(tf, fresh, toySources(), { ...baseOptions, runDir });
    expect(resumed.status).toBe('completed');
    expect(await fresh.readWeights()).toEqual(reference.weights);
    expect(resumed.history).toEqual(reference.result.history);
    fresh.dispose();
  });
});
