import type {
  HistoryEntry,
  ImageDetail,
  ImageSummary,
  MetadataValue,
  SplitPart,
} from '../../shared/contract/catalog';

/**
 * The row shapes both catalog engines (SQLite and PostgreSQL) read, and the one mapping from each
 * to its contract type: the engines differ in SQL, not in what a row means.
 */

/** A history row joined with its task's name. */
export interface HistoryRow {
  id: number;
  batch_id: number;
  image_id: number;
  kind: 'label' | 'note' | 'flag';
  task: string | null;
  from_value: string | null;
  to_value: string | null;
  user: string;
  reason: string;
  origin: 'import' | 'edit' | 'undo';
  undoes_batch: number | null;
  at: string;
  suggestion_model: string | null;
  suggestion_p: number | null;
  adjudication?: number;
}

export const historyEntry = (r: HistoryRow): HistoryEntry => ({
  id: r.id,
  batchId: r.batch_id,
  imageId: r.image_id,
  kind: r.kind,
  task: r.task,
  from: r.from_value === null ? null : JSON.parse(r.from_value),
  to: r.to_value === null ? null : JSON.parse(r.to_value),
  user: r.user,
  reason: r.reason,
  origin: r.origin,
  undoesBatch: r.undoes_batch,
  at: r.at,
  suggestion: r.suggestion_model === null ? null : { modelId: r.suggestion_model, p: r.suggestion_p ?? 0 },
  ...(r.adjudication ? { adjudication: true } : {}),
});

/** The columns of the images table every image read takes. */
interface ImageRowFacts {
  id: number;
  dataset_id: number;
  file: string;
  format: string;
  source_format: string;
  width: number;
  height: number;
  frame: number;
  sha256: string;
  imported_at: string;
}

/** An image row joined with its group keys and note. */
export interface DetailRow extends ImageRowFacts {
  original_path: string;
  stored_path: string | null;
  patient: string | null;
  exam: string | null;
  source: string | null;
  note: string | null;
}

/** A stored metadata cell: numbers come back as numbers. */
export const metadataValue = (m: {
  key: string;
  type: MetadataValue['type'];
  num: number | null;
  text: string;
}): MetadataValue => ({
  key: m.key,
  type: m.type,
  value: m.type === 'number' && m.num !== null ? m.num : m.text,
});

/** What the image detail takes from its own row; labels, history, flag and version are the caller's. */
export type DetailFacts = Omit<
  ImageDetail,
  'labels' | 'metadata' | 'history' | 'flag' | 'labelVersion' | 'labelledBy' | 'labelledAt'
>;

/** The table's own facts of an image, as the contract names them. */
const imageFacts = (r: ImageRowFacts) => ({
  id: r.id,
  datasetId: r.dataset_id,
  file: r.file,
  format: r.format,
  sourceFormat: r.source_format,
  width: r.width,
  height: r.height,
  frame: r.frame,
  sha256: r.sha256,
  importedAt: r.imported_at,
});

export const detailFacts = (r: DetailRow): DetailFacts => ({
  ...imageFacts(r),
  patient: r.patient,
  notePreview: r.note === null ? null : r.note.slice(0, 200),
  part: null,
  note: r.note,
  exam: r.exam,
  source: r.source,
  originalPath: r.original_path,
  referencedInPlace: r.stored_path === null,
});

/** An image row of a grid page (SQLite answers the flag as 0/1, PostgreSQL as a boolean). */
export interface SummaryRow extends ImageRowFacts {
  patient: string | null;
  note_preview: string | null;
  flagged: boolean | 0 | 1;
  part: SplitPart | null;
}

/** A grid row with the task's labels and their version (0: never written). */
export const imageSummary = (r: SummaryRow, labels: string[], labelVersion: number): ImageSummary => ({
  ...imageFacts(r),
  labels,
  labelVersion,
  patient: r.patient,
  notePreview: r.note_preview,
  flagged: r.flagged === true || r.flagged === 1,
  part: r.part,
});
