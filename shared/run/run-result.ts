import { z } from 'zod';
import { RunConfig, RunMethod } from './run-config';

export const PerClass = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(),
});

/** Metrics of one method on one split part (see shared/metrics/classification-metrics.ts). */
export const SplitMetrics = z.object({
  n: z.number().int(),
  accuracy: z.number(),
  balancedAccuracy: z.number(),
  macroF1: z.number(),
  ece: z.number(),
  perClass: z.array(PerClass),
  confusion: z.array(z.array(z.number().int())),
});
export type SplitMetrics = z.infer<typeof SplitMetrics>;

export const Spread = z.object({ mean: z.number(), sd: z.number(), n: z.number().int() });

export const MethodResult = z.object({
  validation: SplitMetrics,
  test: SplitMetrics,
  /** Epoch chosen on validation accuracy (never on test). */
  bestEpoch: z.number().int().nullable(),
  /** Over seeds, when the run was repeated: accuracy and macro-F1 on test. */
  seedSpread: z.object({ accuracy: Spread, macroF1: Spread, balancedAccuracy: Spread }).nullable(),
});
export type MethodResult = z.infer<typeof MethodResult>;

export const PartCounts = z.record(z.string(), z.number().int());

/** Everything a finished run reports; stored with the run, shown in the UI, exported in the report. */
export const RunSummary = z.object({
  runId: z.number().int(),
  createdAt: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  dataset: z.string(),
  task: z.string(),
  classes: z.array(z.string()).min(2),
  config: RunConfig,
  backend: z.string(),
  /** A label-history position: results may be stale when labels changed after it. */
  labelVersion: z.number().int(),
  split: z.object({
    id: z.number().int(),
    name: z.string(),
    groupedBy: z.string(),
    counts: z.object({ train: PartCounts, validation: PartCounts, test: PartCounts }),
  }),
  methods: z.partialRecord(RunMethod, MethodResult),
  /** Methods not trained and why (e.g. note-only on a dataset without notes). */
  skipped: z.partialRecord(RunMethod, z.string()).default({}),
  /** What the user should know about the inputs (e.g. a metadata column left out as a label proxy). */
  notices: z.array(z.string()).default([]),
  timing: z.record(z.string(), z.number()),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const Misclassified = z.object({
  imageId: z.number().int(),
  file: z.string(),
  method: RunMethod,
  split: z.enum(['validation', 'test']),
  trueLabel: z.string(),
  predicted: z.string(),
  confidence: z.number(),
});
export type Misclassified = z.infer<typeof Misclassified>;
