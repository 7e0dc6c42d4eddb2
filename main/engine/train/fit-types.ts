import type * as tfjs from '@tensorflow/tfjs';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import type { TrainerProgress, TrainerStage } from '../../../shared/run/run-progress';

/** The tfjs namespace the loop runs on: the one `selectBackend` returned. */
export type Tf = typeof tfjs;

/** A variable with the stable name it has in checkpoints (tf's own variable names are per process). */
export interface NamedVariable {
  name: string;
  variable: Variable;
}

/**
 * What `fit` trains ("model-ish"): a forward pass plus the variables. Anything fits: a tfjs-layers
 * model through `fitModelFromLayers`, a hand-written net, a frozen backbone + head (list only the
 * head in `trainableVariables`: frozen parts simply get no gradient).
 */
export interface FitModel {
  /** Forward pass. `training` selects dropout and BatchNorm batch statistics. */
  apply(x: Tensor | Tensor[], training: boolean): Tensor;
  /** Variables the optimizer updates, in a stable order (optimizer accumulators are positional). */
  trainableVariables(): Variable[];
  /** Everything a checkpoint saves and restores (trainable, frozen, BatchNorm statistics). */
  stateVariables(): NamedVariable[];
}

/** One batch; the loop disposes its tensors after the step. */
export interface Batch {
  x: Tensor | Tensor[];
  y: Tensor;
}

/** Where a batch sits, and a seed for its random augmentation that is the same after a resume. */
export interface BatchContext {
  /** `train` batches may augment; `eval` batches (validation) should not. */
  phase: 'train' | 'eval';
  epoch: number;
  /** Samples of this epoch already consumed before this batch. */
  offset: number;
  seed: number;
}

/** A data split the loop draws batches from by sample index (fresh augmentation per call is fine). */
export interface BatchSource {
  readonly size: number;
  batch(indices: readonly number[], ctx: BatchContext): Batch | Promise<Batch>;
  /** Optional: start preparing the training batch that comes next (see Trainable.prefetch). */
  prefetch?(indices: readonly number[], ctx: BatchContext): void;
}

/** Training data and the validation split used for best-epoch selection. There is no test here, by design. */
export interface FitData {
  train: BatchSource;
  validation?: BatchSource;
}

/** Built-in losses; `softmaxCrossEntropy` takes logits, `categoricalCrossentropy` probabilities. */
export type LossName = 'softmaxCrossEntropy' | 'categoricalCrossentropy' | 'meanSquaredError';
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Scalar;

/** Serialisable optimizer choice (it goes into checkpoints and trainer jobs). */
export type OptimizerSpec =
  | { type: 'sgd'; learningRate: number; momentum?: number; nesterov?: boolean }
  | { type: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number };

/** Metrics of one finished epoch. */
export interface EpochLogs {
  epoch: number;
  /** Mean training loss over the epoch's samples. */
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
  /** Batch size at the end of the epoch (smaller than asked after an out-of-memory retry). */
  batchSize: number;
}

/** The best epoch so far on the monitored validation metric. */
export interface BestEpoch {
  epoch: number;
  monitor: 'val_loss' | 'val_accuracy';
  value: number;
  /** Its validation loss (for `monitorTieBreak`; absent in checkpoints written before it). */
  loss?: number;
}

export interface BatchInfo {
  epoch: number;
  /** Batch number within this epoch as run (retries after out-of-memory do not count twice). */
  batch: number;
  offset: number;
  size: number;
}

/** What `fit` resolves to. A cancelled fit resolves too; its checkpoint resumes it. */
export interface FitResult {
  status: 'completed' | 'cancelled';
  history: EpochLogs[];
  best: BestEpoch | null;
  /** First epoch run by this call (> 0 after a resume). */
  startEpoch: number;
  batchSize: number;
}

/**
 * Hooks around every phase, fastai style. Any may be async; the loop awaits them. On cancel the
 * order is `cancelled` then `trainEnd` (trainEnd always runs when the loop ends without throwing).
 */
export interface FitCallbacks {
  /** `history`: the epochs a resumed fit finished before (empty on a fresh start). */
  trainBegin?(info: { epochs: number; startEpoch: number; resumed: boolean; history: EpochLogs[] }): unknown;
  epochBegin?(info: { epoch: number }): unknown;
  batchBegin?(info: BatchInfo): unknown;
  batchEnd?(info: BatchInfo & { loss: number }): unknown;
  epochEnd?(logs: EpochLogs): unknown;
  /** After a checkpoint file was written (`path`), with the position it resumes from. */
  checkpoint?(info: { path: string; epoch: number; offset: number }): unknown;
  /** A batch hit out-of-memory and is being retried at `to` samples. */
  batchRetry?(info: { epoch: number; offset: number; from: number; to: number; message: string }): unknown;
  cancelled?(info: { epoch: number; offset: number; checkpointPath: string | null }): unknown;
  trainEnd?(result: FitResult): unknown;
}

/** Throttled progress for the UI (see `fit-progress.ts`): the one shape the trainer protocol carries. */
export type FitProgress = TrainerProgress;

/** Options of the training loop (`fitTrainable`), whatever it trains. */
export interface LoopOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  /** Shuffle the training order each epoch with the seeded RNG (default true). */
  shuffle?: boolean;
  /** Run folder for checkpoints (latest.ckpt, best.ckpt). Without it nothing is written. */
  runDir?: string;
  /** Continue from runDir's latest checkpoint when there is one (default true). */
  resume?: boolean;
  /** Validation metric for best-epoch selection (default val_accuracy when there is validation). */
  monitor?: 'val_loss' | 'val_accuracy';
  /** At the end, load the best epoch's weights into the model (default true when monitoring). */
  restoreBestWeights?: boolean;
  /**
   * Score the starting weights on validation before training (a warm start, e.g. an ensemble of
   * single-modality heads): they are the best so far (epoch −1) and training must beat them.
   */
  initialCandidate?: boolean;
  /** `val_loss`: an epoch that ties the best accuracy with a lower validation loss wins. */
  monitorTieBreak?: 'val_loss';
  callbacks?: readonly FitCallbacks[];
  /** Cooperative cancel: checked at every batch boundary. */
  signal?: AbortSignal;
  /** Which errors count as out-of-memory (default `isOutOfMemoryError`). */
  isOutOfMemory?: (err: unknown) => boolean;
  /** Never halve below this (default 1); an OOM at this size is rethrown. */
  minBatchSize?: number;
  /** Progress for the UI, throttled to `progressIntervalMs` (default 250 ms, ~4 Hz). */
  onProgress?: (progress: FitProgress) => void;
  progressIntervalMs?: number;
  stage?: TrainerStage;
  now?: () => number;
}

/** Options of `fit` (a tfjs model): the loop's, plus the loss and the optimizer it creates. */
export interface FitOptions extends LoopOptions {
  loss: LossName | LossFn;
  optimizer: OptimizerSpec;
  validationBatchSize?: number;
}
