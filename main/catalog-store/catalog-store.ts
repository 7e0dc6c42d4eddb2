import type {
  AcceptedSuggestion,
  CatalogChange,
  DatasetChange,
  DatasetStats,
  DatasetSummary,
  HistoryEntry,
  ImageDetail,
  ImageFlag,
  ImagePage,
  ImageQuery,
  LabelTask,
  SplitPart,
  SplitSummary,
  TaskChange,
} from '../../shared/contract/catalog';
import type { TaskEditInput } from '../catalog/catalog-task-edits';
import type { LabelJob } from '../../shared/contract/label-jobs';
import type { RaterStore } from './rater-store';

/** Which engine holds the catalog: one workstation's SQLite file, or a department's PostgreSQL. */
export type CatalogEngine = 'sqlite' | 'postgres';

/** A label write. `baseVersion` is the label version the writer saw (pg-concurrency: stale = CONFLICT). */
export interface SetLabelsInput {
  imageId: number;
  task: string;
  labels: string[];
  user: string;
  reason: string;
  suggestion?: AcceptedSuggestion;
  baseVersion?: number;
}

/** Many images relabelled in one undoable batch (by ids and/or current class), as `catalog:bulkRelabel`. */
export interface BulkRelabelInput {
  datasetId: number;
  task: string;
  imageIds?: number[];
  from?: string;
  to: string[];
  user: string;
  reason: string;
  suggestions?: Array<{ imageId: number } & AcceptedSuggestion>;
  /** Per image, the label version the writer saw; any stale one refuses the whole change (CONFLICT). */
  baseVersions?: Array<{ imageId: number; version: number }>;
}

/** A class as `catalog:defineTask` gives it: an existing class keeps its parent; a colour given is set. */
export interface DefinedClass {
  name: string;
  parent?: string | null;
  colour?: string | null;
}

/** A class list entry in the one shape both engines write. */
export const definedClass = (c: string | DefinedClass): Required<DefinedClass> =>
  typeof c === 'string'
    ? { name: c, parent: null, colour: null }
    : { name: c.name, parent: c.parent ?? null, colour: c.colour ?? null };

/** A split to create, as `catalog:createSplit` takes it (ratios add up to 1). */
export interface CreateSplitInput {
  datasetId: number;
  name?: string;
  seed: number;
  ratios: Record<SplitPart, number>;
  task: string;
}

/** An export of a dataset's labels, notes and metadata (`path` already checked by the handler). */
export interface ExportInput {
  datasetId: number;
  path: string;
  format: 'csv' | 'json';
  splitId?: number;
  task: string;
}

/** Which batch an undo takes: exactly `batchId`, else the newest (of the signed-in user when `mine`). */
export interface UndoInput {
  batchId?: number;
  mine?: boolean;
}

export interface SetNoteInput {
  imageId: number;
  text: string;
  user: string;
  reason: string;
}

export interface SetFlagInput {
  imageId: number;
  flagged: boolean;
  user: string;
  reason: string;
}

/** One image as an import writes it: store-relative path only (never a machine's absolute path). */
export interface NewImage {
  datasetId: number;
  sha256: string;
  frame: number;
  /** The file name shown in lists (no folders). */
  file: string;
  /** Where the file came from, relative to the imported manifest or folder. */
  originalPath: string;
  /** The path inside the shared content store (`ab/cd/<sha256>.png`), relative. */
  storedPath: string | null;
  format: string;
  sourceFormat: string;
  width: number;
  height: number;
  bytes: number;
  patient?: string | null;
  exam?: string | null;
  source?: string | null;
  importJobId?: number | null;
  metadata?: Record<string, string>;
  note?: string | null;
  /** Labels per task name (the task must exist, {@link CatalogStore.defineTask}, except the default "label"). */
  labels?: Record<string, string[]>;
  user: string;
}

/** Labeling batches (pg: pg-label-jobs.ts; SQLite: the service's label-jobs.ts), as `catalog:*Label*Job*` serve them. */
export interface LabelJobStore {
  /** Assigns N unlabeled images in no other batch of the task; CONFLICT when none is left. */
  create(input: { datasetId: number; task: string; assignee: string; size: number }): Promise<LabelJob>;
  list(input: { datasetId: number; task?: string; assignee?: string }): Promise<LabelJob[]>;
  /** The batch's still-unlabeled images, in batch order. */
  queue(jobId: number, limit: number): Promise<number[]>;
}

/** One image of a dataset as a run snapshot freezes it (see main/runs/build-run-manifest.ts). */
export interface SnapshotRow {
  id: number;
  sha256: string;
  frame: number;
  file: string;
  format: string;
  width: number;
  height: number;
  bytes: number;
  /** Group keys (pseudonyms): a group-aware split keeps each group on one side. */
  patient: string | null;
  exam: string | null;
  source: string | null;
  /** Store-relative path of the file to train on. */
  storedPath: string | null;
  label: string | null;
  part: SplitPart | null;
  note: string | null;
  metadata: Record<string, { type: 'number' | 'category' | 'date'; num: number | null; text: string }>;
}

/**
 * THE catalog repository: everything the services do to a catalog goes through this async
 * interface, with one implementation per engine (sqlite-catalog-store.ts over today's synchronous
 * code, pg-catalog-store.ts over npm `pg`). Both give the same semantics: paging, filters, sorts,
 * note search (FTS5 / tsvector), label/note/flag writes each with a history row, the same ids.
 *
 * Errors are AppError (shared/contract/result.ts): NOT_FOUND, INVALID_INPUT, CONFLICT (stale label
 * write), FORBIDDEN (only reviewers adjudicate). A store never logs parameters or a password.
 */
export interface CatalogStore {
  readonly engine: CatalogEngine;
  /** Where the catalog lives, printable: a file path, or a URL with its password redacted. */
  readonly location: string;

  /** Who edits: the signed-in PostgreSQL role (current_user), or the workstation's recorded name. */
  currentUser(): Promise<string>;
  /** Reviewer (may adjudicate): member of role `sonofuse_reviewer` in pg; a setting in SQLite. */
  isReviewer(): Promise<boolean>;

  datasets(): Promise<DatasetSummary[]>;
  /** Renames a dataset (CONFLICT when the name is taken), logged in the dataset history. */
  renameDataset(input: { datasetId: number; name: string }): Promise<DatasetSummary>;
  /**
   * Deletes a dataset (a mark; images and history stay) when `confirmName` is its current name
   * (CONFLICT otherwise); reviewers only (FORBIDDEN).
   */
  deleteDataset(input: { datasetId: number; confirmName: string }): Promise<DatasetChange>;
  /** The id of the dataset with this name, created when missing. */
  ensureDataset(name: string): Promise<number>;

  tasks(datasetId: number): Promise<LabelTask[]>;
  /** Creates a task (or adds missing classes to an existing one of the same kind). */
  defineTask(input: {
    datasetId: number;
    name: string;
    kind: 'single' | 'multi';
    /** A name, or a class with its parent (another class of the task) and colour. */
    classes: Array<string | DefinedClass>;
  }): Promise<LabelTask>;

  /**
   * Rename, reorder, recolour, add or remove classes (catalog-task-edits.ts semantics): removing a
   * class that labels images needs `reassign` (CONFLICT otherwise); logged in the task history.
   */
  editTask(input: Omit<TaskEditInput, 'user'>): Promise<LabelTask>;
  /** Edits of a task's classes, newest first. */
  taskHistory(datasetId: number, task: string, limit: number): Promise<TaskChange[]>;

  /** One page of images with the total, same filters/sorts/paging as `catalog:images`. */
  images(q: ImageQuery): Promise<ImagePage>;
  /** One image with note, metadata, flag and history (label history of `task`). */
  image(id: number, task: string): Promise<ImageDetail>;
  /** The store-relative path of an image's file (the caller joins it to its content store). */
  storedPath(id: number): Promise<string | null>;

  /** Replaces an image's labels in a task; batchId null when nothing changed. */
  setLabels(input: SetLabelsInput): Promise<{ labels: string[]; batchId: number | null; version: number }>;
  /** One batch for every image changed; CONFLICT (nothing applied) when any base version is stale. */
  bulkRelabel(input: BulkRelabelInput): Promise<{ changed: number; batchId: number | null }>;
  /**
   * Undoes one edit batch as a new batch by the current user; CONFLICT (who/when per image) when
   * another user changed one of its images' labels after it (the user's own later edits do not count).
   */
  undo(input: UndoInput): Promise<{ batchId: number | null; undone: number }>;
  setNote(input: SetNoteInput): Promise<{ batchId: number | null }>;
  setFlag(input: SetFlagInput): Promise<{ flag: ImageFlag | null; batchId: number | null }>;
  /** Newest first; every image when imageId is undefined. */
  history(imageId: number | undefined, limit?: number): Promise<HistoryEntry[]>;

  stats(datasetId: number | undefined, task: string): Promise<DatasetStats[]>;
  splits(datasetId: number): Promise<SplitSummary[]>;
  /** Group-aware stratified split (split-builder.ts); a stored split of the same name is reused (`reused`). */
  createSplit(input: CreateSplitInput): Promise<SplitSummary>;
  splitAssignments(splitId: number): Promise<Map<number, SplitPart>>;
  /** Writes the dataset as CSV or JSON in the manifest convention (catalog-export.ts columns). */
  exportDataset(input: ExportInput): Promise<{ path: string; rows: number }>;

  /** Adds images (an import); duplicates (same dataset, hash, frame) are skipped. Returns new ids. */
  addImages(rows: NewImage[]): Promise<{ inserted: number[]; duplicates: number }>;
  /** Every image of a dataset with its label in `task`, part in `splitId`, note and metadata, by id. */
  snapshotRows(q: { datasetId: number; task: string; splitId: number | null }): Promise<SnapshotRow[]>;

  /** The work split: batches of unlabeled images per task and labeler (main/catalog/label-jobs.ts). */
  readonly jobs: LabelJobStore;
  /** Several raters per image: agreement, adjudication, run labels (rater-store.ts). */
  readonly raters: RaterStore;

  /** Calls `listener` when another writer (or this one) changed the catalog; returns unsubscribe. */
  onChanged(listener: (c: CatalogChange) => void): () => void;
  close(): Promise<void>;
}
