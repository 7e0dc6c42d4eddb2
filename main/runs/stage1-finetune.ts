import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readCheckpoint } from '../engine/train/checkpoint-file';
import { fitTrainable } from '../engine/train/fit-loop';
import type { FitProgress } from '../engine/train/fit-types';
import type { Augmenter } from '../augment/create-augmenter';
import type { ImageTrainer } from './image-trainer';
import type { RunImages } from './run-images';
import { createStage1Trainable, type Stage1TrainableOptions } from './stage1-trainable';

export { epochLearningRate, smoothTargets } from './stage1-trainable';

/** One finished stage-1 epoch (1-based, as runs report epochs). */
export interface Stage1Epoch {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationAccuracy: number;
  seconds: number;
  /** Re-reported at a resume (finished before it): for curves, not for logs. */
  replayed?: boolean;
}

export interface Stage1Options extends Stage1TrainableOptions {
  batchSize: number;
  seed: number;
  /** Folder of this stage's checkpoints (the fit loop's latest.ckpt and best.ckpt). */
  dir: string;
  /** The fit loop's throttled progress (epoch 0-based, as the loop counts). */
  onProgress?: (p: FitProgress) => void;
  onEpoch?: (e: Stage1Epoch) => void;
  /** The backend ran out of memory: the loop continues with smaller batches. */
  onBatchRetry?: (from: number, to: number) => void;
  /** Stage 1 could not continue its checkpoint and starts over (why). */
  onRestart?: (why: string) => void;
}

export interface Stage1Result {
  status: 'completed' | 'cancelled';
  /** 1-based best epoch on validation accuracy (ties: lower validation loss). */
  bestEpoch: number;
  history: Array<Omit<Stage1Epoch, 'seconds'>>;
}

/**
 * Stage 1: fine-tunes the whole backbone and its new head on the training images with the fit
 * loop (fit-loop.ts: seeded shuffle and batch seeds, out-of-memory halving, latest/best
 * checkpoints with the optimizer state, bit-identical resume, cancel at a batch boundary). Best
 * epoch on validation accuracy, ties broken by the lower validation loss; the test split is never
 * looked at here. Returns with the best epoch's weights loaded.
 */
export const fineTuneStage1 = async (
  trainer: ImageTrainer,
  images: RunImages,
  split: { train: readonly number[]; validation: readonly number[]; labels: readonly number[] },
  augmenters: { train: Augmenter; evaluate: Augmenter },
  opts: Stage1Options,
): Promise<Stage1Result> => {
  // Stage 1 had its own loop before the fit loop: its checkpoints (no optimizer state, another
  // shuffle) cannot continue exactly, so such a stage 1 starts over instead of failing the resume.
  const old = await readCheckpoint<{ epochsDone?: number }>(join(opts.dir, 'latest.ckpt'));
  if (old && old.state.epochsDone !== undefined) {
    await rm(join(opts.dir, 'latest.ckpt'), { force: true });
    await rm(join(opts.dir, 'best.ckpt'), { force: true });
    opts.onRestart?.(`stage 1 checkpoint from before the shared training loop: stage 1 starts over`);
  }
  const trainable = createStage1Trainable(trainer, images, split, augmenters, opts);
  let epochStart = performance.now();
  const result = await fitTrainable(trainable, {
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    seed: opts.seed,
    runDir: opts.dir,
    monitor: 'val_accuracy',
    monitorTieBreak: 'val_loss',
    signal: opts.signal,
    stage: 'stage1',
    onProgress: opts.onProgress,
    callbacks: [
      {
        trainBegin: (i) => {
          epochStart = performance.now();
          // A resume re-reports the finished epochs (a curve point lost to a crash comes back).
          for (const logs of i.history)
            opts.onEpoch?.({
              epoch: logs.epoch + 1,
              trainLoss: logs.loss,
              validationLoss: logs.valLoss ?? NaN,
              validationAccuracy: logs.valAccuracy ?? NaN,
              seconds: 0,
              replayed: true,
            });
        },
        epochBegin: () => void (epochStart = performance.now()),
        batchRetry: (r) => opts.onBatchRetry?.(r.from, r.to),
        epochEnd: (logs) =>
          opts.onEpoch?.({
            epoch: logs.epoch + 1,
            trainLoss: logs.loss,
            validationLoss: logs.valLoss ?? NaN,
            validationAccuracy: logs.valAccuracy ?? NaN,
            seconds: (performance.now() - epochStart) / 1000,
          }),
      },
    ],
  });
  return {
    status: result.status,
    bestEpoch: (result.best?.epoch ?? -1) + 1,
    history: result.history.map((h) => ({
      epoch: h.epoch + 1,
      trainLoss: h.loss,
      validationLoss: h.valLoss ?? NaN,
      validationAccuracy: h.valAccuracy ?? NaN,
    })),
  };
};
