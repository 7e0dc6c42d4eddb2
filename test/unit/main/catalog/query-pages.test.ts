import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageQuery, type ImageQueryInput } from '../../../../shared/contract/catalog';
import { openCatalogDb, type CatalogDb } from '../../../../main/catalog/catalog-db';
import { queryImages } from '../../../../main/catalog/catalog-query';
import { ftsQuery } from '../../../../main/catalog/query-filters';
import { createCatalogSplits } from '../../../../main/catalog/catalog-splits';
import { createRepository } from '../../../../main/catalog/catalog-repository';
import { createRandom } from '../../../../shared/random/seeded-random';
import { seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import { tempDir } from './support/catalog-fixtures';

/**
 * The page query (cached counts, segment-by-segment sorts) checked page by page against a naive
 * reference: every row read into memory, filtered and sorted in plain TypeScript by the documented
 * rules. Two small generated datasets, a sparse metadata key, and later a second label on some
 * images (multi-label) so every sort segment and boundary is crossed.
 */
interface Img {
  id: number;
  datasetId: number;
  file: string;
  width: number;
  patient: string | null;
}

describe('page query against a naive reference', () => {
  let cdb: CatalogDb;
  let first: number;
  let second: number;
  let splitId: number;

  beforeAll(() => {
    cdb = openCatalogDb({ path: join(tempDir(), 'pages.db') });
    first = seedSyntheticCatalog(cdb, { count: 420, seed: 11, dataset: 'first' });
    second = seedSyntheticCatalog(cdb, { count: 180, seed: 12, dataset: 'second' });
    // A sparse key: only some images have a depth, so "without the key" is a segment of its own.
    const random = createRandom(4);
    cdb.transaction(() => {
      for (const { id } of cdb.all<{ id: number }>('t', 'SELECT id FROM images')) {
        if (random.chance(0.45))
          cdb.run(
            't',
            `INSERT INTO image_metadata (image_id, key, type, num, text) VALUES (?, 'depth_cm', 'number', ?, ?)`,
            id,
            random.int(2, 9),
            'x',
          );
      }
    });
    const repo = createRepository(cdb);
    splitId = createCatalogSplits(cdb, repo).create({
      datasetId: first,
      seed: 3,
      ratios: { train: 0.6, validation: 0.2, test: 0.2 },
      task: 'label',
    }).id;
  });
  afterAll(() => cdb.close());

  /** Every image with its labels (name, ordinal) in the 'label' task(s) of the query's scope. */
  const reference = (q: ImageQuery): number[] => {
    const images = cdb.all<Img>(
      't',
      `SELECT i.id, i.dataset_id AS datasetId, i.file, i.width, g.key AS patient
       FROM images i LEFT JOIN groups g ON g.id = i.patient_group_id`,
    );
    const labels = new Map<number, { name: string; ordinal: number }[]>();
    for (const l of cdb.all<{ image_id: number; name: string; ordinal: number }>(
      't',
      `SELECT l.image_id, c.name, c.ordinal FROM image_labels l JOIN label_classes c ON c.id = l.class_id
       JOIN label_tasks t ON t.id = l.task_id WHERE t.name = ?`,
      q.task,
    ))
      labels.set(l.image_id, [...(labels.get(l.image_id) ?? []), l]);
    const meta = new Map<string, { num: number | null; text: string }>();
    for (const m of cdb.all<{ image_id: number; key: string; num: number | null; text: string }>(
      't',
      'SELECT image_id, key, num, text FROM image_metadata',
    ))
      meta.set(`${m.image_id}:${m.key}`, m);
    const parts = new Map(
      cdb
        .all<{ image_id: number; part: string }>(
          't',
          'SELECT image_id, part FROM split_assignments WHERE split_id = ?',
          q.splitId ?? -1,
        )
        .map((a) => [a.image_id, a.part]),
    );
    const noted = new Set(
      q.text
        ? cdb
            .all<{ rowid: number }>(
              't',
              'SELECT rowid FROM notes_fts WHERE notes_fts MATCH ?',
              ftsQuery(q.text),
            )
            .map((r) => r.rowid)
        : [],
    );
    const matches = images.filter((img) => {
      const own = labels.get(img.id) ?? [];
      if (q.datasetId !== undefined && img.datasetId !== q.datasetId) return false;
      if (q.labels?.length && !own.some((l) => q.labels!.includes(l.name))) return false;
      if (q.unlabeled && own.length > 0) return false;
      if (q.splitId !== undefined && q.parts?.length && !q.parts.includes(parts.get(img.id) as never))
        return false;
      if (q.patient !== undefined && img.patient !== q.patient) return false;
      if (q.text && !noted.has(img.id)) return false;
      for (const m of q.metadata ?? []) {
        const v = meta.get(`${img.id}:${m.key}`);
        if (!v) return false;
        if (m.min !== undefined && !(v.num !== null && v.num >= Number(m.min))) return false;
        if (m.max !== undefined && !(v.num !== null && v.num <= Number(m.max))) return false;
        if (m.values && !m.values.includes(v.text)) return false;
      }
      return true;
    });
    const sign = q.sort.dir === 'desc' ? -1 : 1;
    const cmp = (a: number | string | null, b: number | string | null): number =>
      a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1; // SQLite: NULL first
    const sort = q.sort;
    const key = (img: Img): number | string | null => {
      if (sort.by === 'file') return img.file;
      if (sort.by === 'width') return img.width;
      if (sort.by === 'label') {
        const own = labels.get(img.id) ?? [];
        return own.length ? Math.min(...own.map((l) => l.ordinal)) : null;
      }
      if (sort.by === 'metadata') {
        const v = meta.get(`${img.id}:${sort.key}`);
        return v ? (sort.key === 'view' ? v.text : v.num) : null;
      }
      return img.id;
    };
    return matches
      .sort((a, b) => {
        if (sort.by === 'metadata') {
          // Images without the key come after those with it, in both directions.
          const [ka, kb] = [key(a), key(b)];
          if ((ka === null) !== (kb === null)) return ka === null ? 1 : -1;
          return sign * (cmp(ka, kb) || a.id - b.id);
        }
        return sign * (cmp(key(a), key(b)) || a.id - b.id);
      })
      .map((img) => img.id);
  };

  /**
   * All pages of a query concatenated, walking the offsets in the given order; `whole` 0 pages in
   * the database (segments, OFFSET), the default reads these small results whole and slices them.
   */
  const paged = (
    q: ImageQuery,
    limit: number,
    backwards: boolean,
    whole?: number,
  ): { ids: number[]; total: number } => {
    // A write first, so each pass starts with nothing cached and counts or learns every size anew.
    cdb.run(
      't',
      `INSERT INTO settings (key, value) VALUES ('touch', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      String(Math.random()),
    );
    const total = queryImages(cdb, { ...q, offset: 0, limit: 1 }, { wholeResultIds: whole }).total;
    const offsets = Array.from({ length: Math.ceil(total / limit) + 1 }, (_, i) => i * limit);
    if (backwards) offsets.reverse();
    const pages = new Map<number, number[]>();
    for (const offset of offsets) {
      const page = queryImages(cdb, { ...q, offset, limit }, { wholeResultIds: whole });
      expect(page.total).toBe(total);
      pages.set(
        offset,
        page.items.map((i) => i.id),
      );
    }
    return { ids: [...pages.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, ids]) => ids), total };
  };

  const filters: Record<string, Partial<ImageQueryInput>> = {
    everything: {},
    'first dataset': { datasetId: 0 },
    'second dataset, unlabeled': { datasetId: 1, unlabeled: true },
    'labels brain|femur': { labels: ['brain', 'femur'] },
    'split test+validation': { datasetId: 0, splitId: -1, parts: ['test', 'validation'] },
    'note text': { text: 'echogenic' },
    'metadata range + category': {
      metadata: [
        { key: 'ga_weeks', min: 18, max: 30 },
        { key: 'view', values: ['axial', 'coronal'] },
      ],
    },
    'label + sparse key': { labels: ['other'], metadata: [{ key: 'depth_cm', min: 4 }] },
  };
  const sorts: ImageQueryInput['sort'][] = [
    { by: 'id', dir: 'asc' },
    { by: 'file', dir: 'desc' },
    { by: 'width', dir: 'asc' },
    { by: 'label', dir: 'asc' },
    { by: 'label', dir: 'desc' },
    { by: 'metadata', key: 'depth_cm', dir: 'asc' },
    { by: 'metadata', key: 'depth_cm', dir: 'desc' },
    { by: 'metadata', key: 'view', dir: 'desc' },
  ];

  const checkAll = (): number => {
    let compared = 0;
    for (const [name, f] of Object.entries(filters)) {
      for (const sort of sorts) {
        const input = { ...f, sort } as ImageQueryInput;
        if (input.datasetId !== undefined) input.datasetId = [first, second][input.datasetId]!;
        if (input.splitId !== undefined) input.splitId = splitId;
        const q = ImageQuery.parse(input);
        const expected = reference(q);
        const label = `${name}, ${JSON.stringify(sort)}`;
        // Forwards (segment sizes learnt while paging), then backwards (sizes counted up front),
        // each from the database, then read whole and sliced.
        for (const [backwards, whole] of [
          [false, 0],
          [true, 0],
          [false, undefined],
        ] as const) {
          const { ids, total } = paged(q, 37, backwards, whole);
          expect(total, label).toBe(expected.length);
          expect(ids, label).toEqual(expected);
        }
        compared += expected.length;
      }
    }
    return compared;
  };

  it('gives the same pages as the naive reference for every filter and sort', () => {
    expect(checkAll()).toBeGreaterThan(2000);
  });

  it('still does once some images hold two classes (first class decides the label order)', () => {
    const random = createRandom(9);
    cdb.transaction(() => {
      for (const l of cdb.all<{ image_id: number; task_id: number; ordinal: number }>(
        't',
        'SELECT l.image_id, l.task_id, c.ordinal FROM image_labels l JOIN label_classes c ON c.id = l.class_id',
      )) {
        if (!random.chance(0.2)) continue;
        // A second class, above or below the first one in task order.
        const other = cdb.get<{ id: number }>(
          't',
          'SELECT id FROM label_classes WHERE task_id = ? AND ordinal = ?',
          l.task_id,
          (l.ordinal + random.int(1, 4)) % 5,
        )!;
        cdb.run(
          't',
          'INSERT INTO image_labels (image_id, task_id, class_id) VALUES (?, ?, ?)',
          l.image_id,
          l.task_id,
          other.id,
        );
      }
    });
    const twice = cdb.get<{ n: number }>(
      't',
      'SELECT count(*) AS n FROM (SELECT image_id FROM image_labels GROUP BY image_id HAVING count(*) > 1)',
    )!.n;
    expect(twice).toBeGreaterThan(50);
    expect(checkAll()).toBeGreaterThan(2000);
  });
});
