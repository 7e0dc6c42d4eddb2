import type { ImageQuery } from '../../shared/contract/catalog';
import type { CatalogDb } from './catalog-db';
import type { QueryCache } from './query-cache';
import { whereSql, type QueryFilters } from './query-filters';
import { pageSegments } from './query-segments';
import { labelSegments, metadataSegments } from './query-sort-segments';

/**
 * Results up to this size are read whole, once per catalog version, and paged from memory (at most
 * 40 kB of ids): a selective filter costs a full walk of the images per page otherwise.
 */
export const WHOLE_RESULT_IDS = 5000;

const SORT_COLUMNS = {
  id: 'i.id',
  file: 'i.file',
  importedAt: 'i.imported_at',
  width: 'i.width',
  height: 'i.height',
} as const;

type Dir = 'ASC' | 'DESC';

/**
 * Ids of rows `[offset, offset + limit)` of a plain sort: only the tables the filter needs (OFFSET
 * skips cheap index rows). Past the middle it reads backwards from the end (the order is total,
 * ending on the id) so OFFSET never walks more than half of the matches.
 */
const columnPage = (
  cdb: CatalogDb,
  filters: QueryFilters,
  by: keyof typeof SORT_COLUMNS,
  dir: Dir,
  range: { offset: number; limit: number; total: number },
): number[] => {
  const column = SORT_COLUMNS[by];
  const order = (d: Dir): string => (column === 'i.id' ? `i.id ${d}` : `${column} ${d}, i.id ${d}`);
  const fromEnd = range.offset > range.total / 2;
  const take = Math.min(range.limit, range.total - range.offset);
  const ids = cdb
    .all<{ id: number }>(
      'images.pageIds',
      `SELECT i.id FROM images i ${whereSql(...filters.where)} ORDER BY ${order(fromEnd ? (dir === 'ASC' ? 'DESC' : 'ASC') : dir)} LIMIT ? OFFSET ?`,
      ...filters.params,
      fromEnd ? take : range.limit,
      fromEnd ? range.total - range.offset - take : range.offset,
    )
    .map((r) => r.id);
  return fromEnd ? ids.reverse() : ids;
};

/**
 * The query's total and the ids of the page `q` asks for, in order. The total is counted once per
 * catalog version. A result of at most `wholeResultIds` images is read whole once and sliced; when
 * the same filter was that small before (a hint from an earlier version), that one read replaces
 * the count too, so a small result costs one walk after a write instead of two.
 */
export const totalAndPage = (
  cdb: CatalogDb,
  cache: QueryCache,
  filters: QueryFilters,
  q: ImageQuery,
  wholeResultIds = WHOLE_RESULT_IDS,
): { total: number; ids: number[] } => {
  const filtered = whereSql(...filters.where);
  const countKey = `count images i ${filtered} ${JSON.stringify(filters.params)}`;
  const idsKey = `ids ${JSON.stringify([q.sort, filters.taskIds, filters.where, filters.params])}`;
  const dir: Dir = q.sort.dir === 'desc' ? 'DESC' : 'ASC';
  const sort = q.sort;
  const read = (offset: number, limit: number, total: number): number[] => {
    const range = { offset, limit, total };
    if (sort.by === 'metadata')
      return pageSegments(cache, metadataSegments(cdb, filters, sort.key, dir), range);
    if (sort.by === 'label') return pageSegments(cache, labelSegments(cdb, cache, filters, q, dir), range);
    return columnPage(cdb, filters, sort.by, dir, range);
  };
  let total = cache.peek<number>(countKey);
  if (total === undefined) {
    const hint = cache.hint(countKey);
    if (hint !== undefined && hint <= wholeResultIds) {
      const probe = read(0, wholeResultIds + 1, Number.POSITIVE_INFINITY);
      if (probe.length <= wholeResultIds) {
        total = probe.length;
        cache.set(countKey, total);
        cache.set(idsKey, probe);
      }
    }
    total ??= cache.get(
      countKey,
      () =>
        cdb.get<{ n: number }>(
          'images.count',
          `SELECT count(*) AS n FROM images i ${filtered}`,
          ...filters.params,
        )!.n,
    );
    cache.remember(countKey, total);
  }
  if (q.offset >= total) return { total, ids: [] };
  if (total > wholeResultIds) return { total, ids: read(q.offset, q.limit, total) };
  const all = cache.get(idsKey, () => read(0, total, total));
  return { total, ids: all.slice(q.offset, q.offset + q.limit) };
};
