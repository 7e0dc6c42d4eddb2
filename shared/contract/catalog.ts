import { z } from 'zod';
import {
  AcceptedSuggestion,
  BurnedInMask,
  CatalogId,
  CatalogSettings,
  DatasetChange,
  DatasetName,
  DatasetSummary,
  ViewState,
  CatalogUser,
  DatasetStats,
  EditedClass,
  HistoryEntry,
  ImageDetail,
  ImageFlag,
  ImagePage,
  ImageQuery,
  ImportOptions,
  ImportProgress,
  ImportReport,
  LabelClass,
  LabelTask,
  SplitPart,
  SplitSummary,
  TaskChange,
  TaskName,
  ClassColour,
} from './catalog-schemas';
import { MAX_NOTE_CHARS } from './catalog-limits';
import { defineCall, defineEvent } from './define';
import { labelJobCalls } from './label-jobs';
import { ratersCalls } from './raters';

export * from './catalog-schemas';
export * from './catalog-limits';
export * from './raters';
export * from './label-jobs';

const Reason = z.string().max(500).default('');
const LabelVersion = z.number().int().min(0);
const ExportFormat = z.enum(['csv', 'json']);
const FilePath = z.string().min(1).max(4096);

export const SplitRatios = z
  .object({ train: z.number().min(0), validation: z.number().min(0), test: z.number().min(0) })
  .strict()
  .refine((r) => Math.abs(r.train + r.validation + r.test - 1) < 1e-6, 'ratios must add up to 1');

export const catalogCalls = {
  'catalog:datasets': defineCall({
    input: z.object({}).strict(),
    output: z.array(DatasetSummary),
    summary: 'Datasets in the catalog with their image counts (deleted ones left out).',
  }),
  'catalog:renameDataset': defineCall({
    input: z.object({ datasetId: CatalogId, name: DatasetName, user: CatalogUser }).strict(),
    output: DatasetSummary,
    summary: 'Rename a dataset (CONFLICT when the name is taken); logged in the dataset history.',
  }),
  'catalog:deleteDataset': defineCall({
    input: z
      .object({
        datasetId: CatalogId,
        /** The dataset's current name, typed again: a second, deliberate confirmation. */
        confirmName: DatasetName,
        user: CatalogUser,
      })
      .strict(),
    output: DatasetChange,
    summary:
      'Delete a dataset: it leaves every list and its name is free; images, labels and the audit trail stay (marked deleted).',
  }),
  'catalog:settings': defineCall({
    input: z.object({}).strict(),
    output: CatalogSettings,
    summary: "The open workspace's catalog settings (the labeller's name).",
  }),
  'catalog:setUserName': defineCall({
    input: z.object({ name: CatalogUser }).strict(),
    output: CatalogSettings,
    summary: "Remember the labeller's name for this workspace (recorded in every change's history).",
  }),
  'catalog:setViewState': defineCall({
    input: z.object({ view: ViewState }).strict(),
    output: CatalogSettings,
    summary: 'Remember where the user was in this workspace (dataset, screen, task per dataset, positions).',
  }),
  'catalog:import': defineCall({
    input: ImportOptions,
    output: ImportReport,
    summary: 'Import a manifest, folder or DICOM file; progress arrives as catalog:onImportProgress.',
  }),
  'catalog:cancelImport': defineCall({
    input: z.object({ jobId: z.string().min(1).max(64) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    summary: 'Ask a running import to stop after its current batch (what is committed stays).',
  }),
  'catalog:exportImportReport': defineCall({
    input: z.object({ importId: CatalogId, path: FilePath, format: ExportFormat.default('json') }).strict(),
    output: z.object({ path: z.string(), rows: z.number().int() }),
    summary: 'Write the stored report of an import (duplicates and errors) as JSON or CSV.',
  }),
  'catalog:images': defineCall({
    input: ImageQuery,
    output: ImagePage,
    summary: 'One page of images with filters (label, split, patient, note text, metadata) and a total.',
  }),
  'catalog:image': defineCall({
    input: z.object({ id: CatalogId, task: TaskName }).strict(),
    output: ImageDetail,
    summary: "One image with its note, metadata, flag, and the given task's labels and history.",
  }),
  'catalog:tasks': defineCall({
    input: z.object({ datasetId: CatalogId }).strict(),
    output: z.array(LabelTask),
    summary: 'Label tasks of a dataset with their ordered classes.',
  }),
  'catalog:defineTask': defineCall({
    input: z
      .object({
        datasetId: CatalogId,
        name: TaskName,
        kind: z.enum(['single', 'multi']).default('single'),
        classes: z
          .array(
            LabelClass.extend({
              parent: z.string().nullable().default(null),
              colour: ClassColour.nullable().default(null),
            }),
          )
          .max(1000),
      })
      .strict(),
    output: LabelTask,
    summary: 'Create a label task or append classes to it (order and optional parent kept).',
  }),
  'catalog:editTask': defineCall({
    input: z
      .object({
        datasetId: CatalogId,
        task: TaskName,
        /** The task's whole new class list, in order: renames (`was`), reorders, additions, colours. */
        classes: z.array(EditedClass).min(1).max(1000),
        /**
         * Where labels of a removed class go: another class of the new list, or null to clear them.
         * Removing a class that still labels images without an entry here is refused (CONFLICT).
         */
        reassign: z.record(z.string(), z.string().nullable()).default({}),
        user: CatalogUser,
        reason: Reason,
      })
      .strict(),
    output: LabelTask,
    summary: 'Rename, reorder, recolour, add or remove classes of a task; logged in the task history.',
  }),
  'catalog:taskHistory': defineCall({
    input: z
      .object({ datasetId: CatalogId, task: TaskName, limit: z.number().int().min(1).max(1000).default(50) })
      .strict(),
    output: z.array(TaskChange),
    summary: "Edits of a task's classes, newest first.",
  }),
  'catalog:setLabels': defineCall({
    input: z
      .object({
        imageId: CatalogId,
        task: TaskName,
        labels: z.array(z.string()).max(100),
        user: CatalogUser,
        reason: Reason,
        /** The labels are an accepted assistant suggestion (recorded as such in the history). */
        suggestion: AcceptedSuggestion.optional(),
        /** The label version the user saw (image detail `labelVersion`); a stale one: CONFLICT. */
        baseVersion: LabelVersion.optional(),
      })
      .strict(),
    output: z.object({
      labels: z.array(z.string()),
      batchId: CatalogId.nullable(),
      /** The label state's version after the call. */
      version: LabelVersion,
    }),
    summary: 'Set the labels of one image (empty list clears); recorded in the history.',
  }),
  'catalog:bulkRelabel': defineCall({
    input: z
      .object({
        datasetId: CatalogId,
        task: TaskName,
        imageIds: z.array(CatalogId).max(100_000).optional(),
        from: z.string().optional(),
        to: z.array(z.string()).max(100),
        user: CatalogUser,
        reason: Reason,
        /** Per image: `to` is that image's accepted assistant suggestion (model, probability). */
        suggestions: z
          .array(
            z
              .object({
                imageId: CatalogId,
                modelId: AcceptedSuggestion.shape.modelId,
                p: AcceptedSuggestion.shape.p,
              })
              .strict(),
          )
          .max(100_000)
          .optional(),
        /** Per image, the label version the user saw; any stale one refuses the whole change. */
        baseVersions: z
          .array(z.object({ imageId: CatalogId, version: LabelVersion }).strict())
          .max(100_000)
          .optional(),
      })
      .strict(),
    output: z.object({ changed: z.number().int(), batchId: CatalogId.nullable() }),
    summary: 'Relabel many images in one undoable change (by ids and/or current class).',
  }),
  'catalog:setNote': defineCall({
    input: z
      .object({ imageId: CatalogId, text: z.string().max(MAX_NOTE_CHARS), user: CatalogUser, reason: Reason })
      .strict(),
    output: z.object({ batchId: CatalogId.nullable() }),
    summary: 'Replace the clinical note of an image (empty text removes it); recorded in the history.',
  }),
  'catalog:setFlag': defineCall({
    input: z.object({ imageId: CatalogId, flagged: z.boolean(), user: CatalogUser, reason: Reason }).strict(),
    output: z.object({ flag: ImageFlag.nullable(), batchId: CatalogId.nullable() }),
    summary: 'Flag an image for review (with a reason) or clear its flag; recorded in the history.',
  }),
  'catalog:history': defineCall({
    input: z
      .object({ imageId: CatalogId.optional(), limit: z.number().int().min(1).max(10_000).default(200) })
      .strict(),
    output: z.array(HistoryEntry),
    summary: 'Label, note and flag changes, newest first (one image or the whole catalog).',
  }),
  'catalog:undo': defineCall({
    input: z
      .object({
        user: CatalogUser.optional(),
        /** Undo exactly this change (nothing when it is already undone); default the most recent. */
        batchId: CatalogId.optional(),
      })
      .strict(),
    output: z.object({ batchId: CatalogId.nullable(), undone: z.number().int() }),
    summary: 'Undo one change: the given batch, or the most recent (optionally the most recent by one user).',
  }),
  'catalog:stats': defineCall({
    input: z.object({ datasetId: CatalogId.optional(), task: TaskName }).strict(),
    output: z.array(DatasetStats),
    summary: 'Images per dataset, per class and per split part.',
  }),
  'catalog:createSplit': defineCall({
    input: z
      .object({
        datasetId: CatalogId,
        name: z.string().trim().min(1).max(100).optional(),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31)
          .default(42),
        ratios: SplitRatios.default({ train: 0.7, validation: 0.15, test: 0.15 }),
        task: TaskName,
      })
      .strict(),
    output: SplitSummary,
    summary: 'Group-aware stratified split; an existing split of the same name is reused.',
  }),
  'catalog:splits': defineCall({
    input: z.object({ datasetId: CatalogId }).strict(),
    output: z.array(SplitSummary),
    summary: 'Stored splits of a dataset with per-part counts.',
  }),
  'catalog:export': defineCall({
    input: z
      .object({
        datasetId: CatalogId,
        path: FilePath,
        format: ExportFormat.default('csv'),
        splitId: CatalogId.optional(),
        task: TaskName,
      })
      .strict(),
    output: z.object({ path: z.string(), rows: z.number().int() }),
    summary: 'Export labels, notes and metadata (manifest convention) as CSV or JSON.',
  }),
  'catalog:setBurnedInMask': defineCall({
    input: z
      .object({
        datasetId: CatalogId.optional(),
        /** Or the dataset by name (created if missing), e.g. from the import form before the first import. */
        dataset: z.string().trim().min(1).max(200).optional(),
        mask: BurnedInMask.nullable(),
      })
      .strict()
      .refine((q) => (q.datasetId === undefined) !== (q.dataset === undefined), {
        message: 'give datasetId or dataset, not both',
      }),
    output: z.object({ datasetId: CatalogId, mask: BurnedInMask.nullable() }),
    summary:
      "Set (or clear with null) a dataset's masking rectangle: later imports with burnedIn 'mask-band' black it out before storing.",
  }),
  'catalog:backup': defineCall({
    input: z.object({ path: FilePath }).strict(),
    output: z.object({ path: z.string(), bytes: z.number().int() }),
    summary: 'Online backup of the catalog database (SQLite backup API).',
  }),
  /** Several raters per image, agreement, adjudication (shared/contract/raters.ts). */
  ...ratersCalls,
  /** The work split: batches of images per labeler (shared/contract/label-jobs.ts). */
  ...labelJobCalls,
} as const;

export const CatalogChange = z.object({
  datasetId: CatalogId.nullable(),
  kind: z.enum(['import', 'labels', 'notes', 'flags', 'tasks', 'split', 'undo', 'datasets']),
  /** The images touched, when few enough to list (at most 1,000). */
  imageIds: z.array(CatalogId).max(1000),
});
export type CatalogChange = z.infer<typeof CatalogChange>;

export const catalogEvents = {
  'catalog:onImportProgress': defineEvent({
    payload: ImportProgress,
    summary: 'Import progress (count, rate, ETA), about 4 per second.',
  }),
  'catalog:onChanged': defineEvent({
    payload: CatalogChange,
    summary: 'Catalog data changed; views refresh.',
  }),
} as const;

export { SplitPart };
