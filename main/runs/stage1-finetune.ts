import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { classificationMetrics } from '../../shared/metrics/classification-metrics';
import type { Augmenter } from '../augment/create-augmenter';
import { batchSeed, createRng, mixSeed } from '../augment/seeded-random';
import {
  encodeCheckpoint,
  readCheckpoint,
  writeFileAtomic,
  type StoredArray,
} from '../engine/train/checkpoint-file';
import { isOutOfMemoryError } from '../engine/train/fit-losses';
import { inferRows, toRowArrays } from './image-inference';
import type { ImageTrainer } from './image-trainer';
import { augmentedBatch, oneHot, type RunImages } from './run-images';

export interface Stage1Epoch {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationAccuracy: number;
  seconds: number;
}

interface Stage1State {
  epochsDone: number;
  bestEpoch: number;
  bestAccuracy: number;
  bestLoss: number;
  history: Stage1Epoch[];
}

export interface Stage1Progress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  imagesPerSecond: number;
  etaSeconds: number | null;
}

export interface Stage1Options {
  epochs: number;
  /** Base learning rate; with `cosine` epoch e uses lr·(1 + cos(π·(e−1)/epochs))/2. */
  learningRate: number;
  schedule: 'constant' | 'cosine';
  batchSize: number;
  seed: number;
  classes: number;
  /** ε of label smoothing: targets (1 − ε)·one-hot + ε/classes (0: plain one-hot). */
  labelSmoothing?: number;
  /** Folder of this stage's checkpoints (latest.ckpt after every epoch, best.ckpt). */
  dir: string;
  signal?: AbortSignal;
  onProgress?: (p: Stage1Progress) => void;
  onEpoch?: (e: Stage1Epoch) => void;
  /** The backend ran out of memory: steps continue on smaller chunks of each batch. */
  onBatchRetry?: (from: number, to: number) => void;
}

/**
 * One optimizer step on the batch, or — after the backend ran out of memory — several steps on
 * chunks of `chunk.size` rows (halved on every further out-of-memory error, never below the
 * trainer's granularity). Returns the mean loss.
 */
const stepInChunks = async (
  trainer: ImageTrainer,
  batch: { x: Float32Array; shape: number[]; y: Float32Array; classes: number },
  chunk: { size: number },
  onRetry?: (from: number, to: number) => void,
): Promise<number> => {
  const n = batch.shape[0]!;
  const row = batch.x.length / n;
  for (;;) {
    try {
      let sum = 0;
      for (let start = 0; start < n; start += chunk.size) {
        const end = Math.min(n, start + chunk.size);
        const loss = await trainer.step(
          batch.x.subarray(start * row, end * row),
          [end - start, ...batch.shape.slice(1)],
          batch.y.subarray(start * batch.classes, end * batch.classes),
          [end - start, batch.classes],
        );
        sum += loss * (end - start);
      }
      return sum / n;
    } catch (e) {
      const g = trainer.granularity;
      const next = Math.floor(chunk.size / 2 / g) * g;
      if (!isOutOfMemoryError(e) || next < g) throw e;
      onRetry?.(chunk.size, next);
      chunk.size = next;
    }
  }
};

export interface Stage1Result {
  status: 'completed' | 'cancelled';
  bestEpoch: number;
  history: Stage1Epoch[];
}

const toStored = (weights: Float32Array[]): StoredArray[] =>
  weights.map((w, i) => ({ name: `w${i}`, shape: [w.length], dtype: 'float32', data: w }));
const fromStored = (arrays: StoredArray[] | undefined): Float32Array[] =>
  (arrays ?? []).map((a) => a.data as Float32Array);

/** The epoch's training order: a seeded shuffle (the same after a resume). */
const epochOrder = (indices: readonly number[], seed: number, epoch: number): number[] => {
  const rng = createRng(mixSeed(seed, epoch, 0x51a6e1));
  const order = [...indices];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
};

/** The learning rate of a (1-based) epoch under the schedule; the same after a resume. */
export const epochLearningRate = (
  opts: Pick<Stage1Options, 'learningRate' | 'schedule' | 'epochs'>,
  epoch: number,
): number =>
  opts.schedule === 'constant'
    ? opts.learningRate
    : (opts.learningRate * (1 + Math.cos((Math.PI * (epoch - 1)) / opts.epochs))) / 2;

/** Label smoothing in place: (1 − ε)·y + ε/classes on every row. */
export const smoothTargets = (y: Float32Array, classes: number, epsilon: number): Float32Array => {
  if (epsilon > 0) for (let i = 0; i < y.length; i++) y[i] = (1 - epsilon) * y[i]! + epsilon / classes;
  return y;
};

const crossEntropy = (probs: number[][], labels: readonly number[]): number =>
  probs.reduce((s, p, i) => s - Math.log(Math.max(1e-7, p[labels[i]!]!)), 0) / Math.max(1, probs.length);

/**
 * Stage 1: fine-tunes the whole backbone and its new head on the training images, each batch
 * freshly augmented with `batchSeed(seed, epoch, batchIndex)`. After every epoch the replicas'
 * BatchNorm statistics are unified, validation is scored in inference mode, and the weights are
 * checkpointed (latest, and best by validation accuracy, ties broken by lower loss). The test
 * split is never looked at here. Cancel stops at a batch boundary; a resume restarts the
 * interrupted epoch from the last completed one (optimizer momentum restarts from zero).
 * Returns with the best epoch's weights loaded.
 */
export const fineTuneStage1 = async (
  trainer: ImageTrainer,
  images: RunImages,
  split: { train: readonly number[]; validation: readonly number[]; labels: readonly number[] },
  augmenters: { train: Augmenter; evaluate: Augmenter },
  opts: Stage1Options,
): Promise<Stage1Result> => {
  await mkdir(opts.dir, { recursive: true });
  const latestPath = join(opts.dir, 'latest.ckpt');
  const bestPath = join(opts.dir, 'best.ckpt');
  const stored = await readCheckpoint<Stage1State>(latestPath);
  let state: Stage1State = stored?.state ?? {
    epochsDone: 0,
    bestEpoch: 0,
    bestAccuracy: -1,
    bestLoss: Infinity,
    history: [],
  };
  if (stored) await trainer.setWeights(fromStored(stored.arrays.weights));

  const g = trainer.granularity;
  const batchSize = Math.max(g, Math.floor(opts.batchSize / g) * g);
  const valLabels = split.validation.map((i) => split.labels[i]!);
  const chunk = { size: batchSize };
  for (let epoch = state.epochsDone + 1; epoch <= opts.epochs; epoch++) {
    await trainer.setLearningRate(epochLearningRate(opts, epoch));
    const order = epochOrder(split.train, opts.seed, epoch);
    const usable = order.length - (order.length % g);
    const batches = Math.ceil(usable / batchSize);
    const t0 = performance.now();
    let seen = 0;
    let lossSum = 0;
    const slice = (b: number) => {
      const idx = order.slice(b * batchSize, Math.min(usable, (b + 1) * batchSize));
      return { idx, ...augmentedBatch(images, idx, augmenters.train, batchSeed(opts.seed, epoch, b)) };
    };
    let next = batches > 0 ? slice(0) : null;
    for (let b = 0; b < batches; b++) {
      if (opts.signal?.aborted)
        return { status: 'cancelled', bestEpoch: state.bestEpoch, history: state.history };
      const cur = next!;
      const y = smoothTargets(
        oneHot(
          cur.idx.map((i) => split.labels[i]!),
          opts.classes,
        ),
        opts.classes,
        opts.labelSmoothing ?? 0,
      );
      const pending = stepInChunks(
        trainer,
        { x: cur.x, shape: cur.shape, y, classes: opts.classes },
        chunk,
        opts.onBatchRetry,
      );
      // The next batch is augmented here while the replicas compute this one.
      next = b + 1 < batches ? slice(b + 1) : null;
      const loss = await pending;
      seen += cur.idx.length;
      lossSum += loss * cur.idx.length;
      const elapsed = (performance.now() - t0) / 1000;
      const rate = seen / Math.max(1e-6, elapsed);
      opts.onProgress?.({
        epoch,
        epochs: opts.epochs,
        batch: b + 1,
        batches,
        loss,
        imagesPerSecond: rate,
        etaSeconds: ((opts.epochs - epoch) * usable + (usable - seen)) / Math.max(1e-6, rate),
      });
    }
    await trainer.syncReplicas();
    const val = await inferRows(trainer, images, split.validation, augmenters.evaluate, 'model', {
      signal: opts.signal,
    });
    const probs = toRowArrays(val.rows, val.dim);
    const accuracy = classificationMetrics(valLabels, probs, opts.classes).accuracy;
    const record: Stage1Epoch = {
      epoch,
      trainLoss: lossSum / Math.max(1, seen),
      validationLoss: crossEntropy(probs, valLabels),
      validationAccuracy: accuracy,
      seconds: (performance.now() - t0) / 1000,
    };
    const weights = await trainer.weights();
    const better =
      record.validationAccuracy > state.bestAccuracy ||
      (record.validationAccuracy === state.bestAccuracy && record.validationLoss < state.bestLoss);
    state = {
      epochsDone: epoch,
      bestEpoch: better ? epoch : state.bestEpoch,
      bestAccuracy: better ? record.validationAccuracy : state.bestAccuracy,
      bestLoss: better ? record.validationLoss : state.bestLoss,
      history: [...state.history, record],
    };
    if (better)
      await writeFileAtomic(bestPath, encodeCheckpoint({ state, arrays: { weights: toStored(weights) } }));
    await writeFileAtomic(latestPath, encodeCheckpoint({ state, arrays: { weights: toStored(weights) } }));
    opts.onEpoch?.(record);
  }
  const best = await readCheckpoint<Stage1State>(bestPath);
  if (best) await trainer.setWeights(fromStored(best.arrays.weights));
  return { status: 'completed', bestEpoch: state.bestEpoch, history: state.history };
};
