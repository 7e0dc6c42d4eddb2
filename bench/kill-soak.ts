/**
 * Kill -9 soak (issue #14): kills `sonofuse import` and `sonofuse run` with SIGKILL at seeded random
 * moments, re-runs them each time, then checks that nothing was lost or duplicated.
 *
 *   npx tsx bench/kill-soak.ts [--kills 20] [--seed 1] [--phase both|import|run] [--keep]
 *   (npm run bench:soak -- --kills 20)
 *
 * Kill points: each phase first runs uninterrupted while its progress is sampled (images committed;
 * distinct epochs in the run's curves.jsonl). `--kills` moments drawn uniformly over that run's
 * duration, in order, become "progress reached + ms after it"; each attempt is killed (its whole
 * process group, the trainer included) at its point, or, where earlier attempts already got that
 * far, that long after it makes progress of its own, so the kills walk from start-up to the end.
 *
 * Import: the BUSI manifest (../shared/datasets/busi, copied into the managed store with
 * thumbnails; a generated demo set when BUSI is absent) is imported uninterrupted into one catalog,
 * then into a second one by CLI processes killed at the kill points and started again each time,
 * then once more to the end. Checks: `PRAGMA integrity_check` after every kill, and at the end
 * integrity, foreign keys, no import left `running`, and the same images (file, hash, frame, size,
 * labels, note, metadata) and store files as the clean import.
 *
 * Run: a tiny two-stage run (`sonofuse run` on a small generated demo set, a tiny CNN backbone,
 * 64 px, a few epochs, every method) runs uninterrupted, then on an identical catalog it is started,
 * killed at the kill points and continued with `--resume` each time, then resumed to the end.
 * Checks: integrity after every kill, and the run succeeds with the same metrics and the same stored
 * probabilities as the uninterrupted run with the same seed.
 *
 * Prints a table of kill points and what each produced. Not part of the test suite: it takes
 * minutes and prints figures; it exits non-zero when a check fails.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { storeDirFor } from '../main/catalog/catalog-paths';
import { ensureKernelsBuilt } from '../main/engine/wasm/build-kernels';
import { createRandom, type Random } from '../shared/random/seeded-random';
import { writeTinyRunFixture } from '../test/support/tiny-run-fixture';
import { killAt, killPoints, runCli, timeline } from './kill-soak-process';
import {
  catalogFingerprint,
  check,
  count,
  curveKeys,
  epochsLogged,
  filesUnder,
  finishedMethods,
  runProgress,
  hasTable,
  integrity,
  printTable,
  runResults,
  withDb,
  type KillRow,
} from './kill-soak-results';

const BUSI = resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'busi', 'manifest.csv');

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
  // A figure, not a check: a point just before the end can meet a process already exiting.
  console.log(
    `import: ${rows.filter((r) => r.outcome.startsWith('killed')).length} of ${kills} kills hit a running import`,
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
  const { result: clean, points } = await timeline(runArgs(cleanDb), () => runProgress(cleanDb));
  const expected = runResults(cleanDb, 1)!;
  const gaps = points.map((p, i) => p.ms - (points[i - 1]?.ms ?? 0));
  console.log(
    `\nrun timeline: ${points.length} progress steps (run-folder files + epochs), the first at ${((points.find((p) => p.value > 0)?.ms ?? NaN) / 1000).toFixed(1)} s, ` +
      `longest gap ${(Math.max(...gaps) / 1000).toFixed(1)} s`,
  );
  console.log(
    `run: ${(clean.ms / 1000).toFixed(1)} s uninterrupted (status ${expected.status}, ${epochsLogged(cleanDb)} epochs logged, ${expected.predictions.length} stored probabilities)`,
  );
  const rows: KillRow[] = [];
  const probe = () => runProgress(soakDb);
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
      stored: `${epochsLogged(soakDb)} epochs, ${finishedMethods(soakDb)} methods done, ${after?.predictions.length ?? 0} probabilities`,
      integrity: integrity(soakDb),
    });
  }
  const last = runResults(soakDb, 1);
  let finalMs = 0;
  if (last?.status !== 'done') finalMs = (await runCli(resumeArgs(soakDb, 1))).ms;
  printTable('run kills', 'progress', rows);
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
  console.log(
    `run: ${rows.filter((r) => r.outcome.includes('killed (SIGKILL)')).length} of ${kills} kills hit a running run`,
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
  const cleanCurves = curveKeys(cleanDb);
  const soakCurves = curveKeys(soakDb);
  const lost = [...cleanCurves].filter((k) => !soakCurves.has(k));
  check(
    failures,
    lost.length === 0 && soakCurves.size === cleanCurves.size,
    `run: the same epochs in curves.jsonl (${soakCurves.size} vs ${cleanCurves.size}${lost.length ? `; missing ${lost.join(', ')}` : ''})`,
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
