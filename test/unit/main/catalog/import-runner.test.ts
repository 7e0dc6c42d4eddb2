import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { createRepository } from '../../../../main/catalog/catalog-repository';
import { createContentStore } from '../../../../main/catalog/content-store';
import { runImport } from '../../../../main/catalog/import-runner';
import { importOptions, tempDir, writeFile } from './support/catalog-fixtures';
import { writeDicom } from './support/dicom-writer';

/** A catalog's import dependencies, counting the write transactions. */
const depsFor = (dir: string, maxHeldBytes?: number) => {
  const cdb = openCatalogDb({ path: join(dir, 'catalog.db') });
  const transaction = cdb.transaction;
  const counted = { transactions: 0 };
  cdb.transaction = (fn) => {
    counted.transactions++;
    return transaction(fn);
  };
  const deps = {
    cdb,
    repo: createRepository(cdb),
    store: createContentStore(join(dir, 'store')),
    maxHeldBytes,
  };
  return { deps, counted, cdb };
};

describe('import runner memory bound', () => {
  it('writes what is ready as soon as it holds more than maxHeldBytes, with the same result', async () => {
    const root = tempDir('sonofuse-runner-');
    for (let i = 0; i < 6; i++)
      writeFile(
        root,
        `c/${i}.dcm`,
        writeDicom({ rows: 8, cols: 8, frames: 3, pixels: Buffer.alloc(192, i * 30), seriesUid: `5.${i}` }),
      );
    const results = [];
    for (const budget of [undefined, 1]) {
      const { deps, counted, cdb } = depsFor(tempDir(), budget);
      const report = await runImport(deps, importOptions({ source: root, dataset: 'd', thumbnails: false }));
      results.push({ report, transactions: counted.transactions });
      cdb.close();
    }
    const [whole, bounded] = results;
    expect(bounded!.report).toMatchObject({ imported: 18, errors: [], labels: { c: 18 } });
    expect(whole!.report).toMatchObject({ imported: 18, errors: [], labels: { c: 18 } });
    // One transaction starts the import; then one write per chunk, or one per file over the budget.
    expect(whole!.transactions).toBe(2);
    expect(bounded!.transactions).toBe(1 + 6);
  });
});
