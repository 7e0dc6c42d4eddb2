import type { ImagePage, ImageQuery } from '../../shared/contract/catalog';
import type { CatalogDb } from './catalog-db';
import { imageSummary, type SummaryRow } from './catalog-rows';
import { queryCacheOf } from './query-cache';
import { buildFilters } from './query-filters';
import { totalAndPage } from './query-page-ids';

export { ftsQuery } from './query-filters';

type Row = SummaryRow & { flagged: 0 | 1 };

/**
 * One page of images for the UI with a total count. All values are bound parameters; the SQL shape
 * depends only on which filters are present, so each shape is prepared once and reused. Counts (the
 * total, sizes of sort segments) are cached until the catalog changes ({@link queryCacheOf}), so
 * paging through one filter counts once, and a small result is read whole once ({@link totalAndPage}).
 * Sorts by label or metadata walk indexes segment by segment instead of sorting every match per page.
 */
export const queryImages = (
  cdb: CatalogDb,
  q: ImageQuery,
  options: {
    /** Results up to this many images are read whole and paged from memory (default 5,000). */
    wholeResultIds?: number;
  } = {},
): ImagePage => {
  const filters = buildFilters(cdb, q);
  const { taskIds } = filters;
  const { total, ids } = totalAndPage(cdb, queryCacheOf(cdb), filters, q, options.wholeResultIds);
  const details = new Map(
    cdb
      .all<Row>(
        'images.pageRows',
        `SELECT i.id, i.dataset_id, i.file, i.format, i.source_format, i.width, i.height, i.frame, i.sha256, i.imported_at,
           pg.key AS patient, substr(n.text, 1, 200) AS note_preview,
           EXISTS (SELECT 1 FROM image_flags f WHERE f.image_id = i.id) AS flagged,
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
  const versions = new Map<number, number>();
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
    // Each row's label version in the task: a bulk relabel from the grid sends them as its bases.
    for (const v of cdb.all<{ image_id: number; version: number }>(
      'images.pageLabelVersions',
      `SELECT image_id, version FROM label_versions
       WHERE image_id IN (SELECT value FROM json_each(?)) AND task_id IN (SELECT value FROM json_each(?))`,
      JSON.stringify(rows.map((r) => r.id)),
      JSON.stringify(taskIds),
    ))
      versions.set(v.image_id, v.version);
  }
  const items = rows.map((r) => imageSummary(r, labels.get(r.id) ?? [], versions.get(r.id) ?? 0));
  return { total, offset: q.offset, items };
};
