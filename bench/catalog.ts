/**
 * Catalog figures: import rate with 256 px WebP thumbnails on the real BUSI set (780 images, managed
 * copy), the same read in place without thumbnails, and page-query latency (p50/p95) at 100,000
 * generated rows for the filters the UI uses: paging one filter (its counts cached) and a page right
 * after a write (everything recounted). Run: `npx tsx bench/catalog.ts [--json] [--rows N]
 * [--pages N]`. Prints figures; never fails on a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageQuery, ImportOptions, type ImageQueryInput } from '../shared/contract/catalog';
import { queryImages } from '../main/catalog/catalog-query';
import { createCatalogService } from '../main/catalog/catalog-service';
import { seedSyntheticCatalog } from '../main/catalog/synthetic-catalog';
import { createLogger } from '../main/core/logger';

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const log = (...xs: unknown[]): void => {
  if (!json) console.log(...xs);
};
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const work = mkdtempSync(join(tmpdir(), 'sonofuse-bench-catalog-'));
const busi = join(process.cwd(), '..', 'shared', 'datasets', 'busi', 'manifest.csv');

const importRate = async (name: string, options: Partial<ImportOptions>) => {
  const catalog = createCatalogService({
    dbPath: join(work, `${name}.db`),
    logger: createLogger({ minLevel: 'error' }),
  });
  const t0 = performance.now();
  const report = await catalog.import(ImportOptions.parse({ source: busi, dataset: 'busi', ...options }));
  const seconds = (performance.now() - t0) / 1000;
  catalog.close();
  const result = { images: report.imported, seconds, imagesPerSecond: report.imported / seconds };
  log(
    `import ${name.padEnd(28)} ${report.imported} images in ${seconds.toFixed(2)} s = ${result.imagesPerSecond.toFixed(1)} images/s`,
  );
  return result;
};

const imports = {
  managedWithThumbnails: await importRate('managed+thumbnails', {}),
  inPlaceNoThumbnails: await importRate('in-place, no thumbnails', {
    referenceInPlace: true,
    thumbnails: false,
  }),
};

const rows = opt('--rows', 100_000);
const pages = opt('--pages', 60);
const catalog = createCatalogService({
  dbPath: join(work, 'rows.db'),
  logger: createLogger({ minLevel: 'error' }),
});
const cdb = catalog.db();
let t0 = performance.now();
const datasetId = seedSyntheticCatalog(cdb, { count: rows, seed: 5 });
const seedSeconds = (performance.now() - t0) / 1000;
log(`generated ${rows} synthetic rows in ${seedSeconds.toFixed(1)} s`);
t0 = performance.now();
const split = catalog.createSplit({
  datasetId,
  seed: 42,
  ratios: { train: 0.7, validation: 0.15, test: 0.15 },
  task: 'label',
});
const splitSeconds = (performance.now() - t0) / 1000;
log(`group-aware split of ${rows} rows in ${splitSeconds.toFixed(2)} s`);

const scenarios: Record<string, Partial<ImageQueryInput>> = {
  'all, by id': {},
  'label = brain': { labels: ['brain'] },
  unlabeled: { unlabeled: true },
  'split part = test': { splitId: split.id, parts: ['test'] },
  'note text "echogenic breech"': { text: 'echogenic breech' },
  'label + ga 20-24 + view': {
    labels: ['femur'],
    metadata: [
      { key: 'ga_weeks', min: 20, max: 24 },
      { key: 'view', values: ['axial'] },
    ],
  },
  'sort by ga_weeks': { sort: { by: 'metadata', key: 'ga_weeks', dir: 'asc' } },
  'sort by label': { sort: { by: 'label', dir: 'asc' } },
  'sort by file desc': { sort: { by: 'file', dir: 'desc' } },
};
const latency: Record<string, { p50: number; p95: number; coldP50: number; coldP95: number; total: number }> =
  {};
/** Any write moves the catalog version, so the next page recounts: what a page costs after an edit. */
const touch = (i: number): void => {
  cdb.run(
    'bench.touch',
    `INSERT INTO settings (key, value) VALUES ('bench.touch', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    String(i),
  );
};
const timed = (fn: () => void): number => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
for (const [name, filters] of Object.entries(scenarios)) {
  const first = queryImages(cdb, ImageQuery.parse({ datasetId, ...filters, limit: 100 }));
  const offsetOf = (i: number): number => Math.floor(((i * 7919) % Math.max(1, first.total)) / 100) * 100;
  const page = (i: number) => () =>
    queryImages(cdb, ImageQuery.parse({ datasetId, ...filters, offset: offsetOf(i), limit: 100 }));
  // Paging one filter (counts cached), then each page right after a write (everything recounted).
  const times = Array.from({ length: pages }, (_, i) => timed(page(i))).sort((a, b) => a - b);
  const cold = Array.from({ length: Math.max(1, Math.floor(pages / 3)) }, (_, i) => {
    touch(i);
    return timed(page(i));
  }).sort((a, b) => a - b);
  latency[name] = {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    coldP50: percentile(cold, 0.5),
    coldP95: percentile(cold, 0.95),
    total: first.total,
  };
  const ms = (x: number): string => x.toFixed(1).padStart(6);
  const l = latency[name]!;
  log(
    `page of 100 · ${name.padEnd(30)} p50 ${ms(l.p50)} ms  p95 ${ms(l.p95)} ms · after a write p50 ${ms(l.coldP50)} ms  p95 ${ms(l.coldP95)} ms  (${first.total} matches)`,
  );
}
catalog.close();
rmSync(work, { recursive: true, force: true });
if (json) console.log(JSON.stringify({ imports, rows, seedSeconds, splitSeconds, pages, latency }));
