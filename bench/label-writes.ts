/**
 * Label-write latency with 8 writers (issue #18, department mode): 8 workstations, each on its own
 * connection, label and relabel the same 1,000 images for a few seconds on SQLite (8 connections to
 * one file) and on PostgreSQL (8 connections to a throwaway cluster); prints per-write latency
 * percentiles, throughput and the applied/conflict counts, plus how long a label write on one
 * PostgreSQL workstation takes to reach another through LISTEN/NOTIFY. Prints figures; never
 * fails on a time. `npx tsx bench/label-writes.ts [seconds]` (default 5).
 * bench/department.ts calls {@link benchLabelWrites} for its label-write section.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogStore } from '../main/catalog-store/catalog-store';
import { openPgCatalogStore } from '../main/catalog-store/pg-catalog-store';
import { openCatalogDb } from '../main/catalog/catalog-db';
import { createCatalogService, type CatalogService } from '../main/catalog/catalog-service';
import { SYNTHETIC_CLASSES, seedSyntheticCatalog } from '../main/catalog/synthetic-catalog';
import {
  labelWorkloadImages,
  percentiles,
  runLabelWorkload,
  type LabelWorkstation,
} from '../test/support/label-workstations';
import { pgBinDir, startPgCluster } from '../test/support/pg-cluster';

const STATIONS = 8;
const IMAGES = 1000;

export interface LabelWriteFigures {
  engine: 'sqlite' | 'postgres';
  stations: number;
  images: number;
  seconds: number;
  writes: number;
  applied: number;
  conflicts: number;
  writesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

const round = (x: number): number => Number(x.toFixed(2));

const figures = async (
  engine: LabelWriteFigures['engine'],
  stations: LabelWorkstation[],
  imageIds: number[],
  seconds: number,
): Promise<LabelWriteFigures> => {
  const report = await runLabelWorkload(stations, {
    imageIds,
    classes: SYNTHETIC_CLASSES,
    durationMs: seconds * 1000,
    seed: 9,
  });
  const lat = percentiles(report.latenciesMs);
  return {
    engine,
    stations: stations.length,
    images: imageIds.length,
    seconds,
    writes: report.writes,
    applied: report.applied,
    conflicts: report.conflicts,
    writesPerSecond: round(report.writes / seconds),
    p50Ms: round(lat.p50),
    p95Ms: round(lat.p95),
    p99Ms: round(lat.p99),
    maxMs: round(lat.max),
  };
};

/** 8 catalog services on one SQLite file (one connection each). */
const sqliteWrites = async (seconds: number): Promise<LabelWriteFigures> => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-bench-labels-'));
  const dbPath = join(dir, 'catalog.db');
  const seed = openCatalogDb({ path: dbPath });
  seedSyntheticCatalog(seed, { count: IMAGES, seed: 3 });
  const imageIds = seed.all<{ id: number }>('bench', 'SELECT id FROM images ORDER BY id').map((r) => r.id);
  seed.close();
  const services: CatalogService[] = Array.from({ length: STATIONS }, () =>
    createCatalogService({ dbPath, progressIntervalMs: 0 }),
  );
  try {
    const stations = services.map<LabelWorkstation>((c, i) => ({
      name: `ws${i + 1}`,
      detail: async (id) => c.image(id, 'label'),
      write: async ({ imageId, labels, baseVersion }) =>
        c.setLabels({ imageId, task: 'label', labels, user: `ws${i + 1}`, reason: '', baseVersion }),
    }));
    return await figures('sqlite', stations, imageIds, seconds);
  } finally {
    services.forEach((s) => s.close());
    rmSync(dir, { recursive: true, force: true });
  }
};

const pgStation = (name: string, store: CatalogStore): LabelWorkstation => ({
  name,
  detail: (id) => store.image(id, 'label'),
  write: ({ imageId, labels, baseVersion }) =>
    store.setLabels({ imageId, task: 'label', labels, user: name, reason: '', baseVersion }),
});

/**
 * 8 pg stores (one connection each) on `url` (1,000 images added first); plus the change feed:
 * milliseconds from the start of a write on one store to its notification arriving on another.
 */
const pgWrites = async (
  url: string,
  seconds: number,
): Promise<{ writes: LabelWriteFigures; changeFeed: ReturnType<typeof percentiles> }> => {
  const admin = await openPgCatalogStore({ url, poolSize: 2 });
  const stores: CatalogStore[] = [admin];
  try {
    const datasetId = await admin.ensureDataset('bench-labels');
    await admin.defineTask({ datasetId, name: 'label', kind: 'single', classes: [...SYNTHETIC_CLASSES] });
    const { inserted } = await admin.addImages(labelWorkloadImages(datasetId, IMAGES, SYNTHETIC_CLASSES));
    for (let i = 0; i < STATIONS; i++)
      stores.push(await openPgCatalogStore({ url, migrate: false, poolSize: 1 }));
    const writes = await figures(
      'postgres',
      stores.slice(1).map((s, i) => pgStation(`ws${i + 1}`, s)),
      inserted,
      seconds,
    );
    // Change feed: a writes, b hears it.
    const [a, b] = [stores[1]!, stores[2]!];
    const heard: number[] = [];
    let waiting: ((at: number | null) => void) | null = null;
    b.onChanged(() => waiting?.(performance.now()));
    await new Promise((r) => setTimeout(r, 200)); // b's LISTEN in place
    let missed = 0;
    for (let i = 0; i < 30; i++) {
      const id = inserted[i]!;
      const arrived = new Promise<number | null>((resolve) => {
        waiting = resolve;
        setTimeout(() => resolve(null), 5000); // counted as missed, never hangs
      });
      const current = await a.image(id, 'label');
      const next = SYNTHETIC_CLASSES.find((c) => !current.labels.includes(c))!;
      const started = performance.now();
      await a.setLabels({ imageId: id, task: 'label', labels: [next], user: 'a', reason: '' });
      const at = await arrived;
      if (at === null) missed++;
      else heard.push(at - started); // the write itself plus the notification's way to b
    }
    if (missed > 0) console.error(`change feed: ${missed} of 30 notifications not heard within 5 s`);
    return { writes, changeFeed: percentiles(heard) };
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
};

/**
 * Runs the SQLite and PostgreSQL sections and returns their figures. `pgUrl`: an existing empty
 * database (bench/department.ts passes its own); without one, a throwaway cluster when PostgreSQL
 * is installed, else the pg section is null with the reason.
 */
export const benchLabelWrites = async (
  seconds = 5,
  pgUrl?: string,
): Promise<{
  sqlite: LabelWriteFigures;
  postgres: LabelWriteFigures | null;
  changeFeedMs: { n: number; p50: number; p95: number; max: number } | null;
  note?: string;
}> => {
  const sqlite = await sqliteWrites(seconds);
  if (!pgUrl && !pgBinDir())
    return {
      sqlite,
      postgres: null,
      changeFeedMs: null,
      note: 'PostgreSQL not installed: pg section skipped',
    };
  const cluster = pgUrl ? null : await startPgCluster();
  try {
    const url = pgUrl ?? (await cluster!.createDatabase('bench_labels'));
    const pg = await pgWrites(url, seconds);
    const c = pg.changeFeed;
    return {
      sqlite,
      postgres: pg.writes,
      changeFeedMs: { n: c.n, p50: round(c.p50), p95: round(c.p95), max: round(c.max) },
    };
  } finally {
    cluster?.stop();
  }
};

if (process.argv[1]?.endsWith('label-writes.ts')) {
  const seconds = Number(process.argv[2] ?? 5);
  benchLabelWrites(seconds).then(
    (r) => {
      console.log(JSON.stringify(r.sqlite));
      if (r.postgres) console.log(JSON.stringify(r.postgres));
      if (r.changeFeedMs) console.log(JSON.stringify({ changeFeedMs: r.changeFeedMs }));
      if (r.note) console.log(r.note);
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
