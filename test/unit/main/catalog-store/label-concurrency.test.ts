import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../../../main/catalog-store/catalog-store';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { createCatalogService, type CatalogService } from '../../../../main/catalog/catalog-service';
import { SYNTHETIC_CLASSES, seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import {
  checkLabelHistory,
  labelWorkloadImages,
  percentiles,
  runLabelWorkload,
  type LabelWorkstation,
  type WorkloadReport,
} from '../../../support/label-workstations';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { tempDir } from '../catalog/support/catalog-fixtures';

const STATIONS = 8;
const IMAGES = 1000;
const DURATION_MS = 2500;

/** A workstation on its own SQLite connection (its own catalog service on the shared file). */
const sqliteStation = (name: string, catalog: CatalogService): LabelWorkstation => ({
  name,
  detail: async (imageId) => catalog.image(imageId, 'label'),
  write: async ({ imageId, labels, baseVersion }) =>
    catalog.setLabels({ imageId, task: 'label', labels, user: name, reason: '', baseVersion }),
});

describe('8 workstations label the same 1,000 images (SQLite, 8 connections to one file)', () => {
  const services: CatalogService[] = [];
  afterAll(() => services.forEach((s) => s.close()));

  it('every write is applied or refused as CONFLICT; history complete; final state = replayed history; nothing lost', async () => {
    const dbPath = join(tempDir('sonofuse-concurrency-'), 'catalog.db');
    const seed = openCatalogDb({ path: dbPath });
    seedSyntheticCatalog(seed, { count: IMAGES, seed: 3 });
    const imageIds = seed.all<{ id: number }>('t', 'SELECT id FROM images ORDER BY id').map((r) => r.id);
    seed.close();
    for (let i = 0; i < STATIONS; i++) services.push(createCatalogService({ dbPath, progressIntervalMs: 0 }));
    const stations = services.map((s, i) => sqliteStation(`ws${i + 1}`, s));
    const snapshot = async () =>
      new Map(await Promise.all(imageIds.map(async (id) => [id, await stations[0]!.detail(id)] as const)));
    const before = await snapshot();

    const report = await runLabelWorkload(stations, {
      imageIds,
      classes: SYNTHETIC_CLASSES,
      durationMs: DURATION_MS,
      seed: 5,
    });
    const after = await snapshot();
    const check = checkLabelHistory(
      report,
      services[0]!.history(undefined, 1_000_000),
      before,
      after,
      stations.map((s) => s.name),
    );
    expectNothingLost('sqlite', report, check);
  }, 60_000);
});

/** Prints the counts for the report and checks: every write answered, nothing lost. */
const expectNothingLost = (
  engine: string,
  report: WorkloadReport,
  check: ReturnType<typeof checkLabelHistory>,
): void => {
  const lat = percentiles(report.latenciesMs);
  console.log(
    `[label-concurrency ${engine}] stations=${STATIONS} images=${IMAGES} writes=${report.writes} applied=${report.applied} ` +
      `conflicts=${report.conflicts} unchanged=${report.unchanged} errors=${report.errors.length} ` +
      `historyRows=${check.historyRows} lost=${check.lost} write p50=${lat.p50.toFixed(2)}ms p95=${lat.p95.toFixed(2)}ms`,
  );
  expect(report.errors).toEqual([]);
  expect(report.writes).toBe(report.applied + report.conflicts + report.unchanged);
  expect(report.applied).toBeGreaterThan(100);
  expect(report.conflicts).toBeGreaterThan(0); // writers did meet on the same image
  expect(report.badConflicts).toBe(0);
  expect(check).toEqual({
    historyRows: report.applied,
    chainBreaks: 0,
    replayMismatches: 0,
    versionMismatches: 0,
    duplicateVersions: 0,
    lost: 0,
  });
  expect(report.appliedLog.every((w) => w.version === w.base + 1)).toBe(true);
};

/** A workstation on its own PostgreSQL connection, signed in as its own role. */
const pgStation = (name: string, store: CatalogStore): LabelWorkstation => ({
  name,
  detail: async (imageId) => store.image(imageId, 'label'),
  write: async ({ imageId, labels, baseVersion }) =>
    store.setLabels({ imageId, task: 'label', labels, user: name, reason: '', baseVersion }),
});

describe.skipIf(pgSkipReason !== null)(
  `8 workstations label the same 1,000 images (PostgreSQL, 8 roles on 8 connections) ${pgSkipReason ?? ''}`,
  () => {
    let cluster: PgCluster | null = null;
    const stores: CatalogStore[] = [];
    beforeAll(async () => {
      cluster = await startPgCluster();
    }, 60_000);
    afterAll(async () => {
      await Promise.all(stores.map((s) => s.close()));
      cluster?.stop();
    });

    it('every write is applied or refused as CONFLICT; history complete; final state = replayed history; nothing lost', async () => {
      const db = `concurrency_${process.pid}`;
      const admin = await openPgCatalogStore({ url: await cluster!.createDatabase(db), poolSize: 2 });
      stores.push(admin);
      const datasetId = await admin.ensureDataset('busy');
      await admin.defineTask({ datasetId, name: 'label', kind: 'single', classes: [...SYNTHETIC_CLASSES] });
      const { inserted: imageIds } = await admin.addImages(
        labelWorkloadImages(datasetId, IMAGES, SYNTHETIC_CLASSES),
      );
      expect(imageIds).toHaveLength(IMAGES);
      const names = Array.from({ length: STATIONS }, (_, i) => `ws${i + 1}_${process.pid}`);
      for (const name of names) await cluster!.sql(`CREATE ROLE ${name} LOGIN PASSWORD 'pw-${name}'`, [], db);
      await cluster!.sql(
        `GRANT ALL ON ALL TABLES IN SCHEMA public TO ${names.join(', ')};
         GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${names.join(', ')}`,
        [],
        db,
      );
      const stations: LabelWorkstation[] = [];
      for (const name of names) {
        const store = await openPgCatalogStore({
          url: cluster!.url(db, name, `pw-${name}`),
          migrate: false,
          poolSize: 1,
        });
        stores.push(store);
        expect(await store.currentUser()).toBe(name);
        stations.push(pgStation(name, store));
      }
      // Every image's labels and version in one query (1,000 detail calls would take seconds).
      const snapshot = async () =>
        new Map(
          (
            await cluster!.sql<{ id: number; version: number; labels: string[] }>(
              `SELECT i.id::int AS id, coalesce(v.version, 0) AS version,
                 coalesce(json_agg(c.name ORDER BY c.ordinal) FILTER (WHERE c.name IS NOT NULL), '[]') AS labels
               FROM images i LEFT JOIN label_versions v ON v.image_id = i.id
                 LEFT JOIN image_labels l ON l.image_id = i.id LEFT JOIN label_classes c ON c.id = l.class_id
               GROUP BY i.id, v.version`,
              [],
              db,
            )
          ).map((r) => [r.id, { labels: r.labels, labelVersion: r.version }] as const),
        );
      const before = await snapshot();
      expect(before.get(imageIds[1]!)).toEqual(
        await stations[0]!
          .detail(imageIds[1]!)
          .then((d) => ({ labels: d.labels, labelVersion: d.labelVersion })),
      );

      const report = await runLabelWorkload(stations, {
        imageIds,
        classes: SYNTHETIC_CLASSES,
        durationMs: DURATION_MS,
        seed: 5,
      });
      const after = await snapshot();
      const check = checkLabelHistory(
        report,
        await admin.history(undefined, 1_000_000),
        before,
        after,
        names,
      );
      expectNothingLost('postgres', report, check);
    }, 120_000);
  },
);
