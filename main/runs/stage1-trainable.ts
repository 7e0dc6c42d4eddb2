import { classificationMetrics } from '../../shared/metrics/classification-metrics';
import type { Augmenter } from '../augment/create-augmenter';
import type { StoredArray } from '../engine/train/checkpoint-file';
import type { Trainable } from '../engine/train/trainable';
import { createBatchPrefetcher } from './batch-prefetch';
import { inferRows, toRowArrays } from './image-inference';
import type { ImageTrainer } from './image-trainer';
import { augmentedBatch, oneHot, type RunImages } from './run-images';

export interface Stage1TrainableOptions {
  epochs: number;
  /** Base learning rate; with `cosine` epoch e (1-based) uses lr·(1 + cos(π·(e−1)/epochs))/2. */
  learningRate: number;
  schedule: 'constant' | 'cosine';
  classes: number;
  /** ε of label smoothing: targets (1 − ε)·one-hot + ε/classes (0: plain one-hot). */
  labelSmoothing?: number;
  signal?: AbortSignal;
  /** Times each epoch's validation as its own phase (the run's `stage1_validate`). */
  timeValidation?: <T>(f: () => Promise<T>) => Promise<T>;
}

/** The learning rate of a (1-based) epoch under the schedule; the same after a resume. */
export const epochLearningRate = (
  opts: Pick<Stage1TrainableOptions, 'learningRate' | 'schedule' | 'epochs'>,
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

const toStored = (weights: Float32Array[]): StoredArray[] =>
  weights.map((w, i) => ({ name: `w${i}`, shape: [w.length], dtype: 'float32', data: w }));
const fromStored = (arrays: readonly StoredArray[]): Float32Array[] =>
  arrays.map((a) => a.data as Float32Array);

/**
 * The stage-1 network (an {@link ImageTrainer}: wasm replica threads or this thread) as a
 * {@link Trainable} for the fit loop: each batch is the training images at the loop's positions,
 * freshly augmented with the loop's batch seed; the learning rate follows the schedule per epoch;
 * validation unifies the replicas' BatchNorm statistics and scores clean validation images in
 * inference mode. The next batch is augmented while the replicas compute the current one.
 */
export const createStage1Trainable = (
  trainer: ImageTrainer,
  images: RunImages,
  split: { train: readonly number[]; validation: readonly number[]; labels: readonly number[] },
  augmenters: { train: Augmenter; evaluate: Augmenter },
  opts: Stage1TrainableOptions,
): Trainable => {
  const valLabels = split.validation.map((i) => split.labels[i]!);
  const batches = createBatchPrefetcher((indices, ctx) =>
    augmentedBatch(
      images,
      indices.map((p) => split.train[p]!),
      augmenters.train,
      ctx.seed,
    ),
  );
  return {
    trainSize: split.train.length,
    granularity: trainer.granularity,
    beginEpoch: (epoch) => trainer.setLearningRate(epochLearningRate(opts, epoch + 1)),
    trainBatch: (indices, ctx) => {
      const { x, shape } = batches.take(indices, ctx);
      const y = smoothTargets(
        oneHot(
          indices.map((p) => split.labels[split.train[p]!]!),
          opts.classes,
        ),
        opts.classes,
        opts.labelSmoothing ?? 0,
      );
      // Not awaited here: the replicas start on it before the loop prefetches the next batch.
      return trainer.step(x, shape, y, [indices.length, opts.classes]);
    },
    prefetch: (indices, ctx) => batches.prefetch(indices, ctx),
    validate: () =>
      (opts.timeValidation ?? ((f) => f()))(async () => {
        await trainer.syncReplicas();
        const val = await inferRows(trainer, images, split.validation, augmenters.evaluate, 'model', {
          signal: opts.signal,
        });
        const probs = toRowArrays(val.rows, val.dim);
        return {
          loss: crossEntropy(probs, valLabels),
          accuracy: classificationMetrics(valLabels, probs, opts.classes).accuracy,
        };
      }),
    readWeights: async () => toStored(await trainer.weights()),
    writeWeights: (arrays) => trainer.setWeights(fromStored(arrays)),
    readOptimizer: async () => (trainer.optimizerState ? trainer.optimizerState() : []),
    writeOptimizer: async (arrays) => {
      if (arrays.length > 0) await trainer.setOptimizerState?.(arrays);
    },
  };
};
