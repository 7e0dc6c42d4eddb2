/**
 * Department mode (issue #18): page-query latency at 100,000 and 1,000,000 images on PostgreSQL vs
 * SQLite, through the one CatalogStore interface the app uses, then label-write latency with 8
 * writers (bench/label-writes.ts, pg-concurrency's workload). Rows are generated: SQLite by
 * main/catalog/synthetic-catalog.ts, PostgreSQL by the same distribution in SQL (generate_series):
 * 5 classes, 5% unlabeled, 60% with a note, patients of ~4 images, metadata ga_weeks + view.
 * PostgreSQL runs in a throwaway cluster (test/support/pg-cluster.ts: Unix socket, fsync off).
 * Prints figures; never fails on a time.
 *
 * `npm run bench:department -- [--sizes 100000,1000000] [--pages 20] [--seconds 5] [--no-writes] [--json]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageQuery, type ImageQueryInput } from '../shared/contract/catalog';
import { createCatalogService } from '../main/catalog/catalog-service';
import { seedSyntheticCatalog } from '../main/catalog/synthetic-catalog';
import type { CatalogStore } from '../main/catalog-store/catalog-store';
import { openPgCatalogStore } from '../main/catalog-store/pg-catalog-store';
import { createSqliteCatalogStore } from '../main/catalog-store/sqlite-catalog-store';
import { createLogger } from '../main/core/logger';
import { pgBinDir, startPgCluster, type PgCluster } from '../test/support/pg-cluster';

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
};
const sizes = opt('--sizes', '100000,1000000').split(',').map(Number);
const pages = Number(opt('--pages', '20'));
const seconds = Number(opt('--seconds', '5'));
const writesToo = !args.includes('--no-writes');
const log = (...xs: unknown[]): void => {
  if (!json) console.log(...xs);
};

/** The same generated catalog as seedSyntheticCatalog, written by PostgreSQL itself. */
const seedPg = async (cluster: PgCluster, database: string, count: number): Promise<void> => {
  const run = (sql: string) => cluster.sql(sql, [], database);
  await run(
    `INSERT INTO datasets (id, name, created_at) OVERRIDING SYSTEM VALUE VALUES (1, 'synthetic', '1970-01-01T00:00:00.000Z')`,
  );
  await run(
    `INSERT INTO label_tasks (id, dataset_id, name, kind, created_at) OVERRIDING SYSTEM VALUE VALUES (1, 1, 'label', 'single', '1970-01-01T00:00:00.000Z')`,
  );
  await run(`INSERT INTO label_classes (id, task_id, name, ordinal) OVERRIDING SYSTEM VALUE
    SELECT o + 1, 1, (ARRAY['brain','abdomen','femur','thorax','other'])[o + 1], o FROM generate_series(0, 4) o`);
  // Patients of 4 images (the SQLite generator draws 1-8, mean 4.5).
  await run(`INSERT INTO groups (id, dataset_id, kind, key) OVERRIDING SYSTEM VALUE
    SELECT p + 1, 1, 'patient', 'SYN-' || p FROM generate_series(0, ${Math.ceil(count / 4) - 1}) p`);
  await run(`INSERT INTO images (id, dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, patient_group_id, imported_at)
    OVERRIDING SYSTEM VALUE
    SELECT i + 1, 1, encode(sha256(('1:' || i)::bytea), 'hex'), 'synthetic/' || i || '.png', 'synthetic/' || i || '.png',
      'png', 'png', 200 + (hashint4(i) & 511) % 600, 200 + (hashint4(i + 7) & 511) % 400, 1000, i / 4 + 1,
      to_char(timestamp '2024-01-01' + i * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    FROM generate_series(0, ${count - 1}) i`);
  await run(`INSERT INTO image_labels (image_id, task_id, class_id)
    SELECT i + 1, 1, 1 + (hashint4(i + 1) & 1023) % 5 FROM generate_series(0, ${count - 1}) i WHERE (hashint4(i + 2) & 1023) % 20 <> 0`);
  await run(`INSERT INTO notes (image_id, text, updated_at, updated_by)
    SELECT i + 1, (SELECT string_agg((ARRAY['normal','echogenic','biometry','placenta','anterior','posterior','cephalic','breech','follow','review','cyst','shadow'])[1 + (hashint4(i * 31 + w) & 1023) % 12], ' ')
                   FROM generate_series(1, 4 + (hashint4(i + 5) & 15)) w),
      '1970-01-01T00:00:00.000Z', 'synthetic'
    FROM generate_series(0, ${count - 1}) i WHERE (hashint4(i + 3) & 1023) % 10 < 6`);
  await run(`INSERT INTO image_metadata (image_id, key, type, num, text)
    SELECT i + 1, 'ga_weeks', 'number', 12 + ((hashint4(i + 4) & 1023) % 281) / 10.0, (12 + ((hashint4(i + 4) & 1023) % 281) / 10.0)::text
    FROM generate_series(0, ${count - 1}) i`);
  await run(`INSERT INTO image_metadata (image_id, key, type, num, text)
    SELECT i + 1, 'view', 'category', NULL, (ARRAY['axial','sagittal','coronal'])[1 + (hashint4(i + 6) & 1023) % 3]
    FROM generate_series(0, ${count - 1}) i`);
  for (const t of ['datasets', 'label_tasks', 'label_classes', 'groups', 'images'])
    await run(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
  await run('VACUUM ANALYZE');
};

const QUERIES: Array<{ name: string; q: (n: number, page: number) => ImageQueryInput }> = [
  { name: 'first page, by id', q: () => ({}) },
  { name: 'paging (offset 100 x page)', q: (_, p) => ({ offset: p * 100 }) },
  { name: 'deep page (middle)', q: (n) => ({ offset: Math.floor(n / 2) }) },
  { name: 'label = femur, paging', q: (_, p) => ({ labels: ['femur'], offset: p * 100 }) },
  { name: 'unlabeled', q: () => ({ unlabeled: true }) },
  { name: 'note search "cephalic breech"', q: () => ({ text: 'cephalic breech' }) },
  { name: 'ga_weeks 20-24', q: () => ({ metadata: [{ key: 'ga_weeks', min: 20, max: 24 }] }) },
  { name: 'sort by label, paging', q: (_, p) => ({ sort: { by: 'label', dir: 'asc' }, offset: p * 100 }) },
  { name: 'sort by file desc', q: () => ({ sort: { by: 'file', dir: 'desc' } }) },
];

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const timeQueries = async (store: CatalogStore, datasetId: number, n: number) => {
  const out: Record<string, { p50: number; p95: number; total: number }> = {};
  for (const { name, q } of QUERIES) {
    const times: number[] = [];
    let total = 0;
    for (let p = 0; p < pages; p++) {
      const query = ImageQuery.parse({ datasetId, task: 'label', limit: 100, ...q(n, p) });
      const t0 = performance.now();
      total = (await store.images(query)).total;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out[name] = { p50: percentile(times, 0.5), p95: percentile(times, 0.95), total };
  }
  // A page right after a label write (both engines' count caches are dropped: a new catalog version).
  const times: number[] = [];
  const user = await store.currentUser();
  for (let p = 0; p < pages; p++) {
    await store.setLabels({
      imageId: 1 + p,
      task: 'label',
      labels: [p % 2 ? 'brain' : 'femur'],
      user,
      reason: '',
    });
    const t0 = performance.now();
    await store.images(ImageQuery.parse({ datasetId, task: 'label', labels: ['femur'] }));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  out['label = femur, right after a write'] = {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    total: 0,
  };
  return out;
};

const main = async () => {
  if (!pgBinDir()) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  const work = mkdtempSync(join(tmpdir(), 'sonofuse-bench-department-'));
  const cluster = await startPgCluster();
  // Stopped by a signal: the throwaway cluster and the generated catalogs go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      cluster.stop();
      rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  const results: Record<string, unknown> = {};
  try {
    for (const n of sizes) {
      log(
        `\n== ${n.toLocaleString('en')} images: page queries (limit 100), p50 / p95 ms over ${pages} pages ==`,
      );
      let t0 = performance.now();
      const catalog = createCatalogService({
        dbPath: join(work, `c${n}.db`),
        logger: createLogger({ minLevel: 'error' }),
      });
      catalog.setUserName('bench');
      const sqliteDataset = seedSyntheticCatalog(catalog.db(), { count: n });
      const sqliteSeed = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const database = `bench_${n}`;
      await cluster.sql(`CREATE DATABASE ${database}`);
      const pg = await openPgCatalogStore({ url: cluster.url(database) });
      await seedPg(cluster, database, n);
      const pgSeed = (performance.now() - t0) / 1000;
      log(
        `generated in ${sqliteSeed.toFixed(1)} s (SQLite, JS) / ${pgSeed.toFixed(1)} s (PostgreSQL, generate_series)`,
      );
      const sqlite = createSqliteCatalogStore(catalog);
      const a = await timeQueries(sqlite, sqliteDataset, n);
      const b = await timeQueries(pg, 1, n);
      log(
        `${'query'.padEnd(40)} ${'SQLite p50/p95'.padStart(18)} ${'PostgreSQL p50/p95'.padStart(20)}   total (sqlite / pg)`,
      );
      for (const name of Object.keys(a)) {
        const f = (x: { p50: number; p95: number }) => `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)}`;
        log(
          `${name.padEnd(40)} ${f(a[name]!).padStart(18)} ${f(b[name]!).padStart(20)}   ${a[name]!.total} / ${b[name]!.total}`,
        );
      }
      results[String(n)] = { sqlite: a, postgres: b, seedSeconds: { sqlite: sqliteSeed, postgres: pgSeed } };
      await pg.close();
      await sqlite.close();
    }
    // Label writes with 8 writers: pg-concurrency's workload (bench/label-writes.ts).
    const specifier = './label-writes';
    const writes = (await import(specifier).catch(() => null)) as {
      benchLabelWrites?: (s: number, url?: string) => Promise<unknown>;
    } | null;
    if (!writesToo) log('\n(label writes skipped: --no-writes)');
    else if (writes?.benchLabelWrites) {
      log(`\n== label writes, 8 writers, ${seconds} s ==`);
      await cluster.sql('CREATE DATABASE bench_writes');
      const figures = await writes.benchLabelWrites(seconds, cluster.url('bench_writes'));
      results.labelWrites = figures;
      log(JSON.stringify(figures, null, 2));
    } else log('\n(label writes: bench/label-writes.ts not present in this checkout)');
  } finally {
    cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
  if (json) console.log(JSON.stringify(results));
};

void main();
