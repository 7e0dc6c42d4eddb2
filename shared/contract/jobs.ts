import { z } from 'zod';
import { defineCall, defineEvent } from './define';

export const JobState = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

/** A background job (import, thumbnails, training run …) as the status bar shows it. */
export const JobInfo = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  state: JobState,
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  /** Items per second, smoothed; null until measurable. */
  ratePerSecond: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  message: z.string().nullable(),
  cancellable: z.boolean(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const jobsCalls = {
  'jobs:list': defineCall({
    input: z.object({}).strict(),
    output: z.array(JobInfo),
    summary: 'Running jobs and the most recently finished ones.',
  }),
  'jobs:cancel': defineCall({
    input: z.object({ id: z.string().min(1).max(64) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    summary: 'Asks a running job to stop at its next safe point.',
  }),
} as const;

export const jobsEvents = {
  'jobs:onUpdate': defineEvent({
    payload: JobInfo,
    summary: 'A job started, progressed (at most ~4 Hz) or finished.',
  }),
} as const;
