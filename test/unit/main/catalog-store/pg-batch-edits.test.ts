import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageQuery } from '../../../../shared/contract/catalog';
import type { AppError } from '../../../../shared/contract/result';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import type { CatalogStore, NewImage } from '../../../../main/catalog-store/catalog-store';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { createSqliteCatalogStore } from '../../../../main/catalog-store/sqlite-catalog-store';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { tempDir } from '../catalog/support/catalog-fixtures';

/**
 * One suite, two backends: bulk relabel with the versions the grid showed, and undo that does not
 * wipe another user's later work. In SQLite a person is the workstation's name; in PostgreSQL a
 * database role (ann, bo) the store attributes to.
 */
let cluster: PgCluster | null = null;
const PASSWORD = 'batch-pass';
beforeAll(async () => {
  if (pgSkipReason !== null) return;
  cluster = await startPgCluster();
  await cluster.sql(`CREATE ROLE sonofuse_reviewer NOLOGIN`);
  for (const role of ['ann', 'bo', 'rev'])
    await cluster.sql(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`);
  await cluster.sql(`GRANT sonofuse_reviewer TO rev`);
}, 60_000);
afterAll(() => cluster?.stop());

type Person = 'admin' | 'ann' | 'bo' | 'rev';

const backends: Array<{
  engine: 'sqlite' | 'postgres';
  create(): Promise<{ as(person: Person): Promise<CatalogStore>; close(): Promise<void> }>;
}> = [
  {
    engine: 'sqlite',
    async create() {
      const catalog = createCatalogService({ dbPath: join(tempDir(), 'catalog.db') });
      const store = createSqliteCatalogStore(catalog);
      return {
        async as(person) {
          catalog.setUserName(person);
          catalog.setRole(person === 'rev' || person === 'admin' ? 'reviewer' : 'labeler');
          return store;
        },
        close: () => store.close(),
      };
    },
  },
  {
    engine: 'postgres',
    async create() {
      const url = await cluster!.createDatabase();
      const name = decodeURIComponent(url.split('@/')[1]!.split('?')[0]!);
      const opened = new Map<Person, CatalogStore>([['admin', await openPgCatalogStore({ url })]]);
      await cluster!.sql(
        `GRANT ALL ON ALL TABLES IN SCHEMA public TO ann, bo, rev; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ann, bo, rev`,
        [],
        name,
      );
      return {
        async as(person) {
          const open = opened.get(person);
          if (open) return open;
          const store = await openPgCatalogStore({
            url: cluster!.url(name, person, PASSWORD),
            migrate: false,
          });
          opened.set(person, store);
          return store;
        },
        async close() {
          for (const s of opened.values()) await s.close();
        },
      };
    },
  },
];

const hash = (i: number): string => (i + 500).toString(16).padStart(64, '0');
const images = (datasetId: number): NewImage[] =>
  [0, 1, 2].map((i) => ({
    datasetId,
    sha256: hash(i),
    frame: 0,
    file: `img-${i}.png`,
    originalPath: `scans/img-${i}.png`,
    storedPath: `${hash(i).slice(0, 2)}/${hash(i)}.png`,
    format: 'png',
    sourceFormat: 'png',
    width: 10,
    height: 10,
    bytes: 100,
    labels: { label: ['head'] },
    user: 'import',
  }));

const failure = async (p: Promise<unknown>): Promise<AppError> =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as AppError,
  );

describe.each(backends)('bulk relabel and undo with label versions on $engine', ({ engine, create }) => {
  const skip = engine === 'postgres' && pgSkipReason !== null;
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  const seeded = async () => {
    const catalog = await create();
    close = catalog.close;
    const admin = await catalog.as('admin');
    const datasetId = await admin.ensureDataset('dept');
    await admin.defineTask({
      datasetId,
      name: 'label',
      kind: 'single',
      classes: ['head', 'femur', 'abdomen'],
    });
    const ids = (await admin.addImages(images(datasetId))).inserted;
    const page = async (person: Person) =>
      (await (await catalog.as(person)).images(ImageQuery.parse({ datasetId, task: 'label' }))).items;
    const labels = async () => (await page('admin')).map((r) => r.labels);
    return { catalog, datasetId, ids, page, labels };
  };

  it.skipIf(skip)(
    'grid rows carry label versions; a bulk relabel based on them refuses the whole change when one is stale',
    async () => {
      const { catalog, datasetId, ids, page, labels } = await seeded();
      const bo = await catalog.as('bo');
      await bo.setLabels({ imageId: ids[0]!, task: 'label', labels: ['abdomen'], user: 'bo', reason: '' });
      // Imported labels are version 0 (never written); bo's write made image 0 version 1.
      const seen = await page('ann');
      expect(seen.map((r) => [r.id, r.labelVersion])).toEqual([
        [ids[0], 1],
        [ids[1], 0],
        [ids[2], 0],
      ]);
      // After ann's grid showed those rows, bo relabels image 1.
      await bo.setLabels({ imageId: ids[1]!, task: 'label', labels: ['abdomen'], user: 'bo', reason: '' });
      const ann = await catalog.as('ann');
      const bulk = {
        datasetId,
        task: 'label',
        imageIds: ids,
        to: ['femur'],
        user: 'ann',
        reason: 'bulk',
        baseVersions: seen.map((r) => ({ imageId: r.id, version: r.labelVersion })),
      };
      const refused = await failure(ann.bulkRelabel(bulk));
      expect(refused.code).toBe('CONFLICT');
      expect(refused.conflicts).toEqual([
        expect.objectContaining({
          imageId: ids[1],
          task: 'label',
          version: 1,
          labels: ['abdomen'],
          by: 'bo',
        }),
      ]);
      // Nothing applied: not even the images whose base was current.
      expect(await labels()).toEqual([['abdomen'], ['abdomen'], ['head']]);
      // Based on a fresh page it applies, as one batch by the signed-in user, each version moved on.
      const fresh = await page('ann');
      const done = await ann.bulkRelabel({
        ...bulk,
        baseVersions: fresh.map((r) => ({ imageId: r.id, version: r.labelVersion })),
      });
      expect(done.changed).toBe(3);
      expect(await labels()).toEqual([['femur'], ['femur'], ['femur']]);
      expect((await page('ann')).map((r) => r.labelVersion)).toEqual([2, 2, 1]);
      const batch = (await ann.history(undefined, 10)).filter((h) => h.batchId === done.batchId);
      expect(batch.map((h) => [h.imageId, h.user, h.from, h.to]).sort()).toEqual(
        [
          [ids[0], 'ann', ['abdomen'], ['femur']],
          [ids[1], 'ann', ['abdomen'], ['femur']],
          [ids[2], 'ann', ['head'], ['femur']],
        ].sort(),
      );
    },
    60_000,
  );

  it.skipIf(skip)(
    "undo refuses (CONFLICT: who, when) when another user relabelled one of the batch's images since; the same user's own later edit does not block it",
    async () => {
      const { catalog, datasetId, ids, labels } = await seeded();
      const ann = await catalog.as('ann');
      const first = await ann.bulkRelabel({
        datasetId,
        task: 'label',
        imageIds: [ids[0]!, ids[1]!],
        to: ['femur'],
        user: 'ann',
        reason: '',
      });
      const bo = await catalog.as('bo');
      await bo.setLabels({ imageId: ids[1]!, task: 'label', labels: ['abdomen'], user: 'bo', reason: '' });
      const refused = await failure((await catalog.as('ann')).undo({ batchId: first.batchId! }));
      expect(refused.code).toBe('CONFLICT');
      expect(refused.message).toContain(`cannot undo change ${first.batchId}`);
      expect(refused.conflicts).toEqual([
        expect.objectContaining({ imageId: ids[1], labels: ['abdomen'], version: 2, by: 'bo' }),
      ]);
      expect(refused.conflicts![0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await labels()).toEqual([['femur'], ['abdomen'], ['head']]);
      // bo takes his change back (his own newest batch); nothing of another user's is left to lose.
      expect(await (await catalog.as('bo')).undo({ mine: true })).toMatchObject({ undone: 1 });
      expect(await (await catalog.as('ann')).undo({ batchId: first.batchId! })).toMatchObject({ undone: 2 });
      expect(await labels()).toEqual([['head'], ['head'], ['head']]);

      // ann's own batch, then ann changes one of its images again: undoing the batch is allowed.
      const mine = await ann.bulkRelabel({
        datasetId,
        task: 'label',
        imageIds: [ids[2]!],
        to: ['abdomen'],
        user: 'ann',
        reason: '',
      });
      await (
        await catalog.as('ann')
      ).setLabels({ imageId: ids[2]!, task: 'label', labels: ['femur'], user: 'ann', reason: '' });
      const undone = await (await catalog.as('ann')).undo({ batchId: mine.batchId! });
      expect(undone).toMatchObject({ undone: 1 });
      expect(await labels()).toEqual([['head'], ['head'], ['head']]);
      const undoRow = (await ann.history(ids[2], 1))[0]!;
      expect(undoRow).toMatchObject({ origin: 'undo', undoesBatch: mine.batchId, user: 'ann', to: ['head'] });
      // Undone once: a second undo of the same batch does nothing.
      expect(await (await catalog.as('ann')).undo({ batchId: mine.batchId! })).toEqual({
        batchId: null,
        undone: 0,
      });
    },
    60_000,
  );

  it.skipIf(skip)(
    'renames a dataset (CONFLICT on a taken name) and deletes it as a reviewer only, with the typed name',
    async () => {
      const { catalog, datasetId } = await seeded();
      const admin = await catalog.as('admin');
      const otherId = await admin.ensureDataset('other');
      const ann = await catalog.as('ann');
      expect(await ann.renameDataset({ datasetId, name: ' Anomaly scan ' })).toMatchObject({
        id: datasetId,
        name: 'Anomaly scan',
        images: 3,
      });
      expect((await failure(ann.renameDataset({ datasetId: otherId, name: 'Anomaly scan' }))).code).toBe(
        'CONFLICT',
      );
      // A labeler may not delete; a reviewer must type the current name.
      expect((await failure(ann.deleteDataset({ datasetId, confirmName: 'Anomaly scan' }))).code).toBe(
        'FORBIDDEN',
      );
      const rev = await catalog.as('rev');
      expect((await failure(rev.deleteDataset({ datasetId, confirmName: 'dept' }))).code).toBe('CONFLICT');
      expect(await rev.deleteDataset({ datasetId, confirmName: 'Anomaly scan' })).toMatchObject({
        id: datasetId,
        name: 'Anomaly scan',
        user: 'rev',
      });
      expect((await rev.datasets()).map((d) => d.name)).toEqual(['other']);
      expect((await failure(rev.renameDataset({ datasetId, name: 'back' }))).code).toBe('NOT_FOUND');
      // The name is free again once its dataset is deleted.
      expect(await rev.renameDataset({ datasetId: otherId, name: 'Anomaly scan' })).toMatchObject({
        name: 'Anomaly scan',
      });
    },
    60_000,
  );
});
