import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { createCatalogService, type CatalogService } from '../../../../main/catalog/catalog-service';
import { SYNTHETIC_CLASSES, seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import {
  checkLabelHistory,
  percentiles,
  runLabelWorkload,
  type LabelWorkstation,
} from '../../../support/label-workstations';
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
    const lat = percentiles(report.latenciesMs);
    console.log(
      `[label-concurrency sqlite] stations=${STATIONS} images=${IMAGES} writes=${report.writes} applied=${report.applied} ` +
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
  }, 60_000);
});
