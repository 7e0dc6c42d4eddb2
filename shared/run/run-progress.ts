import { z } from 'zod';
import { RunMethod } from './run-config';

/** The stages of a run, in order. Heads on frozen features train in `heads`. */
export const RunStage = z.enum(['prepare', 'features', 'heads', 'stage1', 'stage2', 'evaluate', 'done']);
export type RunStage = z.infer<typeof RunStage>;

/** What the trainer reports as its stage: a run's stage, or `train` for a plain fit (generic jobs). */
export const TrainerStage = z.union([RunStage, z.literal('train')]);
export type TrainerStage = z.infer<typeof TrainerStage>;

/**
 * The one progress shape from the fit loop through the trainer protocol to the run service
 * (which adds run id and backend to make a RunProgress): throttled by the fit loop (~4 Hz),
 * `curve` set once per finished epoch. Runs count epochs from 1 (the fit loop from 0: the run's
 * runners add one).
 */
export const TrainerProgress = z.object({
  stage: TrainerStage,
  epoch: z.number().int(),
  epochs: z.number().int(),
  batch: z.number().int(),
  batchesPerEpoch: z.number().int(),
  loss: z.number(),
  imagesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** Multi-method jobs (the two-stage run): which method and seed this progress belongs to. */
  method: RunMethod.optional(),
  seed: z.number().int().optional(),
  /** Set once per finished epoch: the point the live curves add. */
  curve: z
    .object({
      epoch: z.number().int(),
      trainLoss: z.number(),
      validationLoss: z.number().nullable(),
      validationAccuracy: z.number().nullable(),
    })
    .optional(),
});
export type TrainerProgress = z.infer<typeof TrainerProgress>;

/** One point of a training curve (per epoch), for the live charts. */
export const CurvePoint = z.object({
  method: RunMethod,
  epoch: z.number().int().min(1),
  trainLoss: z.number(),
  trainAccuracy: z.number().nullable(),
  validationLoss: z.number().nullable(),
  validationAccuracy: z.number().nullable(),
});
export type CurvePoint = z.infer<typeof CurvePoint>;

/**
 * Progress of a running run, throttled to about 4 per second by the trainer. `curve` is set on
 * epoch ends (metrics are read back from tensors only then).
 */
export const RunProgress = z.object({
  runId: z.number().int(),
  seed: z.number().int(),
  stage: RunStage,
  method: RunMethod.nullable(),
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(0),
  batch: z.number().int().min(0),
  batches: z.number().int().min(0),
  imagesPerSecond: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  backend: z.string(),
  curve: CurvePoint.nullable(),
});
export type RunProgress = z.infer<typeof RunProgress>;

/** An epoch point of one seed, as the run stores it so its curves survive a reload. */
export const RunCurvePoint = CurvePoint.extend({ seed: z.number().int() });
export type RunCurvePoint = z.infer<typeof RunCurvePoint>;

/**
 * Appends an epoch point to the per-method curves, replacing a point re-sent after a resume (the
 * same seed, when points carry one, method and epoch).
 */
export const addCurvePoint = <T extends CurvePoint & { seed?: number }>(
  curves: readonly T[],
  point: T,
): T[] => [
  ...curves.filter((c) => !(c.seed === point.seed && c.method === point.method && c.epoch === point.epoch)),
  point,
];
