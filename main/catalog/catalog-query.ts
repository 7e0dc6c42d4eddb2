import type { ImagePage, ImageQuery, ImageSummary, SplitPart } from '../../shared/contract/catalog';
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

interface Row {
  id: number;
  dataset_id: number;
  file: string;
  format: string;
  source_format: string;
  width: number;
  height: number;
  frame: number;
  sha256: string;
  patient: string | null;
  note_preview: string | null;
  part: SplitPart | null;
  imported_at: string;
}

/**
 * Ids of a page sorted by a metadata value. Walks the (key, value) index in order instead of sorting
 * every image per page; images without the key follow, by id, in both directions.
 */
const metadataPage = (
  cdb: CatalogDb,
  q: ImageQuery,
  key: string,
  dir: 'ASC' | 'DESC',
  where: string[],
  params: unknown[],
): number[] => {
  const type = cdb.get<{ type: string }>(
    'query.metaType',
    'SELECT type FROM image_metadata WHERE key = ? LIMIT 1',
    key,
  )?.type;
  const column = type === 'category' ? 'sm.text' : 'sm.num';
  const filters = where.length ? `AND ${where.join(' AND ')}` : '';
  const withKey = cdb.get<{ n: number }>(
    'images.countWithKey',
    `SELECT count(*) AS n FROM image_metadata sm JOIN images i ON i.id = sm.image_id WHERE sm.key = ? ${filters}`,
    key,
    ...params,
  )!.n;
  const ids: number[] = [];
  if (q.offset < withKey) {
    const rows = cdb.all<{ id: number }>(
      'images.pageByKey',
      `SELECT i.id FROM image_metadata sm JOIN images i ON i.id = sm.image_id WHERE sm.key = ? ${filters}
       ORDER BY ${column} ${dir}, sm.image_id ${dir} LIMIT ? OFFSET ?`,
      key,
      ...params,
      q.limit,
      q.offset,
    );
    ids.push(...rows.map((r) => r.id));
  }
  if (ids.length < q.limit) {
    const rows = cdb.all<{ id: number }>(
      'images.pageWithoutKey',
      `SELECT i.id FROM images i WHERE NOT EXISTS (SELECT 1 FROM image_metadata sm WHERE sm.image_id = i.id AND sm.key = ?) ${filters}
       ORDER BY i.id ${dir} LIMIT ? OFFSET ?`,
      key,
      ...params,
      q.limit - ids.length,
      Math.max(0, q.offset - withKey),
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
};

const SORT_COLUMNS = {
  id: 'i.id',
  file: 'i.file',
  importedAt: 'i.imported_at',
  width: 'i.width',
  height: 'i.height',
} as const;

/**
 * One page of images for the UI with a total count. All values are bound parameters; the SQL shape
 * depends only on which filters are present, so each shape is prepared once and reused.
 */
export const queryImages = (cdb: CatalogDb, q: ImageQuery): ImagePage => {
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
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const dir = q.sort.dir === 'desc' ? 'DESC' : 'ASC';
  let orderBy: string;
  if (q.sort.by === 'metadata') {
    orderBy = ''; // paged by metadataPage below
  } else if (q.sort.by === 'label') {
    orderBy = `(SELECT min(c.ordinal) FROM image_labels l JOIN label_classes c ON c.id = l.class_id
      WHERE l.image_id = i.id AND l.task_id IN (${taskIn})) ${dir}, i.id ${dir}`;
  } else {
    orderBy = q.sort.by === 'id' ? `i.id ${dir}` : `${SORT_COLUMNS[q.sort.by]} ${dir}, i.id ${dir}`;
  }
  const orderParams = q.sort.by === 'label' ? taskIds : [];
  const total = cdb.get<{ n: number }>(
    'images.count',
    `SELECT count(*) AS n FROM images i ${whereSql}`,
    ...params,
  )!.n;
  // Two steps: page through ids with only the tables the filter and sort need (OFFSET skips cheap
  // rows), then join the display columns for the 100 ids of the page.
  const ids =
    q.sort.by === 'metadata'
      ? metadataPage(cdb, q, q.sort.key, dir, where, params)
      : cdb
          .all<{ id: number }>(
            'images.pageIds',
            `SELECT i.id FROM images i ${whereSql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
            ...params,
            ...orderParams,
            q.limit,
            q.offset,
          )
          .map((r) => r.id);
  const details = new Map(
    cdb
      .all<Row>(
        'images.pageRows',
        `SELECT i.id, i.dataset_id, i.file, i.format, i.source_format, i.width, i.height, i.frame, i.sha256, i.imported_at,
           pg.key AS patient, substr(n.text, 1, 200) AS note_preview,
           (SELECT part FROM split_assignments WHERE split_id = ? AND image_id = i.id) AS part
         FROM images i
         LEFT JOIN groups pg ON pg.id = i.patient_group_id
         LEFT JOIN notes n ON n.image_id = i.id
         WHERE i.id IN (SELECT value FROM json_each(?))`,
        q.splitId ?? -1,
        JSON.stringify(ids),
      )
      .map((r) => [r.id, r]),
  );
  const rows = ids.map((id) => details.get(id)!);
  const labels = new Map<number, string[]>();
  if (rows.length > 0) {
    for (const r of cdb.all<{ image_id: number; name: string }>(
      'images.pageLabels',
      `SELECT l.image_id, c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
       WHERE l.image_id IN (SELECT value FROM json_each(?)) AND l.task_id IN (SELECT value FROM json_each(?)) ORDER BY c.ordinal`,
      JSON.stringify(rows.map((r) => r.id)),
      JSON.stringify(taskIds),
    )) {
      labels.set(r.image_id, [...(labels.get(r.image_id) ?? []), r.name]);
    }
  }
  const items: ImageSummary[] = rows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    file: r.file,
    format: r.format,
    sourceFormat: r.source_format,
    width: r.width,
    height: r.height,
    frame: r.frame,
    sha256: r.sha256,
    labels: labels.get(r.id) ?? [],
    patient: r.patient,
    notePreview: r.note_preview,
    part: r.part,
    importedAt: r.imported_at,
  }));
  return { total, offset: q.offset, items };
};
