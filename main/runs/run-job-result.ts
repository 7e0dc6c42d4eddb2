import { z } from 'zod';
import { MethodResult } from '../../shared/run/run-result';
import { RunMethod } from '../../shared/run/run-config';

/** What the two-stage job returns to the main process (validated there on receipt). */
export const RunJobResult = z.object({
  /** The engine backend and how stage 1 used it, e.g. "wasm (2 wasm replica threads)". */
  backend: z.string(),
  methods: z.partialRecord(RunMethod, MethodResult),
  skipped: z.partialRecord(RunMethod, z.string()),
  timing: z.record(z.string(), z.number()),
  /** JSON file in the run folder: the first seed's probabilities per image, method and split. */
  predictionsFile: z.string(),
  /** The exported model folder (first seed), or null when neither stage 1 nor proposed ran. */
  modelDir: z.string().nullable().default(null),
  /** Findings about the data the user should read with the metrics (e.g. near-duplicates). */
  notices: z.array(z.string()).default([]),
  /** Per seed: stage-1 validation accuracy per epoch (the curve the UI redraws after a restart). */
  stage1History: z.array(
    z.object({
      seed: z.number().int(),
      epochs: z.array(
        z.object({ epoch: z.number().int(), validationAccuracy: z.number(), trainLoss: z.number() }),
      ),
    }),
  ),
});
export type RunJobResult = z.infer<typeof RunJobResult>;

/** One stored prediction row (the catalog's predictions table takes these). */
export const PredictionRow = z.object({
  imageId: z.number().int(),
  method: RunMethod,
  split: z.enum(['validation', 'test']),
  probs: z.array(z.number()),
});
export type PredictionRow = z.infer<typeof PredictionRow>;
