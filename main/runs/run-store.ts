import { AppError } from '../../shared/contract/result';
import { argmax } from '../../shared/metrics/classification-metrics';
import { RunSummary } from '../../shared/run/run-result';
import type { RunConfig, RunMethod } from '../../shared/run/run-config';
import type { CatalogDb } from '../catalog/catalog-db';
import type { PredictionRow } from './run-job-result';
import { RunSnapshot } from './run-snapshot';

type Status = RunSummary['status'];
/** The runs table predates RunSummary's wording: 'done' there is 'succeeded' here. */
const toDb = (s: Status): string => (s === 'succeeded' ? 'done' : s);
const fromDb = (s: string): Status => (s === 'done' ? 'succeeded' : (s as Status));

export interface RunRecord {
  id: number;
  datasetId: number;
  splitId: number;
  task: string;
  status: Status;
  config: RunConfig;
  runDir: string;
  backend: string | null;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  summary: RunSummary | null;
  labelVersion: number;
}

interface Row {
  id: number;
  dataset_id: number;
  split_id: number;
  task: string;
  status: string;
  config: string;
  run_dir: string;
  backend: string | null;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  summary: string | null;
  label_version: number | null;
}

/** Every column but the snapshot (large; read on its own by `snapshot`). */
const COLUMNS =
  'id, dataset_id, split_id, task, status, config, run_dir, backend, created_at, finished_at, error, summary, label_version';

const toRecord = (r: Row): RunRecord => ({
  id: r.id,
  datasetId: r.dataset_id,
  splitId: r.split_id,
  task: r.task,
  status: fromDb(r.status),
  config: JSON.parse(r.config) as RunConfig,
  runDir: r.run_dir,
  backend: r.backend,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  error: r.error,
  summary: r.summary ? RunSummary.parse(JSON.parse(r.summary)) : null,
  labelVersion: r.label_version ?? 0,
});

/** One reviewer-facing prediction, joined with its image. */
export interface StoredPrediction {
  imageId: number;
  file: string;
  method: RunMethod;
  split: 'validation' | 'test';
  probs: number[];
  predicted: string;
  actual: string | null;
  correct: boolean | null;
  confidence: number;
}

/**
 * Runs and their per-image predictions in the catalog. The main process is the only writer: the
 * trainer hands results back as files and this store writes them in one transaction.
 */
export const createRunStore = (cdb: CatalogDb, now: () => string = () => new Date().toISOString()) => {
  const get = (id: number): RunRecord => {
    const row = cdb.get<Row>('runs.get', `SELECT ${COLUMNS} FROM runs WHERE id = ?`, id);
    if (!row) throw new AppError('NOT_FOUND', `no run ${id}`);
    return toRecord(row);
  };
  /** The label-history position (results are stale when labels changed after it). */
  const labelVersion = (): number =>
    cdb.get<{ v: number | null }>('runs.labelVersion', 'SELECT max(id) AS v FROM history')?.v ?? 0;
  return {
    labelVersion,
    create(input: {
      datasetId: number;
      splitId: number;
      task: string;
      config: RunConfig;
      runDir: (id: number) => string;
      /** The frozen snapshot the run trains on (run-snapshot.ts). */
      snapshot: RunSnapshot;
    }): RunRecord {
      const version = labelVersion();
      const id = cdb.transaction(() => {
        const runId = Number(
          cdb.run(
            'runs.insert',
            `INSERT INTO runs (dataset_id, split_id, config, status, created_at, task, label_version, run_dir, snapshot)
             VALUES (?, ?, ?, 'queued', ?, ?, ?, '', ?)`,
            input.datasetId,
            input.splitId,
            JSON.stringify(input.config),
            now(),
            input.task,
            version,
            JSON.stringify(input.snapshot),
          ).lastInsertRowid,
        );
        cdb.run('runs.setDir', 'UPDATE runs SET run_dir = ? WHERE id = ?', input.runDir(runId), runId);
        return runId;
      });
      return get(id);
    },
    get,
    /** The run's frozen snapshot; null for a run from before snapshots were stored. */
    snapshot(id: number): RunSnapshot | null {
      const row = cdb.get<{ snapshot: string | null }>(
        'runs.snapshot',
        'SELECT snapshot FROM runs WHERE id = ?',
        id,
      );
      if (!row) throw new AppError('NOT_FOUND', `no run ${id}`);
      return row.snapshot ? RunSnapshot.parse(JSON.parse(row.snapshot)) : null;
    },
    /** Freezes a snapshot for a run that has none (one from before snapshots, at its next resume). */
    setSnapshot(id: number, snapshot: RunSnapshot): void {
      cdb.run(
        'runs.setSnapshot',
        'UPDATE runs SET snapshot = ? WHERE id = ? AND snapshot IS NULL',
        JSON.stringify(snapshot),
        id,
      );
    },
    list(datasetId?: number): RunRecord[] {
      return cdb
        .all<Row>(
          'runs.list',
          `SELECT ${COLUMNS} FROM runs WHERE (? IS NULL OR dataset_id = ?) ORDER BY id DESC`,
          datasetId ?? null,
          datasetId ?? null,
        )
        .map(toRecord);
    },
    setStatus(
      id: number,
      status: Status,
      extra: { backend?: string | null; error?: string | null } = {},
    ): void {
      const finished = status === 'running' || status === 'queued' ? null : now();
      cdb.run(
        'runs.status',
        `UPDATE runs SET status = ?, finished_at = ?, backend = coalesce(?, backend), error = ? WHERE id = ?`,
        toDb(status),
        finished,
        extra.backend ?? null,
        extra.error ?? null,
        id,
      );
    },
    /** Stores the summary and every prediction in one transaction (all or nothing). */
    complete(
      id: number,
      summary: RunSummary,
      predictions: readonly PredictionRow[],
      classes: readonly string[],
      actual: ReadonlyMap<number, string>,
    ): void {
      const checked = RunSummary.parse(summary);
      cdb.transaction(() => {
        cdb.run('runs.clearPredictions', 'DELETE FROM predictions WHERE run_id = ?', id);
        for (const p of predictions) {
          const k = argmax(p.probs);
          const truth = actual.get(p.imageId) ?? null;
          cdb.run(
            'runs.insertPrediction',
            `INSERT INTO predictions (run_id, image_id, method, split, probs, predicted, actual, correct, confidence)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            id,
            p.imageId,
            p.method,
            p.split,
            JSON.stringify(p.probs),
            classes[k]!,
            truth,
            truth === null ? null : truth === classes[k] ? 1 : 0,
            p.probs[k]!,
          );
        }
        cdb.run(
          'runs.complete',
          `UPDATE runs SET status = 'done', finished_at = ?, backend = ?, timings = ?, summary = ?, error = NULL WHERE id = ?`,
          now(),
          checked.backend,
          JSON.stringify(checked.timing),
          JSON.stringify(checked),
          id,
        );
      });
    },
    /** Predictions of a run for review: filter by method, split, wrong only; most confident first. */
    predictions(q: {
      runId: number;
      method?: RunMethod;
      split?: 'validation' | 'test';
      wrongOnly?: boolean;
      limit?: number;
      offset?: number;
    }): StoredPrediction[] {
      return cdb
        .all<{
          image_id: number;
          file: string;
          method: RunMethod;
          split: 'validation' | 'test';
          probs: string;
          predicted: string;
          actual: string | null;
          correct: number | null;
          confidence: number;
        }>(
          'runs.predictions',
          `SELECT p.image_id, i.file, p.method, p.split, p.probs, p.predicted, p.actual, p.correct, p.confidence
           FROM predictions p JOIN images i ON i.id = p.image_id
           WHERE p.run_id = ? AND (? IS NULL OR p.method = ?) AND (? IS NULL OR p.split = ?) AND (? = 0 OR p.correct = 0)
           ORDER BY p.confidence DESC, p.image_id LIMIT ? OFFSET ?`,
          q.runId,
          q.method ?? null,
          q.method ?? null,
          q.split ?? null,
          q.split ?? null,
          q.wrongOnly ? 1 : 0,
          q.limit ?? 500,
          q.offset ?? 0,
        )
        .map((r) => ({
          imageId: r.image_id,
          file: r.file,
          method: r.method,
          split: r.split,
          probs: JSON.parse(r.probs) as number[],
          predicted: r.predicted,
          actual: r.actual,
          correct: r.correct === null ? null : r.correct === 1,
          confidence: r.confidence,
        }));
    },
  };
};

export type RunStore = ReturnType<typeof createRunStore>;
