import type { NewImage } from '../../main/catalog-store/catalog-store';
import type { HistoryEntry } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import { createRandom } from '../../shared/random/seeded-random';

/**
 * Several workstations labelling the same images at once, for the concurrency test and the
 * label-write latency benchmark. A workstation is anything that reads an image's label state
 * (labels + version) and writes labels on a base version: a SQLite catalog service on its own
 * connection, or a PostgreSQL store on its own connection.
 */
export interface LabelWorkstation {
  readonly name: string;
  detail(imageId: number): Promise<{ labels: string[]; labelVersion: number }>;
  /** Writes `labels` based on `baseVersion`; a stale base throws AppError CONFLICT. */
  write(input: { imageId: number; labels: string[]; baseVersion: number }): Promise<{
    batchId: number | null;
    version?: number;
  }>;
}

export interface AppliedWrite {
  station: string;
  imageId: number;
  base: number;
  version: number | undefined;
  labels: string[];
}

export interface WorkloadReport {
  writes: number;
  applied: number;
  conflicts: number;
  /** Writes that asked for the labels already stored (no change, no history row). */
  unchanged: number;
  /** Anything other than an answer or a CONFLICT (must stay 0). */
  errors: string[];
  /** A CONFLICT that reported a version not newer than the write's base (must stay 0). */
  badConflicts: number;
  appliedLog: AppliedWrite[];
  /** Milliseconds of each write call (applied or refused). */
  latenciesMs: number[];
}

export interface WorkloadOptions {
  imageIds: readonly number[];
  classes: readonly string[];
  /** Each workstation keeps writing until this much time has passed. */
  durationMs: number;
  seed?: number;
  /**
   * Share of writes aimed at a small hot set (the first `hot` images), so that writers meet on the
   * same image often enough to exercise conflicts; the rest spread over every image.
   */
  hotShare?: number;
  hot?: number;
  /** Between reading an image and writing it (lets the other workstations move on). */
  pause?: () => Promise<void>;
}

const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs every workstation's loop (read an image's state, pause, write a different label on the
 * version read) until `durationMs` has passed, counting each outcome.
 */
export const runLabelWorkload = async (
  stations: readonly LabelWorkstation[],
  options: WorkloadOptions,
): Promise<WorkloadReport> => {
  const report: WorkloadReport = {
    writes: 0,
    applied: 0,
    conflicts: 0,
    unchanged: 0,
    errors: [],
    badConflicts: 0,
    appliedLog: [],
    latenciesMs: [],
  };
  const end = performance.now() + options.durationMs;
  const hot = Math.min(options.hot ?? 20, options.imageIds.length);
  const pause = options.pause ?? yieldTurn;
  await Promise.all(
    stations.map(async (station, s) => {
      const random = createRandom((options.seed ?? 11) * 1000 + s);
      while (performance.now() < end) {
        const imageId = random.chance(options.hotShare ?? 0.5)
          ? options.imageIds[random.int(0, hot - 1)]!
          : random.pick(options.imageIds);
        const seen = await station.detail(imageId);
        const choices = options.classes.filter((c) => !seen.labels.includes(c));
        const labels = [random.pick(choices.length > 0 ? choices : options.classes)];
        await pause();
        report.writes++;
        const started = performance.now();
        try {
          const result = await station.write({ imageId, labels, baseVersion: seen.labelVersion });
          report.latenciesMs.push(performance.now() - started);
          if (result.batchId === null) report.unchanged++;
          else {
            report.applied++;
            report.appliedLog.push({
              station: station.name,
              imageId,
              base: seen.labelVersion,
              version: result.version,
              labels,
            });
          }
        } catch (e) {
          report.latenciesMs.push(performance.now() - started);
          if (e instanceof AppError && e.code === 'CONFLICT') {
            report.conflicts++;
            const now = e.conflicts?.[0]?.version ?? -1;
            if (now <= seen.labelVersion && now !== 0) report.badConflicts++;
          } else report.errors.push(String((e as Error)?.message ?? e));
        }
      }
    }),
  );
  return report;
};

export interface HistoryCheck {
  /** Label history rows the workstations wrote. */
  historyRows: number;
  /** A history row whose `from` is not the previous row's `to` (an overwritten, lost update). */
  chainBreaks: number;
  /** Images whose final labels differ from replaying their history onto the starting labels. */
  replayMismatches: number;
  /** Images whose final version is not the number of writes applied to them. */
  versionMismatches: number;
  /** Two applied writes to one image that claimed the same version (both won from one base). */
  duplicateVersions: number;
  /** applied - historyRows + chainBreaks + replayMismatches: updates not accounted for. */
  lost: number;
}

/**
 * Checks the catalog after a workload: one history row per applied write, each row continuing
 * from the one before it, the final state equal to replaying the history, and every image's
 * version equal to its number of applied writes.
 */
export const checkLabelHistory = (
  report: WorkloadReport,
  history: readonly HistoryEntry[],
  before: ReadonlyMap<number, { labels: string[]; labelVersion: number }>,
  after: ReadonlyMap<number, { labels: string[]; labelVersion: number }>,
  stationNames: readonly string[],
): HistoryCheck => {
  const names = new Set(stationNames);
  const rows = history
    .filter((h) => h.kind === 'label' && h.origin === 'edit' && names.has(h.user))
    .sort((a, b) => a.id - b.id);
  const key = (labels: unknown): string => JSON.stringify(labels);
  const state = new Map([...before].map(([id, s]) => [id, key(s.labels)]));
  let chainBreaks = 0;
  for (const row of rows) {
    if (state.get(row.imageId) !== key(row.from)) chainBreaks++;
    state.set(row.imageId, key(row.to));
  }
  let replayMismatches = 0;
  let versionMismatches = 0;
  const appliedPer = new Map<number, number>();
  const claimed = new Set<string>();
  let duplicateVersions = 0;
  for (const w of report.appliedLog) {
    appliedPer.set(w.imageId, (appliedPer.get(w.imageId) ?? 0) + 1);
    const k = `${w.imageId}:${w.base}`;
    if (claimed.has(k)) duplicateVersions++;
    claimed.add(k);
  }
  for (const [id, s] of after) {
    if (state.get(id) !== key(s.labels)) replayMismatches++;
    const start = before.get(id)?.labelVersion ?? 0;
    if (s.labelVersion !== start + (appliedPer.get(id) ?? 0)) versionMismatches++;
  }
  return {
    historyRows: rows.length,
    chainBreaks,
    replayMismatches,
    versionMismatches,
    duplicateVersions,
    lost: Math.abs(report.applied - rows.length) + chainBreaks + replayMismatches + duplicateVersions,
  };
};

/** p50/p95/p99/max of a list of milliseconds. */
export const percentiles = (ms: readonly number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 };
};

/** `count` image rows for a store's addImages: every 10th unlabeled, the rest cycling `classes`. */
export const labelWorkloadImages = (
  datasetId: number,
  count: number,
  classes: readonly string[],
): NewImage[] =>
  Array.from({ length: count }, (_, i) => {
    const sha256 = (i + 1).toString(16).padStart(64, '0');
    return {
      datasetId,
      sha256,
      frame: 0,
      file: `img-${i}.png`,
      originalPath: `scans/img-${i}.png`,
      storedPath: `${sha256.slice(0, 2)}/${sha256}.png`,
      format: 'png',
      sourceFormat: 'png',
      width: 64,
      height: 64,
      bytes: 100,
      labels: { label: i % 10 === 0 ? [] : [classes[i % classes.length]!] },
      user: 'import',
    };
  });
