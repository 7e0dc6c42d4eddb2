import type { ImageQuery } from '../../shared/contract/catalog';
import type { CatalogDb } from './catalog-db';

/** Turns free text into a safe FTS5 query: every word must match, each as a prefix. */
export const ftsQuery = (text: string): string | null => {
  const words = text.match(/[\p{L}\p{N}]+/gu);
  return words ? words.map((w) => `"${w}"*`).join(' ') : null;
};

const bound = (value: number | string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? Number(value) : parsed;
};

/**
 * The WHERE clause of an image query over `images i`, as SQL conditions (joined with AND) and their
 * bound parameters in order. The SQL depends only on which filters are present, never on values.
 */
export interface QueryFilters {
  where: string[];
  params: unknown[];
  /** Ids of the query's label task (one per dataset holding a task of that name). */
  taskIds: number[];
  /** `?, ?` for `taskIds` (or `NULL` when there are none), for `task_id IN (…)`. */
  taskIn: string;
}

/** Builds the filters of `q`. */
export const buildFilters = (cdb: CatalogDb, q: ImageQuery): QueryFilters => {
  const where: string[] = [];
  const params: unknown[] = [];
  const taskIds = cdb
    .all<{ id: number }>(
      'query.tasks',
      'SELECT id FROM label_tasks WHERE name = ? AND (? IS NULL OR dataset_id = ?)',
      q.task,
      q.datasetId ?? null,
      q.datasetId ?? null,
    )
    .map((t) => t.id);
  // Task ids go in as placeholders (one per task, usually one): a correlated json_each per row is slow.
  const taskIn = taskIds.length ? taskIds.map(() => '?').join(', ') : 'NULL';
  if (q.datasetId !== undefined) {
    where.push('i.dataset_id = ?');
    params.push(q.datasetId);
  } else {
    // Catalog-wide lists leave deleted datasets out (their rows stay for the audit trail).
    where.push('i.dataset_id IN (SELECT id FROM datasets WHERE deleted_at IS NULL)');
  }
  if (q.labels && q.labels.length > 0) {
    where.push(`i.id IN (SELECT l.image_id FROM image_labels l JOIN label_classes c ON c.id = l.class_id
      WHERE l.task_id IN (${taskIn}) AND c.name IN (SELECT value FROM json_each(?)))`);
    params.push(...taskIds, JSON.stringify(q.labels));
  }
  if (q.unlabeled) {
    where.push(
      `NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id AND l.task_id IN (${taskIn}))`,
    );
    params.push(...taskIds);
  }
  if (q.flagged !== undefined) {
    where.push(`${q.flagged ? '' : 'NOT '}EXISTS (SELECT 1 FROM image_flags f WHERE f.image_id = i.id)`);
  }
  if (q.parts && q.parts.length > 0 && q.splitId !== undefined) {
    where.push(
      'i.id IN (SELECT image_id FROM split_assignments WHERE split_id = ? AND part IN (SELECT value FROM json_each(?)))',
    );
    params.push(q.splitId, JSON.stringify(q.parts));
  }
  if (q.patient !== undefined) {
    where.push(`i.patient_group_id IN (SELECT id FROM groups WHERE kind = 'patient' AND key = ?)`);
    params.push(q.patient);
  }
  if (q.ids !== undefined) {
    where.push('i.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.ids));
  }
  const fts = q.text ? ftsQuery(q.text) : null;
  if (fts) {
    where.push('i.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?)');
    params.push(fts);
  }
  for (const m of q.metadata ?? []) {
    const conditions = ['key = ?'];
    const values: unknown[] = [m.key];
    const min = bound(m.min);
    const max = bound(m.max);
    if (min !== undefined) {
      conditions.push('num >= ?');
      values.push(min);
    }
    if (max !== undefined) {
      conditions.push('num <= ?');
      values.push(max);
    }
    if (m.values) {
      conditions.push('text IN (SELECT value FROM json_each(?))');
      values.push(JSON.stringify(m.values));
    }
    where.push(`i.id IN (SELECT image_id FROM image_metadata WHERE ${conditions.join(' AND ')})`);
    params.push(...values);
  }
  return { where, params, taskIds, taskIn };
};

/** `WHERE a AND b` (or nothing) for the filters plus any extra conditions. */
export const whereSql = (...conditions: string[]): string =>
  conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
