import type { ImagePage, ImageQuery } from '../../shared/contract/catalog';
import { imageSummary, type SummaryRow } from '../catalog/catalog-rows';
import type { PgQuery } from './pg-pool';
import type { PgPageCache } from './pg-page-cache';

/** Free text as a PostgreSQL tsquery: every word must match, each as a prefix (like FTS5's). */
export const tsQuery = (text: string): string | null => {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  return words ? words.map((w) => `${w}:*`).join(' & ') : null;
};

const bound = (value: number | string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? Number(value) : parsed;
};

/** Positional parameters: `p(value)` appends one and returns its `$n`. */
const parameters = () => {
  const values: unknown[] = [];
  return { values, p: (v: unknown): string => `$${values.push(v)}` };
};

type PageRow = SummaryRow & { flagged: boolean };

const COLUMNS = {
  id: null,
  file: '(i.file COLLATE "C")',
  importedAt: '(i.imported_at COLLATE "C")',
  width: 'i.width',
  height: 'i.height',
} as const;

/** Column sorts that page by keyset: the sort expression(s) before the id, and a row's values of them. */
const KEYSET: Record<
  'id' | 'file' | 'importedAt' | 'width' | 'height',
  { sql: string[]; values: (r: PageRow) => unknown[] }
> = {
  id: { sql: [], values: () => [] },
  file: { sql: [COLUMNS.file], values: (r) => [r.file] },
  importedAt: { sql: [COLUMNS.importedAt], values: (r) => [r.imported_at] },
  width: { sql: [COLUMNS.width], values: (r) => [r.width] },
  height: { sql: [COLUMNS.height], values: (r) => [r.height] },
};

/**
 * One page of images with the total, with the SQLite catalog's semantics (main/catalog/catalog-query.ts):
 * the same filters, note search as prefix words (here `tsvector @@ to_tsquery('simple', …)`), and the
 * same total orders: a column then the id; by label the first class's ordinal with unlabeled images
 * first (last descending); by metadata the images holding the key by value, then the others by id.
 * Every value is a bound parameter. With a `cache` (one per store), the total is counted once per
 * filter and catalog snapshot, and a column sort pages by keyset from the nearest remembered row.
 */
export const pgImagePage = async (query: PgQuery, q: ImageQuery, cache?: PgPageCache): Promise<ImagePage> => {
  if (cache) cache.at((await query<{ s: string }>('SELECT txid_current_snapshot()::text AS s'))[0]!.s);
  const { values, p } = parameters();
  const where: string[] = [];
  const taskIds = (
    await query<{ id: number }>(
      'SELECT id FROM label_tasks WHERE name = $1 AND ($2::bigint IS NULL OR dataset_id = $2::bigint)',
      [q.task, q.datasetId ?? null],
    )
  ).map((t) => t.id);
  let taskParam: string | null = null;
  const tasks = (): string => (taskParam ??= p(taskIds));
  if (q.datasetId !== undefined) where.push(`i.dataset_id = ${p(q.datasetId)}`);
  else where.push('i.dataset_id IN (SELECT id FROM datasets WHERE deleted_at IS NULL)');
  if (q.labels && q.labels.length > 0)
    where.push(`i.id IN (SELECT l.image_id FROM image_labels l JOIN label_classes c ON c.id = l.class_id
      WHERE l.task_id = ANY(${tasks()}::bigint[]) AND c.name = ANY(${p(q.labels)}::text[]))`);
  if (q.unlabeled)
    where.push(
      `NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id AND l.task_id = ANY(${tasks()}::bigint[]))`,
    );
  if (q.flagged !== undefined)
    where.push(`${q.flagged ? '' : 'NOT '}EXISTS (SELECT 1 FROM image_flags f WHERE f.image_id = i.id)`);
  if (q.parts && q.parts.length > 0 && q.splitId !== undefined)
    where.push(
      `i.id IN (SELECT image_id FROM split_assignments WHERE split_id = ${p(q.splitId)} AND part = ANY(${p(q.parts)}::text[]))`,
    );
  if (q.patient !== undefined)
    where.push(
      `i.patient_group_id IN (SELECT id FROM groups WHERE kind = 'patient' AND key = ${p(q.patient)})`,
    );
  if (q.ids !== undefined) where.push(`i.id = ANY(${p(q.ids)}::bigint[])`);
  const ts = q.text ? tsQuery(q.text) : null;
  if (ts) where.push(`i.id IN (SELECT image_id FROM notes WHERE tsv @@ to_tsquery('simple', ${p(ts)}))`);
  for (const m of q.metadata ?? []) {
    const conditions = [`key = ${p(m.key)}`];
    const min = bound(m.min);
    const max = bound(m.max);
    if (min !== undefined) conditions.push(`num >= ${p(min)}`);
    if (max !== undefined) conditions.push(`num <= ${p(max)}`);
    if (m.values) conditions.push(`text = ANY(${p(m.values)}::text[])`);
    where.push(`i.id IN (SELECT image_id FROM image_metadata WHERE ${conditions.join(' AND ')})`);
  }
  const whereSql = `WHERE ${where.join(' AND ')}`;
  const whereValues = [...values]; // the count binds only the filters' parameters
  const dir = q.sort.dir === 'desc' ? 'DESC' : 'ASC';
  let order: string;
  // A sort key joined once per query (a hash join), not a subquery per image.
  let sortJoin = '';
  if (q.sort.by === 'label') {
    sortJoin = `LEFT JOIN (SELECT l.image_id, min(c.ordinal) AS o FROM image_labels l
       JOIN label_classes c ON c.id = l.class_id WHERE l.task_id = ANY(${tasks()}::bigint[])
       GROUP BY l.image_id) lo ON lo.image_id = i.id`;
    order = `lo.o ${dir} ${dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST'}, i.id ${dir}`;
  } else if (q.sort.by === 'metadata') {
    const type = (
      await query<{ type: string }>('SELECT type FROM image_metadata WHERE key = $1 LIMIT 1', [q.sort.key])
    )[0]?.type;
    sortJoin = `LEFT JOIN image_metadata sm ON sm.image_id = i.id AND sm.key = ${p(q.sort.key)}`;
    const column = type === 'category' ? 'sm.text COLLATE "C"' : 'sm.num';
    order = `${column} ${dir} NULLS LAST, i.id ${dir}`;
  } else {
    const column = COLUMNS[q.sort.by];
    order = column === null ? `i.id ${dir}` : `${column} ${dir}, i.id ${dir}`;
  }
  const { offset: _o, limit: _l, ...filters } = q;
  const totalKey = JSON.stringify({ ...filters, sort: undefined });
  let total = cache?.total(totalKey);
  if (total === undefined) {
    total = Number(
      (await query<{ n: number }>(`SELECT count(*) AS n FROM images i ${whereSql}`, whereValues))[0]!.n,
    );
    cache?.setTotal(totalKey, total);
  }
  // Keyset paging on a column sort: start at the nearest remembered row at or before the offset.
  const keyset = q.sort.by === 'label' || q.sort.by === 'metadata' ? null : KEYSET[q.sort.by];
  const pageKey = JSON.stringify(filters);
  const anchor = keyset ? cache?.anchor(pageKey, q.offset) : undefined;
  let pageWhere = whereSql;
  if (keyset && anchor) {
    const cmp = dir === 'ASC' ? '>=' : '<=';
    pageWhere += ` AND (${[...keyset.sql, 'i.id'].join(', ')}) ${cmp} (${anchor.values.map((v) => p(v)).join(', ')})`;
  }
  const split = p(q.splitId ?? -1);
  const rows = await query<PageRow>(
    `SELECT i.id, i.dataset_id, i.file, i.format, i.source_format, i.width, i.height, i.frame, i.sha256,
       i.imported_at, pg.key AS patient, substr(n.text, 1, 200) AS note_preview,
       EXISTS (SELECT 1 FROM image_flags f WHERE f.image_id = i.id) AS flagged,
       (SELECT part FROM split_assignments WHERE split_id = ${split} AND image_id = i.id) AS part
     FROM images i
     LEFT JOIN groups pg ON pg.id = i.patient_group_id
     LEFT JOIN notes n ON n.image_id = i.id
     ${sortJoin}
     ${pageWhere} ORDER BY ${order} LIMIT ${p(q.limit)} OFFSET ${p(q.offset - (anchor?.position ?? 0))}`,
    values,
  );
  if (keyset && cache && rows.length > 0) {
    cache.setAnchor(pageKey, q.offset, [...keyset.values(rows[0]!), rows[0]!.id]);
    const last = rows[rows.length - 1]!;
    cache.setAnchor(pageKey, q.offset + rows.length - 1, [...keyset.values(last), last.id]);
  }
  const labels = new Map<number, string[]>();
  if (rows.length > 0)
    for (const r of await query<{ image_id: number; name: string }>(
      `SELECT l.image_id, c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
       WHERE l.image_id = ANY($1::bigint[]) AND l.task_id = ANY($2::bigint[]) ORDER BY c.ordinal`,
      [rows.map((r) => r.id), taskIds],
    ))
      labels.set(r.image_id, [...(labels.get(r.image_id) ?? []), r.name]);
  // Each row's label version in the task: a bulk relabel from the grid sends them as its bases.
  const versions = new Map<number, number>();
  if (rows.length > 0)
    for (const v of await query<{ image_id: number; version: number }>(
      `SELECT image_id, version FROM label_versions
       WHERE image_id = ANY($1::bigint[]) AND task_id = ANY($2::bigint[])`,
      [rows.map((r) => r.id), taskIds],
    ))
      versions.set(Number(v.image_id), v.version);
  const items = rows.map((r) => imageSummary(r, labels.get(r.id) ?? [], versions.get(r.id) ?? 0));
  return { total, offset: q.offset, items };
};
