import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageQuery, type ImageQueryInput } from '../../../../shared/contract/catalog';
import { createPgPageCache } from '../../../../main/catalog-store/pg-page-cache';
import { pgImagePage } from '../../../../main/catalog-store/pg-image-query';
import { createPgPool, type PgPool, type PgQuery } from '../../../../main/catalog-store/pg-pool';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import type { CatalogStore, NewImage } from '../../../../main/catalog-store/catalog-store';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';

describe('createPgPageCache', () => {
  it('keeps totals and anchors for one snapshot only and finds the nearest anchor at or before an offset', () => {
    const cache = createPgPageCache();
    cache.at('10:10:');
    cache.setTotal('q', 42);
    cache.setAnchor('q', 0, [1]);
    cache.setAnchor('q', 99, [100]);
    cache.setAnchor('q', 199, [200]);
    expect(cache.total('q')).toBe(42);
    expect(cache.anchor('q', 150)).toEqual({ position: 99, values: [100] });
    expect(cache.anchor('q', 199)).toEqual({ position: 199, values: [200] });
    expect(cache.anchor('other', 150)).toBeUndefined();
    cache.at('10:10:');
    expect(cache.size).toBe(4);
    cache.at('10:11:'); // a commit somewhere: everything goes
    expect(cache.total('q')).toBeUndefined();
    expect(cache.anchor('q', 150)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

/** 250 images whose file names repeat (ties broken by id), widths in 7 values, labels on every 3rd. */
describe.skipIf(pgSkipReason !== null)(`pg page query with the page cache ${pgSkipReason ?? ''}`, () => {
  let cluster: PgCluster;
  let store: CatalogStore;
  let pool: PgPool;
  let datasetId: number;
  const sql: string[] = [];
  let logged: PgQuery;
  beforeAll(async () => {
    cluster = await startPgCluster();
    const url = await cluster.createDatabase();
    store = await openPgCatalogStore({ url });
    pool = createPgPool(url);
    logged = ((text: string, params?: unknown[]) => {
      sql.push(text);
      return pool.query(text, params);
    }) as PgQuery;
    datasetId = await store.ensureDataset('paging');
    const rows: NewImage[] = Array.from({ length: 250 }, (_, i) => {
      const sha = (i + 1).toString(16).padStart(64, '0');
      return {
        datasetId,
        sha256: sha,
        frame: 0,
        file: `f-${(i * 37) % 90}.png`,
        originalPath: `s/${i}.png`,
        storedPath: `${sha.slice(0, 2)}/${sha}.png`,
        format: 'png',
        sourceFormat: 'png',
        width: 10 + ((i * 13) % 7),
        height: 10,
        bytes: 1,
        user: 'import',
      };
    });
    const { inserted } = await store.addImages(rows);
    const user = await store.currentUser();
    for (const id of inserted.filter((_, i) => i % 3 === 0))
      await store.setLabels({ imageId: id, task: 'label', labels: ['femur'], user, reason: '' });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    cluster?.stop();
  });

  const page = (input: Partial<ImageQueryInput>) =>
    ImageQuery.parse({ datasetId, task: 'label', limit: 40, ...input });
  const ids = (p: { items: Array<{ id: number }> }) => p.items.map((i) => i.id);

  it.each([
    { by: 'id', dir: 'asc' },
    { by: 'id', dir: 'desc' },
    { by: 'file', dir: 'asc' },
    { by: 'file', dir: 'desc' },
    { by: 'width', dir: 'asc' },
    { by: 'importedAt', dir: 'desc' },
    { by: 'label', dir: 'asc' },
  ] as const)(
    'pages sorted by $by $dir give the same rows as without the cache (forward, back, jumps)',
    async (sort) => {
      const cache = createPgPageCache();
      for (const offset of [0, 40, 80, 120, 160, 200, 240, 120, 41, 0, 199, 230]) {
        const q = page({ sort, offset });
        const plain = await pgImagePage(pool.query, q);
        const cached = await pgImagePage(pool.query, q, cache);
        expect(ids(cached)).toEqual(ids(plain));
        expect(cached.total).toBe(250);
      }
    },
  );

  it('counts a filter once per snapshot, pages forward by keyset, and recounts after a commit', async () => {
    const cache = createPgPageCache();
    sql.length = 0;
    const femur = (offset: number) => pgImagePage(logged, page({ labels: ['femur'], offset }), cache);
    expect((await femur(0)).total).toBe(84);
    const second = await femur(40);
    expect(second.total).toBe(84);
    const counts = () => sql.filter((s) => s.startsWith('SELECT count(*)')).length;
    expect(counts()).toBe(1);
    // The second page starts from the first page's last row: a keyset bound, OFFSET 1 instead of 40.
    const pageSql = sql.filter((s) => s.includes('FROM images i')).pop()!;
    expect(pageSql).toMatch(/\(i\.id\) >= \(\$\d+\)/);
    expect(ids(second)).toEqual(ids(await pgImagePage(pool.query, page({ labels: ['femur'], offset: 40 }))));

    // Another workstation labels one more image: the next page sees the new total.
    const unlabeled = (await store.images(page({ unlabeled: true, limit: 1 }))).items[0]!.id;
    await store.setLabels({ imageId: unlabeled, task: 'label', labels: ['femur'], user: 'x', reason: '' });
    expect((await femur(40)).total).toBe(85);
    expect(counts()).toBe(2);
  });
});
