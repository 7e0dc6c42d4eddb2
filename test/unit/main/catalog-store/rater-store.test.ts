import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImageQuery } from '../../../../shared/contract/catalog';
import { AppError } from '../../../../shared/contract/result';
import { createCatalogService, type CatalogService } from '../../../../main/catalog/catalog-service';
import type { CatalogStore, NewImage } from '../../../../main/catalog-store/catalog-store';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { createSqliteCatalogStore } from '../../../../main/catalog-store/sqlite-catalog-store';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { tempDir } from '../catalog/support/catalog-fixtures';

/**
 * One suite, two backends: several raters per image through the CatalogStore. In SQLite the rater
 * is the workstation's name and the reviewer a setting; in PostgreSQL each person is a database
 * role (ann, bo: labelers; rev: member of sonofuse_reviewer) and the store attributes to it.
 */
let cluster: PgCluster | null = null;
const PASSWORD = 'rater-pass';
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

interface Backend {
  engine: 'sqlite' | 'postgres';
  /** A fresh catalog; `as(person)` opens it as that person. */
  create(): Promise<{ as(person: Person): Promise<CatalogStore>; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    engine: 'sqlite',
    async create() {
      const catalog: CatalogService = createCatalogService({ dbPath: join(tempDir(), 'catalog.db') });
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
      const opened: CatalogStore[] = [await openPgCatalogStore({ url })];
      for (const role of ['ann', 'bo', 'rev'])
        await cluster!.sql(
          `GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
          [],
          name,
        );
      return {
        async as(person) {
          if (person === 'admin') return opened[0]!;
          const store = await openPgCatalogStore({
            url: cluster!.url(name, person, PASSWORD),
            migrate: false,
          });
          opened.push(store);
          return store;
        },
        async close() {
          for (const s of opened) await s.close();
        },
      };
    },
  },
];

const hash = (i: number): string => (i + 100).toString(16).padStart(64, '0');
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
    user: 'import',
  }));

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe.each(backends)('several raters per image on $engine', ({ engine, create }) => {
  const skip = engine === 'postgres' && pgSkipReason !== null;
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it.skipIf(skip)(
    'keeps raters apart, queues the disagreement for reviewers only, and trains on decided else majority',
    async () => {
      const catalog = await create();
      close = catalog.close;
      const admin = await catalog.as('admin');
      const datasetId = await admin.ensureDataset('twins');
      await admin.defineTask({ datasetId, name: 'plane', kind: 'single', classes: ['head', 'femur'] });
      const ids = (await admin.addImages(images(datasetId))).inserted;
      expect(await admin.raters.setRaters({ datasetId, task: 'plane', raters: 2 })).toEqual({
        task: 'plane',
        raters: 2,
      });
      const rate = async (person: Person, image: number, label: string) =>
        (await catalog.as(person)).setLabels({
          imageId: ids[image]!,
          task: 'plane',
          labels: [label],
          user: person,
          reason: '',
        });
      await rate('ann', 0, 'head');
      await rate('bo', 0, 'femur');
      await rate('ann', 1, 'head');
      await rate('bo', 1, 'head');

      const page = async (person: Person) =>
        new Map(
          (
            await (
              await catalog.as(person)
            ).images(
              ImageQuery.parse({
                datasetId,
                task: 'plane',
                sort: { by: 'file', dir: 'asc' },
                offset: 0,
                limit: 10,
              }),
            )
          ).items.map((i) => [i.id, i.labels]),
        );
      expect((await page('ann')).get(ids[0]!)).toEqual(['head']);
      expect((await page('bo')).get(ids[0]!)).toEqual(['femur']);
      const annSees = await (await catalog.as('ann')).image(ids[0]!, 'plane');
      expect(annSees.ratings!.map((r) => [r.rater, r.label])).toEqual([['ann', 'head']]);

      // Labelers may neither see the queue nor decide.
      const ann = await catalog.as('ann');
      expect(await codeOf(ann.raters.queue({ datasetId, task: 'plane', limit: 10 }))).toBe('FORBIDDEN');
      expect(
        await codeOf(
          ann.raters.adjudicate({ imageId: ids[0]!, task: 'plane', label: 'head', user: 'ann', reason: '' }),
        ),
      ).toBe('FORBIDDEN');

      const rev = await catalog.as('rev');
      const q = await rev.raters.queue({ datasetId, task: 'plane', limit: 10 });
      expect(q.disagreements.map((d) => [d.imageId, d.ratings.map((r) => `${r.rater}=${r.label}`)])).toEqual([
        [ids[0], ['ann=head', 'bo=femur']],
      ]);
      expect(q).toMatchObject({ unrated: 1, decided: 0, incompleteTotal: 0 });
      expect((await rev.image(ids[0]!, 'plane')).ratings!.map((r) => r.rater)).toEqual(['ann', 'bo']);

      // ann: head, head; bo: femur, head -> p_o 1/2, p_e = 1 * 1/2 -> kappa 0.
      const agreement = await rev.raters.agreement(datasetId, 'plane');
      expect(agreement).toMatchObject({ method: 'cohen', items: 2, kappa: 0, people: ['ann', 'bo'] });

      await rev.raters.adjudicate({
        imageId: ids[0]!,
        task: 'plane',
        label: 'femur',
        user: 'rev',
        reason: 'long bone',
      });
      const [decision] = (await rev.history(ids[0]!, 10)).filter((h) => h.task === 'plane');
      expect(decision).toMatchObject({
        to: ['femur'],
        user: 'rev',
        adjudication: true,
        reason: 'adjudication of 2 rater label(s) (ann: head, bo: femur); long bone',
      });
      expect((await page('ann')).get(ids[0]!)).toEqual(['femur']);
      expect(await codeOf(rate('ann', 0, 'head'))).toBe('CONFLICT');

      // The run's rows: image 0 decided (femur), image 1 the majority (head), image 2 unrated.
      const rows = await rev.snapshotRows({ datasetId, task: 'plane', splitId: null });
      expect(rows.map((r) => r.label)).toEqual(['femur', 'head', null]);
    },
    60_000,
  );
});
