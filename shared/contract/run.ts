import { z } from 'zod';
import { defineCall, defineEvent } from './define';
import { RunConfig, RunMethod } from '../run/run-config';
import { RunProgress } from '../run/run-progress';
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
  /** Labels changed after the run started: its results may be stale. */
  stale: z.boolean(),
});
export type RunListItem = z.infer<typeof RunListItem>;

export const RunDetail = RunListItem.extend({
  config: RunConfig,
  summary: RunSummary.nullable(),
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
