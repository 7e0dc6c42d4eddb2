import { z } from 'zod';
import { defineCall, defineEvent } from './define';
import { RunConfig, RunMethod } from '../run/run-config';
import { RunCurvePoint, RunProgress } from '../run/run-progress';
import { RunSummary } from '../run/run-result';

export const RunStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;

/** One run as lists show it (the full results are in `run:get`). */
export const RunListItem = z.object({
  runId: z.number().int(),
  datasetId: z.number().int(),
  dataset: z.string(),
  task: z.string(),
  status: RunStatus,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  backend: z.string().nullable(),
  /** Why it failed (typed trainer code and message); null otherwise. */
  error: z.string().nullable(),
  /** A finished run's best test accuracy among its methods, for the list. */
  headline: z.object({ method: RunMethod, testAccuracy: z.number(), macroF1: z.number() }).nullable(),
  /**
   * The run trained on an older catalog state: images of its frozen snapshot were removed,
   * changed, relabelled or got another note since it started (runs without a snapshot: labels
   * changed anywhere since). Its results describe its snapshot, not the catalog now.
   */
  stale: z.boolean(),
});
export type RunListItem = z.infer<typeof RunListItem>;

/** How many of a run's snapshot images the catalog changed since (each counted once). */
export const RunCatalogChanges = z.object({
  /** Deleted, or left without a label for the task or a split part. */
  removed: z.number().int(),
  contentChanged: z.number().int(),
  relabelled: z.number().int(),
  notesChanged: z.number().int(),
  total: z.number().int(),
});
export type RunCatalogChanges = z.infer<typeof RunCatalogChanges>;

export const RunDetail = RunListItem.extend({
  config: RunConfig,
  summary: RunSummary.nullable(),
  /** Null for runs from before snapshots were stored. */
  catalogChanges: RunCatalogChanges.nullable().optional(),
});
export type RunDetail = z.infer<typeof RunDetail>;

/** One stored prediction of a validation or test image, for the review workstation. */
export const RunPrediction = z.object({
  imageId: z.number().int(),
  file: z.string(),
  method: RunMethod,
  split: z.enum(['validation', 'test']),
  probs: z.array(z.number()),
  predicted: z.string(),
  actual: z.string().nullable(),
  correct: z.boolean().nullable(),
  confidence: z.number(),
});
export type RunPrediction = z.infer<typeof RunPrediction>;

/**
 * A Grad-CAM heat map of one image for one class, from the run's exported stage-1 network, in the
 * frame the network saw (the evaluation preprocessing: letterboxed square, `size` px).
 */
export const RunSaliency = z.object({
  runId: z.number().int(),
  imageId: z.number().int(),
  /** Saliency explains the image-only stage-1 network (the fused head has no spatial input). */
  method: z.literal('stage1_image'),
  classIndex: z.number().int(),
  label: z.string(),
  /** The stage-1 network's class probabilities for this image, and its predicted class. */
  probs: z.array(z.number()),
  predictedIndex: z.number().int(),
  size: z.number().int(),
  /** The network's input as a grey PNG (base64), and the heat map as an RGBA PNG of the same size. */
  imagePng: z.string(),
  heatmapPng: z.string(),
  /** The map on the last feature map's grid, divided by its maximum (row-major). */
  grid: z.object({ width: z.number().int(), height: z.number().int(), values: z.array(z.number()) }),
  /** The maximum before normalising; 0 means no positive evidence for the class anywhere. */
  peak: z.number(),
});
export type RunSaliency = z.infer<typeof RunSaliency>;

const runId = z.object({ runId: z.number().int().positive() }).strict();

export const runCalls = {
  'run:start': defineCall({
    input: z.object({ config: RunConfig }).strict(),
    output: z.object({ runId: z.number().int() }),
    summary: 'Starts a two-stage run (all methods) on a dataset in the trainer process.',
  }),
  'run:list': defineCall({
    input: z.object({ datasetId: z.number().int().positive().optional() }).strict(),
    output: z.array(RunListItem),
    summary: 'Runs, newest first, optionally of one dataset.',
  }),
  'run:get': defineCall({
    input: runId,
    output: RunDetail,
    summary: "One run's config, status and results.",
  }),
  'run:cancel': defineCall({
    input: runId,
    output: z.object({ cancelled: z.boolean() }),
    summary: 'Stops a running run at its next batch boundary; it can be resumed.',
  }),
  'run:resume': defineCall({
    input: runId,
    output: z.object({ runId: z.number().int() }),
    summary: 'Continues a cancelled or crashed run from its last checkpoint.',
  }),
  'run:predictions': defineCall({
    input: z
      .object({
        runId: z.number().int().positive(),
        method: RunMethod.optional(),
        split: z.enum(['validation', 'test']).optional(),
        wrongOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(5000).default(500),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    output: z.array(RunPrediction),
    summary: "A run's per-image predictions (most confident first), e.g. the confident errors of one method.",
  }),
  'run:exportReport': defineCall({
    input: z
      .object({
        runId: z.number().int().positive(),
        path: z.string().min(1).max(4096),
        format: z.enum(['html', 'csv']),
      })
      .strict(),
    output: z.object({ path: z.string(), bytes: z.number().int() }),
    summary: 'Writes the validation report (HTML or CSV) of a finished run.',
  }),
  'run:saliency': defineCall({
    input: z
      .object({
        runId: z.number().int().positive(),
        imageId: z.number().int().positive(),
        /** The class to explain, by index or by name; default the stage-1 network's prediction. */
        classIndex: z.number().int().min(0).optional(),
        label: z.string().min(1).max(200).optional(),
      })
      .strict()
      .refine((q) => q.classIndex === undefined || q.label === undefined, {
        message: 'give classIndex or label, not both',
      }),
    output: RunSaliency,
    summary: "Grad-CAM heat map of one image for one class from a finished run's exported stage-1 model.",
  }),
  'run:curves': defineCall({
    input: runId,
    output: z.array(RunCurvePoint),
    summary: "A run's stored epoch curve points (every seed and method), for charts after a reload.",
  }),
} as const;

export const runEvents = {
  'run:onProgress': defineEvent({
    payload: RunProgress,
    summary: 'Training progress of a running run (about 4 per second; epoch ends carry a curve point).',
  }),
  'run:onStatus': defineEvent({
    payload: z.object({ runId: z.number().int(), status: RunStatus, error: z.string().nullable() }),
    summary: 'A run was queued, started, finished, failed or was cancelled.',
  }),
} as const;
