import { z } from 'zod';
import { MAX_METADATA_KEY_CHARS } from './catalog-limits';

/** The three parts of a split. A group (patient, exam, source) never spans two of them. */
export const SplitPart = z.enum(['train', 'validation', 'test']);
export type SplitPart = z.infer<typeof SplitPart>;

/** Row ids of the catalog. */
export const CatalogId = z.number().int().positive();
const Id = CatalogId;
/** Who made a change: recorded in the label/note history. */
export const CatalogUser = z.string().trim().min(1).max(100);
const User = CatalogUser;
/** A label task by name; most datasets have one task called `label`. */
export const TaskName = z.string().trim().min(1).max(100).default('label');

/** Which frames of a multi-frame (cine) DICOM become images. */
export const FrameChoice = z.union([
  z.enum(['first', 'middle', 'all']),
  z.object({ every: z.number().int().min(1).max(10_000) }).strict(),
  z.array(z.number().int().min(0)).min(1).max(10_000),
]);
export type FrameChoice = z.infer<typeof FrameChoice>;

/**
 * What an import does with DICOM images whose file says BurnedInAnnotation = YES (names, ids or
 * dates drawn into the pixels): store them and count them (`warn`), black out the text band above
 * the scan sector or the dataset's mask rectangle before storing (`mask-band`), or refuse them
 * (`skip`).
 */
export const BurnedInPolicy = z.enum(['warn', 'mask-band', 'skip']);
export type BurnedInPolicy = z.infer<typeof BurnedInPolicy>;

/** A dataset's masking rectangle in image pixels (origin top-left), used by `mask-band`. */
export const BurnedInMask = z
  .object({
    x: z.number().int().min(0).max(65_535),
    y: z.number().int().min(0).max(65_535),
    w: z.number().int().min(1).max(65_535),
    h: z.number().int().min(1).max(65_535),
  })
  .strict();
export type BurnedInMask = z.infer<typeof BurnedInMask>;

/** Images that declare burned-in annotation, and how many of them were masked before storing. */
export const BurnedInCount = z.object({
  images: z.number().int().min(0),
  masked: z.number().int().min(0),
});
export type BurnedInCount = z.infer<typeof BurnedInCount>;

export const ImportOptions = z
  .object({
    /** A manifest.csv, a folder (sub-folder = class), or one image/DICOM file. */
    source: z.string().min(1).max(4096),
    dataset: z.string().trim().min(1).max(200),
    /** Keep images where they are instead of copying them into the managed store. */
    referenceInPlace: z.boolean().default(false),
    /**
     * Store the original bytes with their embedded metadata (EXIF, XMP, IPTC, ICC, comments, PNG
     * text chunks: names, MRNs, dates). Off by default: stored copies are stripped losslessly (same
     * pixels), and in-place originals are shown through a stripped copy.
     */
    keepOriginalBytes: z.boolean().default(false),
    /** Manifest column renames, `{ old: new }`, e.g. `{ diagnosis: 'label' }`. */
    mapping: z.record(z.string(), z.string()).default({}),
    /** Labels hold several classes separated by `;` or `|`. */
    multiLabel: z.boolean().default(false),
    task: TaskName,
    frames: FrameChoice.default('all'),
    /** Copy patient-identifying DICOM tags into metadata (off by default). */
    includeIdentifying: z.boolean().default(false),
    /** Replace DICOM patient/study ids by keyed pseudonyms (on by default). */
    pseudonymise: z.boolean().default(true),
    /** Replace manifest `patient_id` values by the same keyed pseudonyms (off: stored as typed). */
    pseudonymizePatientIds: z.boolean().default(false),
    /** DICOM images with burned-in annotation: warn (default), mask the text band, or skip. */
    burnedIn: BurnedInPolicy.default('warn'),
    thumbnails: z.boolean().default(true),
    /**
     * Read manifest files outside the manifest's folder (`../x.png`, absolute paths, symlinks that
     * lead out). Off by default; when on, the import report carries a notice.
     */
    allowOutsidePaths: z.boolean().default(false),
    user: User.default('import'),
    /** Chosen by the caller so it can match progress events and cancel before the answer arrives. */
    jobId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type ImportOptions = z.infer<typeof ImportOptions>;
export type ImportOptionsInput = z.input<typeof ImportOptions>;

export const ImportErrorCode = z.enum([
  'not-found',
  'unreadable',
  'empty',
  'not-an-image',
  'too-large',
  'corrupt',
  'unsupported',
  'malformed-row',
  'encoding',
  'missing-field',
  'outside-folder',
  'burned-in',
]);
export type ImportErrorCode = z.infer<typeof ImportErrorCode>;

export const ImportIssue = z.object({
  /** The file as the source names it (manifest `file` value or path under the folder). */
  file: z.string(),
  /** 1-based manifest line, when the issue comes from a manifest. */
  line: z.number().int().positive().nullable(),
  code: ImportErrorCode,
  reason: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssue>;

export const ImportDuplicate = z.object({
  file: z.string(),
  duplicateOf: z.string(),
  /** False when the two rows disagree on the label: worth a look before training. */
  sameLabel: z.boolean(),
});
export type ImportDuplicate = z.infer<typeof ImportDuplicate>;

/** Images of an import run whose content is already in another dataset (same sha256). */
export const ImportElsewhere = z.object({
  images: z.number().int().min(0),
  /** Per other dataset: its name and how many of this run's images it already holds. */
  datasets: z.array(z.object({ name: z.string(), images: z.number().int().min(0) })),
  /** Up to 20 of them: this run's file and the dataset that already has it. */
  examples: z.array(z.object({ file: z.string(), dataset: z.string() })).max(20),
});
export type ImportElsewhere = z.infer<typeof ImportElsewhere>;

export const ImportReport = z.object({
  jobId: z.string(),
  importId: Id,
  dataset: z.string(),
  datasetId: Id,
  source: z.string(),
  status: z.enum(['done', 'cancelled', 'failed']),
  /** Entries (files or DICOM frames) the source listed. */
  total: z.number().int().min(0),
  imported: z.number().int().min(0),
  /** Already in the dataset from an earlier run (resume). */
  skipped: z.number().int().min(0),
  duplicates: z.array(ImportDuplicate),
  errors: z.array(ImportIssue),
  /** Images imported by this run, per class. */
  labels: z.record(z.string(), z.number().int()),
  seconds: z.number().min(0),
  /** Things the user must see with the counts (e.g. files read from outside the manifest's folder). */
  notices: z.array(z.string()).default([]),
  /** DICOM images of this run that declare burned-in annotation (absent in reports of older runs). */
  burnedIn: BurnedInCount.optional(),
  /** Imported images whose content another dataset already holds (absent when none). */
  elsewhere: ImportElsewhere.optional(),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportProgress = z.object({
  jobId: z.string(),
  phase: z.enum(['scanning', 'importing', 'done', 'cancelled', 'failed']),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  imported: z.number().int().min(0),
  skipped: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  errors: z.number().int().min(0),
  ratePerSecond: z.number().min(0),
  etaSeconds: z.number().min(0).nullable(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const MetadataFilter = z
  .object({
    key: z.string().min(1).max(MAX_METADATA_KEY_CHARS),
    /** Numbers, or ISO dates (YYYY-MM-DD) for date metadata. */
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    /** Category values, any of. */
    values: z.array(z.string()).max(100).optional(),
  })
  .strict();

export const ImageSort = z.union([
  z
    .object({
      by: z.enum(['id', 'file', 'importedAt', 'width', 'height', 'label']),
      dir: z.enum(['asc', 'desc']).default('asc'),
    })
    .strict(),
  z
    .object({
      by: z.literal('metadata'),
      key: z.string().min(1),
      dir: z.enum(['asc', 'desc']).default('asc'),
    })
    .strict(),
]);

export const ImageQuery = z
  .object({
    datasetId: Id.optional(),
    task: TaskName,
    labels: z.array(z.string()).max(100).optional(),
    unlabeled: z.boolean().optional(),
    /** True: only images flagged for review; false: only images without a flag. */
    flagged: z.boolean().optional(),
    splitId: Id.optional(),
    parts: z.array(SplitPart).optional(),
    patient: z.string().max(200).optional(),
    /** Words searched in notes (SQLite FTS5; every word must match, prefix matching). */
    text: z.string().max(500).optional(),
    metadata: z.array(MetadataFilter).max(20).optional(),
    /** Only these images (e.g. those the assistant suggests one class for with p ≥ t). */
    ids: z.array(Id).max(20_000).optional(),
    sort: ImageSort.default({ by: 'id', dir: 'asc' }),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ImageQuery = z.infer<typeof ImageQuery>;
export type ImageQueryInput = z.input<typeof ImageQuery>;

export const ImageSummary = z.object({
  id: Id,
  datasetId: Id,
  file: z.string(),
  format: z.string(),
  sourceFormat: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  frame: z.number().int(),
  sha256: z.string(),
  labels: z.array(z.string()),
  /**
   * The version of the image's label state in the queried task (0 = never labelled): a write based
   * on what the row shows sends it (`baseVersion`/`baseVersions`), so a newer label is not overwritten.
   */
  labelVersion: z.number().int().min(0),
  patient: z.string().nullable(),
  notePreview: z.string().nullable(),
  part: SplitPart.nullable(),
  importedAt: z.string(),
  /** The image carries a review flag (the grid marks it). */
  flagged: z.boolean().optional(),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

export const ImagePage = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  items: z.array(ImageSummary),
});
export type ImagePage = z.infer<typeof ImagePage>;

const HistoryValue = z.union([z.array(z.string()), z.string(), z.null()]);

/**
 * A label accepted from the labeling assistant: the suggesting model and the probability it gave
 * the accepted class. Recorded with the history row so an accepted suggestion stays distinct from a
 * label typed from scratch (audits, exports).
 */
export const AcceptedSuggestion = z
  .object({ modelId: z.string().min(1).max(200), p: z.number().min(0).max(1) })
  .strict();
export type AcceptedSuggestion = z.infer<typeof AcceptedSuggestion>;
export const HistoryEntry = z.object({
  id: Id,
  batchId: Id,
  imageId: Id,
  /** A flag's value is its reason while set, null once cleared. */
  kind: z.enum(['label', 'note', 'flag']),
  task: z.string().nullable(),
  from: HistoryValue,
  to: HistoryValue,
  user: z.string(),
  reason: z.string(),
  origin: z.enum(['import', 'edit', 'undo']),
  undoesBatch: z.number().int().nullable(),
  at: z.string(),
  /** Set when the label was an accepted assistant suggestion; absent or null when typed. */
  suggestion: AcceptedSuggestion.nullable().optional(),
  /** A reviewer's adjudication of a multi-rater image (the raters' labels are in the reason). */
  adjudication: z.boolean().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const MetadataValue = z.object({
  key: z.string(),
  type: z.enum(['number', 'category', 'date']),
  value: z.union([z.number(), z.string()]),
});
export type MetadataValue = z.infer<typeof MetadataValue>;

/** A review flag on one image: why, who set it and when. */
export const ImageFlag = z.object({
  reason: z.string(),
  user: z.string(),
  at: z.string(),
});
export type ImageFlag = z.infer<typeof ImageFlag>;

/** One rater's label of one image (tasks asking for several raters per image). */
export const RaterLabel = z.object({ rater: z.string(), label: z.string(), at: z.string() });
export type RaterLabel = z.infer<typeof RaterLabel>;

export const ImageDetail = ImageSummary.extend({
  note: z.string().nullable(),
  metadata: z.array(MetadataValue),
  exam: z.string().nullable(),
  source: z.string().nullable(),
  originalPath: z.string(),
  referencedInPlace: z.boolean(),
  /** Label history of the requested task only, plus every note and flag change; newest first. */
  history: z.array(HistoryEntry),
  flag: ImageFlag.nullable(),
  /**
   * Multi-rater tasks only: the raters' labels this viewer may see (all for a reviewer, their own
   * for a labeler), whether the image is decided (adjudicated), and how many labels the task asks.
   */
  ratings: z.array(RaterLabel).optional(),
  decided: z.boolean().optional(),
  raters: z.number().int().optional(),
  /**
   * Version of this image's label state in the requested task (0: never written): a label write
   * carries it as `baseVersion`, and is refused with CONFLICT if someone wrote in between.
   */
  labelVersion: z.number().int().min(0),
  /** Who wrote the current labels of the task, and when (null when not recorded). */
  labelledBy: z.string().nullable(),
  labelledAt: z.string().nullable(),
});
export type ImageDetail = z.infer<typeof ImageDetail>;

/** A class colour as `#rrggbb` (stored lower-case). */
export const ClassColour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
  .transform((c) => c.toLowerCase());

export const LabelClass = z.object({
  name: z.string().trim().min(1).max(100),
  parent: z.string().nullable(),
  /** Shown in the grid and on the labeling buttons; null takes the palette colour of its position. */
  colour: ClassColour.nullable(),
});
export type LabelClass = z.infer<typeof LabelClass>;
export const LabelTask = z.object({
  id: Id,
  datasetId: Id,
  name: z.string(),
  kind: z.enum(['single', 'multi']),
  classes: z.array(LabelClass),
  /** Independent labels asked per image (absent or 1: one label; see catalog:setRaters). */
  raters: z.number().int().min(1).optional(),
});
export type LabelTask = z.infer<typeof LabelTask>;

/** One class of a task edit: `was` names the class it replaces (a rename); omitted keeps or adds by name. */
export const EditedClass = z
  .object({
    name: z.string().trim().min(1).max(100),
    was: z.string().trim().min(1).max(100).optional(),
    parent: z.string().nullable().default(null),
    colour: ClassColour.nullable().default(null),
  })
  .strict();
export type EditedClass = z.infer<typeof EditedClass>;

/** One edit of a task's classes, from the task's append-only log. */
export const TaskChange = z.object({
  id: Id,
  task: z.string(),
  from: z.array(LabelClass),
  to: z.array(LabelClass),
  user: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type TaskChange = z.infer<typeof TaskChange>;

const LabelCount = z.object({ label: z.string(), count: z.number().int() });
export const SplitSummary = z.object({
  id: Id,
  datasetId: Id,
  name: z.string(),
  seed: z.number().int(),
  ratios: z.object({ train: z.number(), validation: z.number(), test: z.number() }),
  createdAt: z.string(),
  /** True when an existing split with this name was returned instead of a new one. */
  reused: z.boolean(),
  parts: z.array(
    z.object({
      part: SplitPart,
      images: z.number().int(),
      groups: z.number().int(),
      labels: z.array(LabelCount),
    }),
  ),
});
export type SplitSummary = z.infer<typeof SplitSummary>;

export const DatasetStats = z.object({
  id: Id,
  name: z.string(),
  images: z.number().int(),
  unlabeled: z.number().int(),
  labels: z.array(LabelCount),
  splits: z.array(SplitSummary.omit({ reused: true })),
  /** Images whose file declares burned-in annotation (names/dates in the pixels), and how many were masked. */
  burnedIn: BurnedInCount,
  /** The dataset's masking rectangle for `mask-band` imports, if one was set. */
  burnedInMask: BurnedInMask.nullable(),
});
export type DatasetStats = z.infer<typeof DatasetStats>;

/** A dataset as lists show it: live (not deleted) datasets only. */
export const DatasetSummary = z.object({
  id: Id,
  name: z.string(),
  createdAt: z.string(),
  images: z.number().int(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

/** A dataset name as a person types it: required, never a placeholder. */
export const DatasetName = z.string().trim().min(1).max(200);

/** What deleting a dataset did: its name before, when, and by whom (kept in dataset_history). */
export const DatasetChange = z.object({ id: Id, name: z.string(), at: z.string(), user: z.string() });
export type DatasetChange = z.infer<typeof DatasetChange>;

/** Where the user was in a dataset and task: the focused list index and the image shown there. */
export const ViewPosition = z.object({ index: z.number().int().min(0), imageId: Id }).strict();

/**
 * Where the user was in this workspace, so a reload or a restart returns there: the dataset, the
 * screen, the label task chosen per dataset (key: dataset id) and the position per dataset and task
 * (key: `datasetId:task`).
 */
export const ViewState = z
  .object({
    datasetId: Id.nullable(),
    section: z.string().max(40).nullable(),
    tasks: z
      .record(z.string().max(20), z.string().max(100))
      .refine((r) => Object.keys(r).length <= 1000, 'at most 1,000 datasets'),
    positions: z
      .record(z.string().max(140), ViewPosition)
      .refine((r) => Object.keys(r).length <= 5000, 'at most 5,000 positions'),
    /** When the window changed it (ms since 1970): the newer of two copies wins. */
    savedAt: z.number().int().min(0).optional(),
  })
  .strict();
export type ViewState = z.infer<typeof ViewState>;

/** Settings of the open workspace's catalog. */
export const CatalogSettings = z.object({
  /** The labeller's name recorded in the audit trail; null until the user gave it. */
  userName: z.string().nullable(),
  /** Where the user was (null until the app saved it once). */
  view: ViewState.nullable(),
});
export type CatalogSettings = z.infer<typeof CatalogSettings>;
