import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ImageQuery, type ImageQueryInput } from '../../../../shared/contract/catalog';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { createQueryCache } from '../../../../main/catalog/query-cache';
import { seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

describe('query cache', () => {
  it('computes once per catalog version, again after any write, and never keeps values inside a transaction', () => {
    const cdb = openCatalogDb({ path: join(tempDir(), 'cache.db') });
    const cache = createQueryCache(cdb);
    let computed = 0;
    const count = () =>
      cache.get('datasets', () => {
        computed++;
        return cdb.get<{ n: number }>('t', 'SELECT count(*) AS n FROM datasets')!.n;
      });
    expect([count(), count(), computed]).toEqual([0, 0, 1]);
    cdb.run('t', `INSERT INTO datasets (name, created_at) VALUES ('a', 'now')`);
    expect([count(), count(), computed]).toEqual([1, 1, 2]);
    // A write that is rolled back still moves the version: at worst one recount, never a stale value.
    expect(() =>
      cdb.transaction(() => {
        cdb.run('t', `INSERT INTO datasets (name, created_at) VALUES ('b', 'now')`);
        expect([count(), count()]).toEqual([2, 2]); // sees its own uncommitted row, keeps nothing
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect([count(), computed]).toEqual([1, 5]);
    // A commit by another connection (another process) moves PRAGMA data_version.
    const other = new Database(cdb.path);
    other.prepare(`INSERT INTO datasets (name, created_at) VALUES ('c', 'now')`).run();
    other.close();
    expect([count(), count(), computed]).toEqual([2, 2, 6]);
    expect(cache.peek('datasets')).toBe(2);
    cache.set('learnt', 7);
    expect(cache.peek('learnt')).toBe(7);
    cdb.run('t', `DELETE FROM datasets WHERE name = 'c'`);
    expect(cache.peek('learnt')).toBeUndefined();
    cdb.close();
  });
});

describe('page totals after writes', () => {
  const opened: Array<{ close(): void }> = [];
  afterEach(() => {
    for (const c of opened.splice(0)) c.close();
  });

  const setup = () => {
    const { catalog, dir } = freshCatalog();
    opened.push(catalog);
    const datasetId = seedSyntheticCatalog(catalog.db(), { count: 300, seed: 8, dataset: 'scans' });
    const page = (input: Partial<ImageQueryInput>) =>
      catalog.images(ImageQuery.parse({ datasetId, limit: 500, ...input }));
    /** The same total by plain SQL. */
    const labelled = (name: string) =>
      catalog
        .db()
        .get<{ n: number }>(
          't',
          `SELECT count(*) AS n FROM image_labels l JOIN label_classes c ON c.id = l.class_id WHERE c.name = ?`,
          name,
        )!.n;
    return { catalog, dir, datasetId, page, labelled };
  };

  it('reflects a label set, cleared and undone at once, on totals, filters and label-sorted pages', () => {
    const { catalog, page, labelled } = setup();
    const brain = page({ labels: ['brain'] });
    const unlabeled = page({ unlabeled: true });
    const sorted = page({ sort: { by: 'label', dir: 'asc' } });
    expect(brain.total).toBe(labelled('brain'));
    expect(unlabeled.total).toBeGreaterThan(0);
    const target = unlabeled.items[0]!.id;
    // Ascending label order starts with the unlabeled images.
    expect(sorted.items.map((i) => i.id).indexOf(target)).toBe(0);
    expect(page({ labels: ['brain'], offset: 1 }).total).toBe(brain.total);

    catalog.setLabels({ imageId: target, task: 'label', labels: ['brain'], user: 'ana', reason: '' });
    expect(page({ labels: ['brain'] }).total).toBe(brain.total + 1);
    expect(page({ labels: ['brain'] }).items.map((i) => i.id)).toContain(target);
    expect(page({ unlabeled: true }).total).toBe(unlabeled.total - 1);
    // It left the unlabeled run at the front and now sorts among the brain images by id.
    const brainBefore = brain.items.filter((i) => i.id < target).length;
    const resorted = page({ sort: { by: 'label', dir: 'asc' } }).items;
    expect(resorted.findIndex((i) => i.id === target)).toBe(unlabeled.total - 1 + brainBefore);
    expect(resorted[unlabeled.total - 1]!.labels).toEqual(['brain']);

    catalog.setLabels({ imageId: target, task: 'label', labels: [], user: 'ana', reason: '' });
    expect(page({ labels: ['brain'] }).total).toBe(brain.total);
    catalog.undo('ana');
    expect(page({ labels: ['brain'] }).total).toBe(brain.total + 1);
    expect(page({ labels: ['brain'] }).total).toBe(labelled('brain'));
  });

  it('reflects an import into the dataset at once', async () => {
    const { catalog, dir, datasetId, page, labelled } = setup();
    const brain = page({ labels: ['brain'] });
    expect(page({}).total).toBe(300);
    expect(page({ sort: { by: 'label', dir: 'desc' }, offset: 250 }).total).toBe(300);
    const folder = join(dir, 'incoming');
    for (let i = 0; i < 3; i++) writeFile(folder, `brain/b${i}.png`, await makeImage(16, 16, 900 + i));
    writeFile(folder, 'loose.png', await makeImage(16, 16, 950));
    const report = await catalog.import(
      importOptions({ source: folder, dataset: 'scans', thumbnails: false }),
    );
    expect(report).toMatchObject({ datasetId, imported: 4 });
    expect(page({}).total).toBe(304);
    expect(page({ labels: ['brain'] }).total).toBe(brain.total + 3);
    expect(page({ labels: ['brain'] }).total).toBe(labelled('brain'));
    // Descending label order ends with the unlabeled images by id, descending: the new loose file
    // (the highest id) opens that run.
    const tail = page({ sort: { by: 'label', dir: 'desc' }, offset: 250 });
    expect(tail.total).toBe(304);
    const firstUnlabeled = tail.items.findIndex((i) => i.labels.length === 0);
    expect(tail.items[firstUnlabeled]!.file).toBe('loose.png');
    expect(tail.items.slice(firstUnlabeled).every((i) => i.labels.length === 0)).toBe(true);
  });
});
