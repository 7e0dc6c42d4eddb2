/** What the kill -9 soak (bench/kill-soak.ts) reads back: catalogs, run folders, its table. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { KillPoint } from './kill-soak-process';

export const withDb = <T>(path: string, read: (db: Database.Database) => T): T | null => {
  if (!existsSync(path)) return null;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    return read(db);
  } catch {
    return null; // not created or not migrated yet
  } finally {
    db?.close();
  }
};

export const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

export const integrity = (path: string): string =>
  withDb(path, (db) => String(db.pragma('integrity_check', { simple: true }))) ?? 'no database yet';

export const count = (path: string, table: string): number =>
  withDb(path, (db) =>
    hasTable(db, table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0,
  ) ?? 0;

export const filesUnder = (dir: string): string[] => {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path).map((f) => join(name, f)));
    else out.push(name);
  }
  return out.sort();
};

/** Everything an import stores, independent of row ids: one digest plus the counts that matter. */
export const catalogFingerprint = (path: string) =>
  withDb(path, (db) => {
    const rows = db
      .prepare(
        `SELECT i.file, i.sha256, i.frame, i.width, i.height, i.format,
           (SELECT group_concat(c.name, '|') FROM image_labels l JOIN label_classes c ON c.id = l.class_id WHERE l.image_id = i.id) AS labels,
           (SELECT text FROM notes n WHERE n.image_id = i.id) AS note,
           (SELECT group_concat(m.key || '=' || m.text, '|') FROM image_metadata m WHERE m.image_id = i.id) AS metadata
         FROM images i ORDER BY i.file, i.frame`,
      )
      .all();
    const byLabel = db
      .prepare(
        `SELECT c.name AS label, count(*) AS n FROM image_labels l JOIN label_classes c ON c.id = l.class_id GROUP BY c.name ORDER BY c.name`,
      )
      .all() as { label: string; n: number }[];
    return {
      images: rows.length,
      labels: byLabel.map((r) => `${r.label} ${r.n}`).join(', '),
      digest: createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16),
      running: (
        db.prepare(`SELECT count(*) AS n FROM import_jobs WHERE status = 'running'`).get() as { n: number }
      ).n,
      foreignKeys: (db.pragma('foreign_key_check') as unknown[]).length,
      integrity: String(db.pragma('integrity_check', { simple: true })),
    };
  });

export interface KillRow {
  kill: number;
  point: KillPoint;
  /** What the attempt was (import, start, resume) and how it ended. */
  outcome: string;
  /** Progress stored after the kill (rows, epochs…). */
  stored: string;
  integrity: string;
}

export const printTable = (title: string, progressLabel: string, rows: readonly KillRow[]): void => {
  console.log(`\n${title}`);
  console.log(
    `${'kill'.padStart(4)}  ${'at ms'.padStart(6)}  ${`kill point (${progressLabel} + ms)`.padEnd(28)}  ${'integrity'.padEnd(9)}  ${'outcome'.padEnd(44)}  stored after the kill`,
  );
  for (const r of rows)
    console.log(
      `${String(r.kill).padStart(4)}  ${String(r.point.atMs).padStart(6)}  ${`${r.point.progress} + ${r.point.afterMs}`.padEnd(28)}  ${r.integrity.slice(0, 9).padEnd(9)}  ${r.outcome.padEnd(44)}  ${r.stored}`,
    );
};

export const check = (failures: string[], ok: boolean, what: string): void => {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(what);
};

/** The run folder of run 1 beside a catalog (`<catalog>-runs/run-1`). */
export const runDirOf = (db: string): string => join(dirname(db), 'catalog-runs', 'run-1');

/** Distinct (seed, method, epoch) entries in the run's curves.jsonl: epochs finished so far. */
export const epochsLogged = (db: string): number => curveKeys(db).size;

/** `seed/method/epoch` of every epoch the run's curves.jsonl holds. */
export const curveKeys = (db: string): Set<string> => {
  const path = join(runDirOf(db), 'curves.jsonl');
  const keys = new Set<string>();
  if (!existsSync(path)) return keys;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const e = JSON.parse(line) as { seed: number; method: string; epoch: number };
      keys.add(`${e.seed}/${e.method}/${e.epoch}`);
    } catch {
      // a line cut by the kill, or the trailing empty one
    }
  }
  return keys;
};

/**
 * Run progress for kill points: epochs logged plus the files the run folder holds (manifest, image
 * hashes, encoded notes and metadata, pretrained features, checkpoints, results), so the minutes
 * before the first epoch have steps too. Files only appear (checkpoints are replaced in place).
 */
export const runProgress = (db: string): number => {
  const dir = runDirOf(db);
  if (!existsSync(dir)) return 0;
  const files = (d: string): number =>
    readdirSync(d, { withFileTypes: true }).reduce(
      (n, e) => n + (e.isDirectory() ? files(join(d, e.name)) : e.name.endsWith('.tmp') ? 0 : 1),
      0,
    );
  try {
    return epochsLogged(db) + files(dir);
  } catch {
    return 0; // the folder changed while it was read; the next sample counts it
  }
};

/** Methods whose result file the run wrote (`seed-N/<method>.json`). */
export const finishedMethods = (db: string): number => {
  const dir = runDirOf(db);
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((d) => d.startsWith('seed-'))
    .reduce((n, d) => n + readdirSync(join(dir, d)).filter((f) => f.endsWith('.json')).length, 0);
};

/** What a finished run stored: its status, metrics (without timing) and every probability. */
export const runResults = (db: string, runId: number) =>
  withDb(db, (d) => {
    const run = d.prepare('SELECT status, summary FROM runs WHERE id = ?').get(runId) as
      { status: string; summary: string | null } | undefined;
    const summary = run?.summary ? (JSON.parse(run.summary) as Record<string, unknown>) : null;
    const methods = summary?.methods as Record<string, Record<string, unknown>> | undefined;
    const metrics = methods
      ? Object.fromEntries(
          Object.entries(methods).map(([m, r]) => [
            m,
            { validation: r.validation, test: r.test, bestEpoch: r.bestEpoch },
          ]),
        )
      : null;
    const predictions = d
      .prepare(
        'SELECT method, image_id, split, probs, predicted FROM predictions WHERE run_id = ? ORDER BY method, image_id',
      )
      .all(runId) as { method: string; image_id: number; split: string; probs: string; predicted: string }[];
    return { status: run?.status ?? 'none', metrics, predictions };
  });
