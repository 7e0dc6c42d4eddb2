import {
  classificationMetrics,
  type ClassificationMetrics,
} from '../../shared/metrics/classification-metrics';
import { createDenseNet } from '../engine/train/dense-net';
import { fit } from '../engine/train/fit-loop';
import type { BatchContext, BatchSource, EpochLogs, FitProgress, Tf } from '../engine/train/fit-types';

/** Rows of fixed-length features (frozen image features, note embeddings, metadata, or their concatenation). */
export interface FeatureSet {
  x: Float32Array;
  /** Number of rows; x holds rows × dim values. */
  rows: number;
  dim: number;
  /** Class index per row. */
  y: Int32Array;
  /**
   * Training only: recomputes the rows of a batch (e.g. image features of freshly augmented images
   * through a frozen backbone, ⊕ the fixed note and metadata columns). `x` still holds the clean rows
   * the standardiser is fitted on.
   */
  fresh?: (rows: readonly number[], ctx: BatchContext) => Promise<Float32Array>;
  /** With `fresh`: the fit loop's hint of the next training batch, to start building it early. */
  prefetch?: (rows: readonly number[], ctx: BatchContext) => void;
  /**
   * Validation/test only: the same rows under test-time-augmentation views (each like `x`); the
   * final probabilities are the mean over `x` and every view. Epoch selection uses `x` alone.
   */
  views?: Float32Array[];
}

export interface FeatureHeadOptions {
  classes: number;
  /**
   * Linear heads only: logits of the first `kernel.length / classes` raw (unstandardised) input
   * columns to start from — e.g. the stage-1 classifier on image features plus the note-only and
   * metadata-only heads, so stage 2 starts from their ensemble; remaining columns start at zero.
   * The starting weights are scored on validation first and kept unless training beats them.
   */
  warmStart?: { kernel: Float32Array; bias: Float32Array };
  head: 'linear' | 'mlp';
  hidden?: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  runDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void;
  onEpochEnd?: (logs: EpochLogs) => void;
}

/** A trained head as plain numbers: enough to apply it outside the trainer (model export). */
export interface ExportedHead {
  /** Layer widths, input first. */
  sizes: number[];
  /** Per layer: kernel (row-major [in, out]) then bias. */
  weights: number[][];
  /** The training-set standardisation applied to inputs first. */
  mean: number[];
  scale: number[];
  activation: 'relu';
}

export interface FeatureHeadResult {
  status: 'completed' | 'cancelled';
  head: ExportedHead;
  bestEpoch: number | null;
  history: EpochLogs[];
  validation: { probs: number[][]; metrics: ClassificationMetrics };
  test: { probs: number[][]; metrics: ClassificationMetrics } | null;
}

/**
 * Standardisation fitted on the training rows only (mean/sd per column; sd 0 → 1), applied to
 * every split: heads on concatenated modalities then start on comparable scales.
 */
export const fitStandardiser = (train: FeatureSet): { mean: Float32Array; scale: Float32Array } => {
  const mean = new Float32Array(train.dim);
  const sq = new Float64Array(train.dim);
  for (let r = 0; r < train.rows; r++)
    for (let c = 0; c < train.dim; c++) mean[c]! += train.x[r * train.dim + c]! / train.rows;
  for (let r = 0; r < train.rows; r++)
    for (let c = 0; c < train.dim; c++)
      sq[c]! += (train.x[r * train.dim + c]! - mean[c]!) ** 2 / Math.max(1, train.rows - 1);
  return { mean, scale: Float32Array.from(sq, (v) => (v > 1e-12 ? 1 / Math.sqrt(v) : 1)) };
};

type Standardiser = { mean: Float32Array; scale: Float32Array };
const standardiseRows = (x: Float32Array, dim: number, s: Standardiser): Float32Array =>
  Float32Array.from(x, (v, i) => (v - s.mean[i % dim]!) * s.scale[i % dim]!);

const standardise = (set: FeatureSet, s: Standardiser): FeatureSet => {
  const fresh = set.fresh;
  return {
    ...set,
    x: standardiseRows(set.x, set.dim, s),
    views: set.views?.map((v) => standardiseRows(v, set.dim, s)),
    fresh: fresh ? async (rows, ctx) => standardiseRows(await fresh(rows, ctx), set.dim, s) : undefined,
  };
};

/**
 * Folds the standardisation into a raw-feature classifier: W·f + b = (W/scale)·x + (b + W·mean)
 * where x = (f − mean)·scale is what the head sees. Columns beyond the classifier's start at 0.
 */
export const warmStartWeights = (
  warm: { kernel: Float32Array; bias: Float32Array },
  s: Standardiser,
  dim: number,
  classes: number,
): number[][] => {
  const rows = warm.kernel.length / classes;
  const kernel = new Array<number>(dim * classes).fill(0);
  const bias = Array.from(warm.bias);
  for (let i = 0; i < rows; i++)
    for (let c = 0; c < classes; c++) {
      const w = warm.kernel[i * classes + c]!;
      kernel[i * classes + c] = w / s.scale[i]!;
      bias[c]! += w * s.mean[i]!;
    }
  return [kernel, bias];
};

/**
 * A trained linear head in raw-feature space: its input standardisation folded in,
 * W·((f − mean)·scale) + b = (W·scale)·f + (b − Σ W·scale·mean). Null for an MLP head.
 */
export const rawLinearHead = (head: ExportedHead): { kernel: Float32Array; bias: Float32Array } | null => {
  if (head.sizes.length !== 2) return null;
  const [dim, classes] = head.sizes as [number, number];
  const [w, b] = head.weights as [number[], number[]];
  const kernel = new Float32Array(dim * classes);
  const bias = Float32Array.from(b);
  for (let i = 0; i < dim; i++)
    for (let c = 0; c < classes; c++) {
      const v = w[i * classes + c]! * head.scale[i]!;
      kernel[i * classes + c] = v;
      bias[c]! -= v * head.mean[i]!;
    }
  return { kernel, bias };
};

const source = (tf: Tf, set: FeatureSet, classes: number): BatchSource => ({
  size: set.rows,
  prefetch: set.fresh && set.prefetch ? set.prefetch : undefined,
  batch: async (indices, ctx) => {
    let x: Float32Array;
    if (set.fresh && ctx.phase === 'train') x = await set.fresh(indices, ctx);
    else {
      x = new Float32Array(indices.length * set.dim);
      indices.forEach((r, i) => x.set(set.x.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim));
    }
    return {
      x: tf.tensor2d(x, [indices.length, set.dim]),
      // tidy: the int labels and the int one-hot are intermediates; only the float targets survive.
      y: tf.tidy(() =>
        tf
          .oneHot(
            tf.tensor1d(
              Int32Array.from(indices, (r) => set.y[r]!),
              'int32',
            ),
            classes,
          )
          .toFloat(),
      ),
    };
  },
});

const predictProbs = async (
  tf: Tf,
  apply: (x: ReturnType<Tf['tensor2d']>) => ReturnType<Tf['tensor2d']>,
  set: FeatureSet,
): Promise<number[][]> => {
  const all = [set.x, ...(set.views ?? [])];
  const probs = tf.tidy(() =>
    tf.addN(all.map((x) => tf.softmax(apply(tf.tensor2d(x, [set.rows, set.dim]))))).div(all.length),
  );
  const flat = await probs.data();
  probs.dispose();
  const k = flat.length / Math.max(1, set.rows);
  return Array.from({ length: set.rows }, (_, r) => Array.from(flat.subarray(r * k, (r + 1) * k)));
};

/**
 * Trains a linear (or one-hidden-layer MLP) softmax head on fixed features with the engine's fit
 * loop (SGD momentum 0.9; best epoch chosen on validation accuracy, never on test), then predicts
 * validation and — once, with the best weights — test. Used by the linear probe, traditional
 * multimodal, note-only and metadata-only methods.
 */
export const trainFeatureHead = async (
  tf: Tf,
  sets: { train: FeatureSet; validation: FeatureSet; test?: FeatureSet },
  options: FeatureHeadOptions,
): Promise<FeatureHeadResult> => {
  const standardiser = fitStandardiser(sets.train);
  const train = standardise(sets.train, standardiser);
  const validation = standardise(sets.validation, standardiser);
  const sizes =
    options.head === 'mlp'
      ? [train.dim, options.hidden ?? 256, options.classes]
      : [train.dim, options.classes];
  const initialWeights =
    options.warmStart && options.head === 'linear'
      ? warmStartWeights(options.warmStart, standardiser, train.dim, options.classes)
      : undefined;
  const net = createDenseNet(tf, { sizes, activation: 'relu', seed: options.seed, initialWeights });
  try {
    const result = await fit(
      tf,
      net,
      { train: source(tf, train, options.classes), validation: source(tf, validation, options.classes) },
      {
        epochs: options.epochs,
        batchSize: options.batchSize,
        seed: options.seed,
        loss: 'softmaxCrossEntropy',
        optimizer: { type: 'sgd', learningRate: options.learningRate, momentum: 0.9 },
        monitor: 'val_accuracy',
        // A warm start is itself a candidate: training has to beat it on validation.
        initialCandidate: initialWeights !== undefined,
        runDir: options.runDir,
        signal: options.signal,
        onProgress: options.onProgress,
        // A resume re-reports the finished epochs, so a curve point lost to a crash between the
        // checkpoint and its append is written again (curve stores replace repeated points).
        callbacks: options.onEpochEnd
          ? [
              {
                trainBegin: (i) => i.history.forEach((logs) => options.onEpochEnd!(logs)),
                epochEnd: (logs) => options.onEpochEnd!(logs),
              },
            ]
          : [],
        stage: 'heads',
      },
    );
    const apply = (x: ReturnType<Tf['tensor2d']>) => net.apply(x, false) as ReturnType<Tf['tensor2d']>;
    const valProbs = await predictProbs(tf, apply, validation);
    const head: ExportedHead = {
      sizes,
      weights: await net.readWeights(),
      mean: Array.from(standardiser.mean),
      scale: Array.from(standardiser.scale),
      activation: 'relu',
    };
    const test = sets.test ? standardise(sets.test, standardiser) : null;
    const testProbs = test ? await predictProbs(tf, apply, test) : null;
    return {
      status: result.status,
      head,
      bestEpoch: result.best?.epoch ?? null,
      history: result.history,
      validation: {
        probs: valProbs,
        metrics: classificationMetrics(Array.from(validation.y), valProbs, options.classes),
      },
      test:
        test && testProbs
          ? {
              probs: testProbs,
              metrics: classificationMetrics(Array.from(test.y), testProbs, options.classes),
            }
          : null,
    };
  } finally {
    net.dispose();
  }
};
