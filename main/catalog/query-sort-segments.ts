import type { ImageQuery } from '../../shared/contract/catalog';
import type { CatalogDb } from './catalog-db';
import type { QueryCache } from './query-cache';
import { whereSql, type QueryFilters } from './query-filters';
import type { Segment } from './query-segments';

type Dir = 'ASC' | 'DESC';
const flip = (dir: Dir): Dir => (dir === 'ASC' ? 'DESC' : 'ASC');

/** Rows of `from` matching the query's filters and `conditions` (with their parameters). */
interface Part {
  from: string;
  conditions: string[];
  params: unknown[];
}

const sqlOf = (filters: QueryFilters, part: Part) => ({
  sql: `FROM ${part.from} ${whereSql(...filters.where, ...part.conditions)}`,
  params: [...filters.params, ...part.params],
});

/**
 * A segment defined by `rows` and ordered by `order(dir)` (a total order: ties end on the image id,
 * so the reverse direction gives exactly the reverse sequence). `counted` and `paged` give the same rows
 * through SQL the planner runs faster, when there is such a form; the cache key is always `rows`.
 */
const segment = (
  cdb: CatalogDb,
  filters: QueryFilters,
  rows: Part,
  order: (dir: Dir) => string,
  dir: Dir,
  faster: { counted?: () => Part; paged?: () => Part } = {},
): Segment => {
  const key = sqlOf(filters, rows);
  return {
    key: `count ${key.sql} ${JSON.stringify(key.params)}`,
    count() {
      const { sql, params } = sqlOf(filters, faster.counted?.() ?? rows);
      return cdb.get<{ n: number }>('images.segmentCount', `SELECT count(*) AS n ${sql}`, ...params)!.n;
    },
    page(limit, offset, fromEnd = false) {
      const { sql, params } = sqlOf(filters, faster.paged?.() ?? rows);
      const ids = cdb
        .all<{ id: number }>(
          'images.segmentPage',
          `SELECT i.id ${sql} ORDER BY ${order(fromEnd ? flip(dir) : dir)} LIMIT ? OFFSET ?`,
          ...params,
          limit,
          offset,
        )
        .map((r) => r.id);
      return fromEnd ? ids.reverse() : ids;
    },
  };
};

/**
 * Sort by label: an image sorts by the task order (ordinal) of its first class, unlabeled images
 * before every class (after, descending), ties by id. Instead of computing that key for every image
 * and sorting per page, each ordinal is a segment walked in id order: images holding a class of
 * that ordinal and none of a lower one (an image's *first* class, for multi-label tasks). While no
 * image holds two classes of the task (checked once per catalog version), that second test is
 * skipped: it cannot exclude anything.
 */
export const labelSegments = (
  cdb: CatalogDb,
  cache: QueryCache,
  filters: QueryFilters,
  q: ImageQuery,
  dir: Dir,
): Segment[] => {
  const { taskIds, taskIn } = filters;
  const byId = (d: Dir): string => `i.id ${d}`;
  const unlabeled = segment(
    cdb,
    filters,
    {
      from: 'images i',
      conditions: [
        `NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id AND l.task_id IN (${taskIn}))`,
      ],
      params: taskIds,
    },
    byId,
    dir,
  );
  if (q.unlabeled) return [unlabeled];
  const ordinals = cdb
    .all<{ ordinal: number }>(
      'query.ordinals',
      `SELECT DISTINCT ordinal FROM label_classes WHERE task_id IN (${taskIn}) ORDER BY ordinal`,
      ...taskIds,
    )
    .map((r) => r.ordinal);
  const someHoldTwo = (): boolean =>
    cache.get(`multi ${JSON.stringify(taskIds)}`, () =>
      Boolean(
        cdb.get<{ two: number }>(
          'query.multiLabelled',
          `SELECT EXISTS (SELECT l.image_id FROM image_labels l WHERE l.task_id IN (${taskIn})
             GROUP BY l.image_id HAVING count(*) > 1) AS two`,
          ...taskIds,
        )!.two,
      ),
    );
  const labelled = ordinals.map((ordinal, index) => {
    const holds: Part = {
      from: 'images i',
      conditions: [
        `i.id IN (SELECT l.image_id FROM image_labels l JOIN label_classes c ON c.id = l.class_id
          WHERE l.task_id IN (${taskIn}) AND c.ordinal = ?)`,
      ],
      params: [...taskIds, ordinal],
    };
    // The lowest ordinal needs no second test: nothing sorts before it.
    if (index === 0) return segment(cdb, filters, holds, byId, dir);
    const first: Part = {
      from: holds.from,
      conditions: [
        ...holds.conditions,
        `NOT EXISTS (SELECT 1 FROM image_labels l JOIN label_classes c ON c.id = l.class_id
          WHERE l.image_id = i.id AND l.task_id IN (${taskIn}) AND c.ordinal < ?)`,
      ],
      params: [...holds.params, ...taskIds, ordinal],
    };
    const cheapest = (): Part => (someHoldTwo() ? first : holds);
    return segment(cdb, filters, first, byId, dir, { counted: cheapest, paged: cheapest });
  });
  // With a label filter every match holds a class of the task: no unlabeled segment.
  const withUnlabeled = q.labels && q.labels.length > 0 ? [] : [unlabeled];
  return dir === 'ASC' ? [...withUnlabeled, ...labelled] : [...labelled.reverse(), ...withUnlabeled];
};

/**
 * Sort by a metadata value: images holding the key, walked through its (key, value) index, then the
 * images without it by id (in both directions). A category key sorts by text, others by number.
 */
export const metadataSegments = (cdb: CatalogDb, filters: QueryFilters, key: string, dir: Dir): Segment[] => {
  const type = cdb.get<{ type: string }>(
    'query.metaType',
    'SELECT type FROM image_metadata WHERE key = ? LIMIT 1',
    key,
  )?.type;
  const column = type === 'category' ? 'sm.text' : 'sm.num';
  const withKey: Part = {
    from: 'image_metadata sm JOIN images i ON i.id = sm.image_id',
    conditions: ['sm.key = ?'],
    params: [key],
  };
  // An image holds a key at most once (primary key), so counting images that have it is the same
  // count, and probing the primary key per image beats joining every index row to its image.
  const counted = (): Part => ({
    from: 'images i',
    conditions: ['EXISTS (SELECT 1 FROM image_metadata sm WHERE sm.image_id = i.id AND sm.key = ?)'],
    params: [key],
  });
  return [
    segment(cdb, filters, withKey, (d) => `${column} ${d}, sm.image_id ${d}`, dir, { counted }),
    segment(
      cdb,
      filters,
      {
        from: 'images i',
        conditions: ['NOT EXISTS (SELECT 1 FROM image_metadata sm WHERE sm.image_id = i.id AND sm.key = ?)'],
        params: [key],
      },
      (d) => `i.id ${d}`,
      dir,
    ),
  ];
};
