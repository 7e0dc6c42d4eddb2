import { z } from 'zod';
import { RunMethod } from '../run/run-config';
import { defineCall } from './define';

/** A point estimate with its bootstrap interval (percentile method). */
export const MetricInterval = z.object({ value: z.number(), lo: z.number(), hi: z.number() });
export type MetricInterval = z.infer<typeof MetricInterval>;

/** One method's intervals on one held-out part, and how many images they rest on. */
export const MethodIntervals = z.object({
  n: z.number().int(),
  accuracy: MetricInterval,
  balancedAccuracy: MetricInterval,
  macroF1: MetricInterval,
});
export type MethodIntervals = z.infer<typeof MethodIntervals>;

export const RunIntervals = z.object({
  runId: z.number().int(),
  split: z.enum(['validation', 'test']),
  resamples: z.number().int(),
  seed: z.number().int(),
  level: z.number(),
  methods: z.partialRecord(RunMethod, MethodIntervals),
});
export type RunIntervals = z.infer<typeof RunIntervals>;

export const runIntervalCalls = {
  'run:intervals': defineCall({
    input: z
      .object({
        runId: z.number().int().positive(),
        split: z.enum(['validation', 'test']).default('test'),
        resamples: z.number().int().min(100).max(20000).default(2000),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(1),
      })
      .strict(),
    output: RunIntervals,
    summary:
      'Seeded bootstrap 95% intervals of accuracy, balanced accuracy and macro-F1 per method, from the stored predictions.',
  }),
} as const;
