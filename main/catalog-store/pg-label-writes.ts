import { AppError, type LabelConflict } from '../../shared/contract/result';
import type { AcceptedSuggestion } from '../../shared/contract/catalog';
import {
  claimApplied,
  conflictMessage,
  labelConflict,
  type LabelVersionRow,
} from '../catalog/label-versions';
import type { PgQuery } from './pg-pool';

/** The label-version claim of label-versions.ts in PostgreSQL spelling ($1 image, $2 task, $3 user, $4 at, $5 base). */
const CLAIM_LABEL_VERSION_PG = `
  INSERT INTO label_versions (image_id, task_id, version, by_user, at) VALUES ($1, $2, 1, $3, $4)
  ON CONFLICT (image_id, task_id) DO UPDATE
    SET version = label_versions.version + 1, by_user = excluded.by_user, at = excluded.at
    WHERE $5::integer IS NULL OR label_versions.version = $5::integer
  RETURNING version`;

const nowIso = (): string => new Date().toISOString();

export const pgLabelsOf = async (query: PgQuery, imageId: number, taskId: number): Promise<string[]> =>
  (
    await query<{ name: string }>(
      `SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
       WHERE l.image_id = $1 AND l.task_id = $2 ORDER BY c.ordinal`,
      [imageId, taskId],
    )
  ).map((r) => r.name);

export const pgVersionOf = async (
  query: PgQuery,
  imageId: number,
  taskId: number,
): Promise<LabelVersionRow> => {
  const row = (
    await query<{ version: number; by_user: string; at: string }>(
      'SELECT version, by_user, at FROM label_versions WHERE image_id = $1 AND task_id = $2',
      [imageId, taskId],
    )
  )[0];
  return row ? { version: row.version, by: row.by_user, at: row.at } : { version: 0, by: null, at: null };
};

export const pgNextBatch = async (query: PgQuery): Promise<number> =>
  Number((await query<{ id: number }>(`SELECT nextval('history_batch_seq') AS id`))[0]!.id);

/** The dataset's task by name; the default single-label task "label" is created on first use. */
export const pgTaskFor = async (
  query: PgQuery,
  datasetId: number,
  name: string,
): Promise<{ id: number; kind: 'single' | 'multi' }> => {
  await query(
    `INSERT INTO label_tasks (dataset_id, name, kind, created_at) SELECT $1, 'label', 'single', $2
     WHERE $3 = 'label' ON CONFLICT DO NOTHING`,
    [datasetId, nowIso(), name],
  );
  const task = (
    await query<{ id: number; kind: 'single' | 'multi' }>(
      'SELECT id, kind FROM label_tasks WHERE dataset_id = $1 AND name = $2',
      [datasetId, name],
    )
  )[0];
  if (!task) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${name}"`);
  return task;
};

/** Labels as a task takes them: trimmed, no blanks or repeats, at most one for a single-label task. */
export const pgCheckLabels = (kind: 'single' | 'multi', labels: string[]): string[] => {
  const clean = [...new Set(labels.map((l) => l.trim()).filter(Boolean))];
  if (kind === 'single' && clean.length > 1)
    throw new AppError('INVALID_INPUT', 'this task takes one label per image');
  return clean;
};

/** One label write of an image inside the caller's transaction (the pg twin of catalog-edits' relabel). */
export interface PgRelabel {
  imageId: number;
  taskId: number;
  taskName: string;
  labels: string[];
  batchId: number;
  user: string;
  reason: string;
  origin: 'edit' | 'undo';
  undoes?: number | null;
  suggestion?: AcceptedSuggestion | null;
  /** The version the writer saw; null = unconditional (undo, or a write without a base). */
  base?: number | null;
}

/**
 * Applies labels to one image under the per-(task, image) advisory lock every label writer takes:
 * true when applied (one history row, the version moved on), false when an edit changed nothing,
 * or the conflict when `base` is stale (the caller throws CONFLICT, rolling its transaction back).
 */
export const pgRelabel = async (query: PgQuery, w: PgRelabel): Promise<boolean | LabelConflict> => {
  await query('SELECT pg_advisory_xact_lock($1, $2)', [w.taskId, w.imageId]);
  const before = await pgLabelsOf(query, w.imageId, w.taskId);
  await query('DELETE FROM image_labels WHERE image_id = $1 AND task_id = $2', [w.imageId, w.taskId]);
  for (const name of w.labels) {
    await query(
      `INSERT INTO label_classes (task_id, name, ordinal)
       VALUES ($1, $2, (SELECT coalesce(max(ordinal), -1) + 1 FROM label_classes WHERE task_id = $1))
       ON CONFLICT (task_id, name) DO NOTHING`,
      [w.taskId, name],
    );
    await query(
      `INSERT INTO image_labels (image_id, task_id, class_id)
       SELECT $1, $2, id FROM label_classes WHERE task_id = $2 AND name = $3 ON CONFLICT DO NOTHING`,
      [w.imageId, w.taskId, name],
    );
  }
  const after = await pgLabelsOf(query, w.imageId, w.taskId);
  // An undo is always recorded, so the same batch is not undone twice; an edit that asks for what
  // is already there loses nothing and is not a conflict.
  if (w.origin === 'edit' && before.join('\u0000') === after.join('\u0000')) return false;
  const base = w.base ?? null;
  const seen = base === null ? null : await pgVersionOf(query, w.imageId, w.taskId);
  const claimed =
    seen && seen.version !== base
      ? undefined
      : (
          await query<{ version: number }>(CLAIM_LABEL_VERSION_PG, [
            w.imageId,
            w.taskId,
            w.user,
            nowIso(),
            base,
          ])
        )[0]?.version;
  if (!claimApplied(claimed, base))
    return labelConflict(
      w.imageId,
      w.taskName,
      seen ?? (await pgVersionOf(query, w.imageId, w.taskId)),
      before,
    );
  await query(
    `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, "user", reason, origin,
       undoes_batch, at, suggestion_model, suggestion_p)
     VALUES ($1, $2, 'label', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      w.batchId,
      w.imageId,
      w.taskId,
      JSON.stringify(before),
      JSON.stringify(after),
      w.user,
      w.reason,
      w.origin,
      w.undoes ?? null,
      nowIso(),
      w.suggestion?.modelId ?? null,
      w.suggestion?.p ?? null,
    ],
  );
  return true;
};

/** Throws the typed CONFLICT (with who/when/what per image) when any write was refused. */
export const throwConflicts = (conflicts: LabelConflict[]): void => {
  if (conflicts.length > 0) throw new AppError('CONFLICT', conflictMessage(conflicts), conflicts);
};
