import type { StoredArray } from './checkpoint-file';
import type { BatchContext } from './fit-types';

/**
 * What the fit loop trains: anything that can take an optimizer step on some training samples,
 * score itself on validation and hand its weights and optimizer state to a checkpoint. A tfjs
 * model with a batch source (`tfTrainable`), the stage-1 network in wasm replica threads
 * (`stage1Trainable`) and a fake in a test all fit. The loop owns the order, batch seeds,
 * out-of-memory halving, checkpoints, best-epoch choice and cancel; the trainable owns the maths.
 */
export interface Trainable {
  /** Samples in the training set; the loop shuffles positions 0..trainSize-1. */
  readonly trainSize: number;
  /** Batches hold a multiple of this many samples (data-parallel replicas); default 1. */
  readonly granularity?: number;
  /** Called at the start of every epoch the loop runs, also one resumed mid-way (schedules). */
  beginEpoch?(epoch: number): Promise<void> | void;
  /**
   * One optimizer step on the training samples at `indices` (the loop's order); resolves their
   * mean loss. Throws the backend's out-of-memory error unchanged (the loop halves and retries).
   */
  trainBatch(indices: readonly number[], ctx: BatchContext): Promise<number>;
  /**
   * Called right after `trainBatch` started, with the batch the loop expects to train next: a
   * trainable may prepare it while the current step computes (a guess: it may never come).
   */
  prefetch?(indices: readonly number[], ctx: BatchContext): void;
  /** Validation loss and accuracy of the current weights in inference mode; absent: no validation. */
  validate?(): Promise<{ loss: number; accuracy: number }>;
  /** Every weight a checkpoint restores (trainable, frozen, BatchNorm statistics). */
  readWeights(): Promise<StoredArray[]>;
  writeWeights(arrays: readonly StoredArray[]): Promise<void>;
  /** The optimizer's state (moments, iteration); [] when it has none or cannot tell. */
  readOptimizer(): Promise<StoredArray[]>;
  writeOptimizer(arrays: readonly StoredArray[]): Promise<void>;
}
