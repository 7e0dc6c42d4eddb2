/**
 * "Already in another dataset" figures (issue #16 item 4): imports a real manifest into two
 * datasets of a temporary catalog (files referenced in place, never copied), then times the query
 * that finds the second import's images another dataset already holds (images_sha256 index).
 * Prints figures; never fails on a time.
 * `npx tsx bench/import-elsewhere.ts [manifest.csv]` (default ../shared/datasets/busi/manifest.csv).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportOptions } from '../shared/contract/catalog';
import { createCatalogDatasets } from '../main/catalog/catalog-datasets';
import { createCatalogService } from '../main/catalog/catalog-service';

const manifest = process.argv[2] ?? join(process.cwd(), '..', 'shared', 'datasets', 'busi', 'manifest.csv');

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-bench-elsewhere-'));
  const catalog = createCatalogService({ dbPath: join(dir, 'catalog.db'), progressIntervalMs: 1000 });
  try {
    const options = (dataset: string) =>
      ImportOptions.parse({ source: manifest, dataset, referenceInPlace: true, thumbnails: false });
    const first = await catalog.import(options('first'));
    const started = performance.now();
    const second = await catalog.import(options('second'));
    const importMs = performance.now() - started;
    const datasets = createCatalogDatasets(catalog.db());
    const runs = 20;
    const t = performance.now();
    let found = 0;
    for (let i = 0; i < runs; i++) found = datasets.elsewhere(second.importId)?.images ?? 0;
    const queryMs = (performance.now() - t) / runs;
    console.log(
      JSON.stringify({
        manifest,
        firstImported: first.imported,
        secondImported: second.imported,
        alreadyElsewhere: found,
        secondImportMs: Math.round(importMs),
        elsewhereQueryMs: Number(queryMs.toFixed(2)),
      }),
    );
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

void main();
