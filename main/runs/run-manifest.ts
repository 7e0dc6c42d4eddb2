import { z } from 'zod';
import { RunConfig } from '../../shared/run/run-config';

/** One image of a run, as the main process hands it to the trainer (ids and paths, no names). */
export const RunItem = z.object({
  imageId: z.number().int(),
  /** Absolute path of the stored (or referenced) image file. */
  path: z.string().min(1),
  /** The file's content hash when the run froze it: a resume refuses a file that changed since. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Index into `classes`. */
  label: z.number().int().min(0),
  part: z.enum(['train', 'validation', 'test']),
  note: z.string().nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
export type RunItem = z.infer<typeof RunItem>;

/**
 * How the labels of a task with several raters per image became training labels: the reviewer's
 * adjudication where there is one, else the raters' majority; ties and unrated images are left out.
 * Counts are over the images of the split.
 */
export const LabelRule = z.object({
  rule: z.literal('adjudicated-else-majority'),
  raters: z.number().int(),
  adjudicated: z.number().int(),
  majority: z.number().int(),
  ties: z.number().int(),
  unrated: z.number().int(),
});
export type LabelRule = z.infer<typeof LabelRule>;

/** A metadata column left out of the fusion inputs, and why (shown with the results). */
export const ExcludedColumn = z.object({ name: z.string(), reason: z.string() });

/**
 * Everything the trainer needs for a run: the frozen snapshot's manifest (run-snapshot.ts), written
 * by the main process into the run folder (`manifest.json`) at every launch, from the snapshot
 * stored with the run, so a resumed run trains on exactly the same images, labels and split.
 */
export const RunManifest = z.object({
  runId: z.number().int(),
  config: RunConfig,
  classes: z.array(z.string()).min(2),
  items: z.array(RunItem).min(1),
  metadataColumns: z.array(z.object({ name: z.string(), kind: z.enum(['number', 'category']) })),
  excludedColumns: z.array(ExcludedColumn),
});
export type RunManifest = z.infer<typeof RunManifest>;
