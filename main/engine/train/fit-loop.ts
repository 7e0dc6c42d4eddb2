import type { StoredArray } from './checkpoint-file';
import { checkpointPaths, encodeCheckpoint, readCheckpoint, writeFileAtomic } from './checkpoint-file';
import { isOutOfMemoryError } from './fit-losses';
import { createProgressMeter } from './fit-progress';
import type {
  BestEpoch,
  EpochLogs,
  FitCallbacks,
  FitData,
  FitModel,
  FitOptions,
  FitResult,
  LoopOptions,
  Tf,
} from './fit-types';
import { batchSeed, createSeededRng } from '../../../shared/random/seeded-random';
import { createTfTrainable } from './tf-trainable';
import type { Trainable } from './trainable';

/** Everything besides tensors that a checkpoint must hold to continue exactly where it stopped. */
export interface FitState {
  version: 1;
  seed: number;
  trainSize: number;
  /** Epoch in progress (= epochs completed when offset is 0). */
  epoch: number;
  /** Samples of `epoch` already trained (non-zero only in a checkpoint written on cancel). */
  offset: number;
  /** RNG state at the start of `epoch`: regenerates that epoch's shuffle. */
  rngState: number;
  batchSize: number;
  epochLossSum: number;
  epochSamples: number;
  history: EpochLogs[];
  best: BestEpoch | null;
}

type Hook = keyof FitCallbacks;

/**
 * Trains `model` on `data.train` for `options.epochs`, Keras/fastai style, with a custom step
 * (`trainStep`: tf.variableGrads + optimizer.applyGradients): {@link fitTrainable} on a
 * {@link createTfTrainable}, which creates and disposes its own optimizer.
 */
export const fit = async (
  tf: Tf,
  model: FitModel,
  data: FitData,
  options: FitOptions,
): Promise<FitResult> => {
  const trainable = createTfTrainable(tf, model, data, options);
  try {
    return await fitTrainable(trainable, options);
  } finally {
    trainable.dispose();
  }
};

/**
 * The one training loop: trains any {@link Trainable} for `options.epochs`. Guarantees:
 * - seeded: the shuffle comes from a checkpointed RNG and each batch gets a seed derived from
 *   (seed, epoch, offset), so the same seed gives the same losses on the same backend, and the
 *   two halves of a batch split after out-of-memory get different seeds;
 * - resumable: with `runDir`, `latest.ckpt` (weights, optimizer state, RNG, position, history,
 *   best) is written atomically after every epoch and on cancel; a new call with the same runDir
 *   continues from it and ends with the weights an uninterrupted run would have;
 * - best epoch chosen on validation only (`monitor`, ties optionally broken by the lower
 *   validation loss), saved to `best.ckpt` and restored at the end;
 * - cancel via `signal` stops at the next batch boundary, writes the checkpoint, resolves `cancelled`;
 * - an out-of-memory error on a batch halves the batch size (kept for the rest of the run, a
 *   multiple of the trainable's granularity) and retries the same samples instead of failing;
 * - with granularity g, each epoch trains on the first trainSize − trainSize mod g samples of its
 *   shuffle.
 */
export const fitTrainable = async (trainable: Trainable, options: LoopOptions): Promise<FitResult> => {
  const n = trainable.trainSize;
  const g = Math.max(1, trainable.granularity ?? 1);
  const usable = n - (n % g);
  const isOom = options.isOutOfMemory ?? isOutOfMemoryError;
  const minBatch = Math.max(g, Math.ceil(Math.max(1, options.minBatchSize ?? 1) / g) * g);
  const monitor = trainable.validate ? (options.monitor ?? 'val_accuracy') : null;
  const validate = trainable.validate?.bind(trainable);
  const paths = options.runDir ? checkpointPaths(options.runDir) : null;
  const now = options.now ?? (() => performance.now());
  const fire = async <H extends Hook>(hook: H, arg: Parameters<NonNullable<FitCallbacks[H]>>[0]) => {
    for (const cb of options.callbacks ?? [])
      await (cb[hook] as ((a: typeof arg) => unknown) | undefined)?.(arg);
  };

  let state: FitState = {
    version: 1,
    seed: options.seed,
    trainSize: n,
    epoch: 0,
    offset: 0,
    rngState: createSeededRng(options.seed).state(),
    batchSize: Math.max(g, Math.floor(options.batchSize / g) * g),
    epochLossSum: 0,
    epochSamples: 0,
    history: [],
    best: null,
  };
  let bestWeights: StoredArray[] | null = null;
  let resumed = false;
  if (paths && options.resume !== false) {
    const ckpt = await readCheckpoint<FitState>(paths.latest);
    if (ckpt) {
      if (ckpt.state.seed !== options.seed || ckpt.state.trainSize !== n)
        throw new Error(`${paths.latest} belongs to another run (seed or training-set size differ)`);
      await trainable.writeWeights(ckpt.arrays.weights ?? []);
      await trainable.writeOptimizer(ckpt.arrays.optimizer ?? []);
      state = ckpt.state;
      resumed = true;
      if (state.best) bestWeights = (await readCheckpoint(paths.best))?.arrays.weights ?? null;
    }
  }

  const save = async (): Promise<string | null> => {
    if (!paths) return null;
    const weights = await trainable.readWeights();
    const opt = await trainable.readOptimizer();
    await writeFileAtomic(paths.latest, encodeCheckpoint({ state, arrays: { weights, optimizer: opt } }));
    await fire('checkpoint', { path: paths.latest, epoch: state.epoch, offset: state.offset });
    return paths.latest;
  };

  const startEpoch = state.epoch;
  const batchesPerEpoch = () => Math.ceil(usable / state.batchSize);
  const meter = createProgressMeter({
    now,
    intervalMs: options.progressIntervalMs,
    emit: (p) => options.onProgress?.(p),
    remainingSamples: () => (options.epochs - state.epoch) * usable - state.offset,
  });
  const progress = (batch: number, loss: number, samples: number, force = false) =>
    meter.update(
      {
        stage: options.stage ?? 'train',
        epoch: state.epoch,
        epochs: options.epochs,
        batch,
        batchesPerEpoch: batchesPerEpoch(),
        loss,
      },
      samples,
      force,
    );

  if (options.initialCandidate && monitor && !resumed && validate) {
    const v = await validate();
    state.best = { epoch: -1, monitor, value: monitor === 'val_loss' ? v.loss : v.accuracy, loss: v.loss };
    bestWeights = await trainable.readWeights();
    if (paths)
      await writeFileAtomic(
        paths.best,
        encodeCheckpoint({ state: state.best, arrays: { weights: bestWeights } }),
      );
  }
  await fire('trainBegin', { epochs: options.epochs, startEpoch, resumed, history: state.history });
  let cancelled = false;
  epochs: while (state.epoch < options.epochs) {
    if (options.signal?.aborted) {
      cancelled = true;
      break;
    }
    const epoch = state.epoch;
    const rng = createSeededRng(state.rngState, true);
    const order = options.shuffle === false ? Array.from({ length: n }, (_, i) => i) : rng.permutation(n);
    const nextRngState = rng.state();
    await trainable.beginEpoch?.(epoch);
    if (state.offset === 0) await fire('epochBegin', { epoch });
    let batch = Math.ceil(state.offset / state.batchSize);
    while (state.offset < usable) {
      if (options.signal?.aborted) {
        cancelled = true;
        break epochs;
      }
      const offset = state.offset;
      const size = Math.min(state.batchSize, usable - offset);
      const info = { epoch, batch, offset, size };
      await fire('batchBegin', info);
      let loss: number;
      try {
        const ctx = { phase: 'train' as const, epoch, offset, seed: batchSeed(options.seed, epoch, offset) };
        const pending = trainable.trainBatch(order.slice(offset, offset + size), ctx);
        const after = offset + size;
        if (trainable.prefetch && after < usable) {
          const nextSize = Math.min(state.batchSize, usable - after);
          trainable.prefetch(order.slice(after, after + nextSize), {
            phase: 'train',
            epoch,
            offset: after,
            seed: batchSeed(options.seed, epoch, after),
          });
        }
        loss = await pending;
      } catch (err) {
        if (!isOom(err) || size <= minBatch) throw err;
        const to = Math.max(minBatch, Math.floor(size / 2 / g) * g);
        state.batchSize = to;
        const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        await fire('batchRetry', { epoch, offset, from: size, to, message });
        continue;
      }
      state.offset += size;
      state.epochLossSum += loss * size;
      state.epochSamples += size;
      batch += 1;
      await fire('batchEnd', { ...info, loss });
      progress(batch, loss, size);
    }

    const logs: EpochLogs = {
      epoch,
      loss: state.epochLossSum / state.epochSamples,
      batchSize: state.batchSize,
    };
    if (validate) {
      const v = await validate();
      logs.valLoss = v.loss;
      logs.valAccuracy = v.accuracy;
    }
    progress(batch, logs.loss, 0, true);
    let best = state.best;
    if (monitor) {
      const value = monitor === 'val_loss' ? logs.valLoss! : logs.valAccuracy!;
      const tie =
        options.monitorTieBreak === 'val_loss' &&
        best !== null &&
        value === best.value &&
        logs.valLoss! < (best.loss ?? Infinity);
      const better = !best || tie || (monitor === 'val_loss' ? value < best.value : value > best.value);
      if (better) {
        best = { epoch, monitor, value, loss: logs.valLoss! };
        bestWeights = await trainable.readWeights();
        if (paths)
          await writeFileAtomic(
            paths.best,
            encodeCheckpoint({ state: best, arrays: { weights: bestWeights } }),
          );
      }
    }
    state = {
      ...state,
      epoch: epoch + 1,
      offset: 0,
      rngState: nextRngState,
      epochLossSum: 0,
      epochSamples: 0,
      history: [...state.history, logs],
      best,
    };
    await save();
    await fire('epochEnd', logs);
  }

  if (cancelled) {
    const checkpointPath = await save();
    await fire('cancelled', { epoch: state.epoch, offset: state.offset, checkpointPath });
  } else if (bestWeights && options.restoreBestWeights !== false) {
    await trainable.writeWeights(bestWeights);
  }
  const result: FitResult = {
    status: cancelled ? 'cancelled' : 'completed',
    history: state.history,
    best: state.best,
    startEpoch,
    batchSize: state.batchSize,
  };
  await fire('trainEnd', result);
  return result;
};
