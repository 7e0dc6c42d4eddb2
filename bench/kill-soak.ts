/**
 * Kill -9 soak (issue #14): kills `sonofuse import` and `sonofuse run` with SIGKILL at seeded random
 * moments, re-runs them each time, then checks that nothing was lost or duplicated.
 *
 *   npx tsx bench/kill-soak.ts [--kills 20] [--seed 1] [--phase both|import|run] [--keep]
 *
 * Import: the BUSI manifest (../shared/datasets/busi, copied into the managed store with
 * thumbnails; a generated demo set when BUSI is absent) is imported once uninterrupted into one
 * catalog, then into a second one by a CLI process that is killed at `--kills` random moments in
 * [0, clean import time] and started again each time, then once more to the end. Checks:
 * `PRAGMA integrity_check` after every kill, and at the end integrity, foreign keys, no import left
 * `running`, and the same images (file, hash, frame, size, labels, note, metadata) and store files
 * as the clean import.
 *
 * Run: a tiny two-stage run (`sonofuse run` on a small generated demo set, a tiny CNN backbone,
 * 64 px, a few epochs) is run once uninterrupted, then on an identical catalog killed at `--kills`
 * random moments and continued with `--resume` each time (the process group is killed, trainer
 * included), then resumed to the end. Checks: the run succeeds with the same metrics and the same
 * stored probabilities as the uninterrupted run with the same seed.
 *
 * Prints a table of kill points and what each produced. Not part of the test suite: it takes
 * minutes and prints figures; it exits non-zero when a check fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { storeDirFor } from '../main/catalog/catalog-paths';
import { ensureKernelsBuilt } from '../main/engine/wasm/build-kernels';
import { createRandom, type Random } from '../main/demo/seeded-random';
import { writeTinyRunFixture } from '../test/support/tiny-run-fixture';

const ROOT = resolve(import.meta.dirname, '..');
const BUSI = resolve(ROOT, '..', 'shared', 'datasets', 'busi', 'manifest.csv');

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts the CLI in its own process group, so a kill takes its trainer process with it. */
const startCli = (args: readonly string[]) => {
  const started = performance.now();
  const child = spawn(process.execPath, ['main/cli/bin.mjs', ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SONOFUSE_LOG_LEVEL: 'error' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolveDone) =>
    child.on('exit', (code, signal) =>
      resolveDone({ code, signal, stdout, stderr, ms: performance.now() - started }),
    ),
  );
  return {
    done,
    killGroup: (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
};

const runCli = async (args: readonly string[]): Promise<CliResult> => {
  const result = await startCli(args).done;
  if (result.code !== 0)
    throw new Error(
      `sonofuse ${args[0]} exited ${result.code ?? result.signal}: ${result.stderr.slice(-2000)}`,
    );
  return result;
};

/** A progress reading of a running command: rows committed, epochs logged… (monotone, cheap). */
type Probe = () => number;

interface TimelinePoint {
  ms: number;
  value: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs a command to the end, sampling `probe` every 50 ms: the uninterrupted timeline. */
const timeline = async (
  args: readonly string[],
  probe: Probe,
): Promise<{ result: CliResult; points: TimelinePoint[] }> => {
  const cli = startCli(args);
  const started = performance.now();
  const points: TimelinePoint[] = [];
  let finished = false;
  void cli.done.then(() => (finished = true));
  while (!finished) {
    const value = probe();
    if (!points.length || value > points[points.length - 1]!.value)
      points.push({ ms: performance.now() - started, value });
    await sleep(50);
  }
  const result = await cli.done;
  if (result.code !== 0)
    throw new Error(`sonofuse ${args[0]} exited ${result.code}: ${result.stderr.slice(-2000)}`);
  return { result, points };
};

/** Where a kill lands: a moment of the uninterrupted timeline, as progress reached + time after it. */
interface KillPoint {
  atMs: number;
  progress: number;
  afterMs: number;
}

/**
 * `kills` moments drawn uniformly (seeded) over the uninterrupted run's duration, in order, each
 * turned into the progress the timeline had reached then and the time spent past that progress.
 * Each attempt resumes where the last left off, so sorted moments walk the kills from start to end.
 */
const killPoints = (
  points: readonly TimelinePoint[],
  totalMs: number,
  kills: number,
  random: Random,
): KillPoint[] =>
  Array.from({ length: kills }, () => random.next() * totalMs)
    .sort((a, b) => a - b)
    .map((atMs) => {
      const reached = [...points].reverse().find((p) => p.ms <= atMs);
      return {
        atMs: Math.round(atMs),
        progress: reached?.value ?? 0,
        afterMs: Math.round(atMs - (reached?.ms ?? 0)),
      };
    });

/**
 * Runs a command and SIGKILLs its process group once `probe` reaches the point's progress (or, when
 * earlier attempts already got that far, once this attempt adds progress of its own) plus the
 * point's delay. A point at progress 0 is a moment of start-up: the delay after the start.
 */
const killAt = async (
  args: readonly string[],
  probe: Probe,
  point: KillPoint,
  finalProgress: number,
): Promise<{ killed: boolean; result: CliResult }> => {
  const cli = startCli(args);
  let finished = false;
  void cli.done.then(() => (finished = true));
  const started = performance.now();
  // Progress kept from earlier attempts is reached at once: wait for this attempt's own progress.
  // (never past the last progress the uninterrupted run made: then the point's delay alone counts).
  const need = point.progress === 0 ? 0 : Math.min(Math.max(point.progress, probe() + 1), finalProgress);
  let reachedAt = need === 0 ? started : null;
  while (!finished) {
    if (reachedAt === null && probe() >= need) reachedAt = performance.now();
    if (reachedAt !== null && performance.now() - reachedAt >= point.afterMs) break;
    await sleep(
      reachedAt === null ? 25 : Math.min(25, Math.max(1, point.afterMs - (performance.now() - reachedAt))),
    );
  }
  const killed = !finished;
  if (killed) cli.killGroup();
  return { killed, result: await cli.done };
};

const withDb = <T>(path: string, read: (db: Database.Database) => T): T | null => {
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

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

const integrity = (path: string): string =>
  withDb(path, (db) => String(db.pragma('integrity_check', { simple: true }))) ?? 'no database yet';

const count = (path: string, table: string): number =>
  withDb(path, (db) =>
    hasTable(db, table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0,
  ) ?? 0;

const filesUnder = (dir: string): string[] => {
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
const catalogFingerprint = (path: string) =>
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

interface KillRow {
  kill: number;
  point: KillPoint;
  /** What the attempt was (import, start, resume) and how it ended. */
  outcome: string;
  /** Progress stored after the kill (rows, epochs…). */
  stored: string;
  integrity: string;
}

const printTable = (title: string, progressLabel: string, rows: readonly KillRow[]): void => {
  console.log(`\n${title}`);
  console.log(
    `${'kill'.padStart(4)}  ${'at ms'.padStart(6)}  ${`kill point (${progressLabel} + ms)`.padEnd(28)}  ${'integrity'.padEnd(9)}  ${'outcome'.padEnd(44)}  stored after the kill`,
  );
  for (const r of rows)
    console.log(
      `${String(r.kill).padStart(4)}  ${String(r.point.atMs).padStart(6)}  ${`${r.point.progress} + ${r.point.afterMs}`.padEnd(28)}  ${r.integrity.slice(0, 9).padEnd(9)}  ${r.outcome.padEnd(44)}  ${r.stored}`,
    );
};

const check = (failures: string[], ok: boolean, what: string): void => {
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(what);
};

const soakImport = async (work: string, kills: number, random: Random, failures: string[]): Promise<void> => {
  let source = BUSI;
  if (!existsSync(source)) {
    await runCli([
      'demo',
      '--no-import',
      '--out',
      join(work, 'import-demo'),
      '--sweeps',
      '8',
      '--frames',
      '4',
      '--json',
    ]);
    source = join(work, 'import-demo', 'manifest.csv');
  }
  const importArgs = (db: string) => ['import', source, '--db', db, '--dataset', 'soak', '--json'];
  const cleanDb = join(work, 'import-clean', 'catalog.db');
  const soakDb = join(work, 'import-soak', 'catalog.db');
  const { result: clean, points } = await timeline(importArgs(cleanDb), () => count(cleanDb, 'images'));
  const expected = catalogFingerprint(cleanDb)!;
  console.log(
    `\nimport: ${source}\nclean import: ${(clean.ms / 1000).toFixed(1)} s, ${expected.images} images (${expected.labels}), digest ${expected.digest}`,
  );
  const rows: KillRow[] = [];
  const probe = () => count(soakDb, 'images');
  for (const [i, point] of killPoints(points, clean.ms, kills, random).entries()) {
    const { killed, result } = await killAt(importArgs(soakDb), probe, point, points.at(-1)?.value ?? 0);
    const jobs = withDb(soakDb, (db) =>
      hasTable(db, 'import_jobs')
        ? (db
            .prepare(`SELECT status, count(*) AS n FROM import_jobs GROUP BY status ORDER BY status`)
            .all() as { status: string; n: number }[])
        : [],
    );
    rows.push({
      kill: i + 1,
      point,
      outcome: killed
        ? `killed (${result.signal})`
        : `finished first (exit ${result.code})${result.code === 0 ? '' : `: ${result.stderr.slice(-200)}`}`,
      stored: `${probe()} images; jobs ${(jobs ?? []).map((j) => `${j.status} ${j.n}`).join(', ') || 'none'}`,
      integrity: integrity(soakDb),
    });
  }
  const final = await runCli(importArgs(soakDb));
  const report = JSON.parse(final.stdout) as { imported: number; skipped: number };
  printTable('import kills', 'images', rows);
  const got = catalogFingerprint(soakDb)!;
  console.log(
    `final re-run: ${(final.ms / 1000).toFixed(1)} s, imported ${report.imported}, already present ${report.skipped}; ` +
      `catalog: ${got.images} images (${got.labels}), digest ${got.digest}`,
  );
  const storeClean = filesUnder(storeDirFor(cleanDb));
  const storeSoak = filesUnder(storeDirFor(soakDb));
  check(
    failures,
    rows.every((r) => r.integrity === 'ok' || r.integrity === 'no database yet'),
    'import: integrity_check ok after every kill',
  );
  check(
    failures,
    rows.filter((r) => r.outcome.startsWith('killed')).length === kills,
    `import: all ${kills} kills landed mid-import`,
  );
  check(
    failures,
    got.integrity === 'ok' && got.foreignKeys === 0,
    'import: final integrity_check ok, no foreign key violations',
  );
  check(failures, got.running === 0, 'import: no import job left "running"');
  check(
    failures,
    got.images === expected.images && got.labels === expected.labels && got.digest === expected.digest,
    `import: same images, labels, notes and metadata as the clean import (${got.images} vs ${expected.images})`,
  );
  const extra = storeSoak.filter((f) => !storeClean.includes(f));
  const missing = storeClean.filter((f) => !storeSoak.includes(f));
  check(
    failures,
    extra.length === 0 && missing.length === 0,
    `import: same store files as the clean import (${storeSoak.length} vs ${storeClean.length}; extra ${extra.length}, missing ${missing.length})`,
  );
};

/** The run folder of run 1 beside a catalog (`<catalog>-runs/run-1`). */
const runDirOf = (db: string): string => join(dirname(db), 'catalog-runs', 'run-1');

/** Distinct (seed, method, epoch) entries in the run's curves.jsonl: epochs finished so far. */
const epochsLogged = (db: string): number => {
  const path = join(runDirOf(db), 'curves.jsonl');
  if (!existsSync(path)) return 0;
  const keys = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const e = JSON.parse(line) as { seed: number; method: string; epoch: number };
      keys.add(`${e.seed}/${e.method}/${e.epoch}`);
    } catch {
      // a line cut by the kill, or the trailing empty one
    }
  }
  return keys.size;
};

/** Methods whose result file the run wrote (`seed-N/<method>.json`). */
const finishedMethods = (db: string): number => {
  const dir = runDirOf(db);
  if (!existsSync(dir)) return 0;
  return readdirSync(dir)
    .filter((d) => d.startsWith('seed-'))
    .reduce((n, d) => n + readdirSync(join(dir, d)).filter((f) => f.endsWith('.json')).length, 0);
};

/** What a finished run stored: its status, metrics (without timing) and every probability. */
const runResults = (db: string, runId: number) =>
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

const soakRun = async (work: string, kills: number, random: Random, failures: string[]): Promise<void> => {
  ensureKernelsBuilt(); // the trainer's wasm kernels (out/kernels), as bench:engine does
  const demo = join(work, 'run-demo');
  await runCli([
    'demo',
    '--no-import',
    '--out',
    demo,
    '--sweeps',
    '6',
    '--frames',
    '4',
    '--size',
    '64',
    '--json',
  ]);
  const { backbone } = await writeTinyRunFixture(join(work, 'tiny-backbone'));
  const cleanDb = join(work, 'run-clean', 'catalog.db');
  const soakDb = join(work, 'run-soak', 'catalog.db');
  for (const db of [cleanDb, soakDb])
    await runCli([
      'import',
      join(demo, 'manifest.csv'),
      '--db',
      db,
      '--dataset',
      'demo',
      '--no-thumbnails',
      '--json',
    ]);
  const runArgs = (db: string) => [
    'run',
    '--db',
    db,
    '--dataset',
    'demo',
    '--backbone',
    backbone,
    '--image-size',
    '64',
    '--batch-size',
    '8',
    '--epochs1',
    '16',
    '--epochs2',
    '8',
    '--head-epochs',
    '20',
    '--seed',
    '7',
    '--replicas',
    '2',
    '--json',
  ];
  const resumeArgs = (db: string, id: number) => ['run', '--db', db, '--resume', String(id), '--json'];
  const { result: clean, points } = await timeline(runArgs(cleanDb), () => epochsLogged(cleanDb));
  const expected = runResults(cleanDb, 1)!;
  const at = (n: number): string => `${((points.find((p) => p.value >= n)?.ms ?? NaN) / 1000).toFixed(1)} s`;
  console.log(
    `run timeline: first epoch logged at ${at(1)}, half of them at ${at(points.at(-1)!.value / 2)}, last at ${at(points.at(-1)!.value)}`,
  );
  console.log(
    `\nrun: ${(clean.ms / 1000).toFixed(1)} s uninterrupted (status ${expected.status}, ${epochsLogged(cleanDb)} epochs logged, ${expected.predictions.length} stored probabilities)`,
  );
  const rows: KillRow[] = [];
  const probe = () => epochsLogged(soakDb);
  for (const [i, point] of killPoints(points, clean.ms, kills, random).entries()) {
    const status = count(soakDb, 'runs') > 0 ? (runResults(soakDb, 1)?.status ?? 'none') : 'none';
    if (status === 'done') {
      rows.push({
        kill: i + 1,
        point,
        outcome: 'not killed: the run had finished',
        stored: '',
        integrity: integrity(soakDb),
      });
      continue;
    }
    const started = status !== 'none';
    const { killed, result } = await killAt(
      started ? resumeArgs(soakDb, 1) : runArgs(soakDb),
      probe,
      point,
      points.at(-1)?.value ?? 0,
    );
    const after = runResults(soakDb, 1);
    rows.push({
      kill: i + 1,
      point,
      outcome: `${started ? 'resume' : 'start'}: ${killed ? `killed (${result.signal})` : `finished first (exit ${result.code})`}, run ${after?.status ?? 'not created'}`,
      stored: `${probe()} epochs, ${finishedMethods(soakDb)} methods done, ${after?.predictions.length ?? 0} probabilities`,
      integrity: integrity(soakDb),
    });
  }
  const last = runResults(soakDb, 1);
  let finalMs = 0;
  if (last?.status !== 'done') finalMs = (await runCli(resumeArgs(soakDb, 1))).ms;
  printTable('run kills', 'epochs', rows);
  const got = runResults(soakDb, 1)!;
  let maxDiff = 0;
  const byKey = new Map(expected.predictions.map((p) => [`${p.method}/${p.image_id}`, p]));
  for (const p of got.predictions) {
    const want = byKey.get(`${p.method}/${p.image_id}`);
    if (!want) {
      maxDiff = Infinity;
      continue;
    }
    const a = JSON.parse(p.probs) as number[];
    const b = JSON.parse(want.probs) as number[];
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      maxDiff = Math.max(maxDiff, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)) || 0);
  }
  console.log(
    `final resume: ${(finalMs / 1000).toFixed(1)} s; run ${got.status}; ${got.predictions.length} probabilities, max |Δp| against the uninterrupted run ${maxDiff}`,
  );
  check(
    failures,
    rows.every((r) => r.integrity === 'ok' || r.integrity === 'no database yet'),
    'run: integrity_check ok after every kill',
  );
  check(
    failures,
    rows.filter((r) => r.outcome.includes('killed (SIGKILL)')).length === kills,
    `run: all ${kills} kills landed mid-run`,
  );
  check(failures, integrity(soakDb) === 'ok', 'run: final integrity_check ok');
  check(failures, got.status === 'done', `run: resumed run succeeded (${got.status})`);
  check(
    failures,
    JSON.stringify(got.metrics) === JSON.stringify(expected.metrics),
    'run: same metrics per method and split as the uninterrupted run',
  );
  check(
    failures,
    got.predictions.length === expected.predictions.length && maxDiff === 0,
    `run: same stored probabilities (${got.predictions.length} vs ${expected.predictions.length}, max |Δp| ${maxDiff})`,
  );
  if (JSON.stringify(got.metrics) !== JSON.stringify(expected.metrics)) {
    console.log('uninterrupted metrics:', JSON.stringify(expected.metrics));
    console.log('resumed metrics:      ', JSON.stringify(got.metrics));
  }
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      phase: { type: 'string', default: 'both' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const kills = Number(values.kills);
  if (!Number.isInteger(kills) || kills < 1) throw new Error('--kills takes a positive integer');
  if (!['both', 'import', 'run'].includes(values.phase)) throw new Error('--phase takes both, import or run');
  const work = mkdtempSync(join(tmpdir(), 'sonofuse-kill-soak-'));
  mkdirSync(work, { recursive: true });
  const random = createRandom(Number(values.seed));
  const failures: string[] = [];
  const started = performance.now();
  console.log(`kill -9 soak: ${kills} kills per phase, seed ${values.seed}, work folder ${work}`);
  try {
    if (values.phase !== 'run') await soakImport(work, kills, random, failures);
    if (values.phase !== 'import') await soakRun(work, kills, random, failures);
  } finally {
    if (!values.keep) rmSync(work, { recursive: true, force: true });
  }
  console.log(
    `\n${failures.length ? `FAILED: ${failures.length} check(s)` : 'all checks passed'} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  process.exitCode = failures.length ? 1 : 0;
};

await main();
