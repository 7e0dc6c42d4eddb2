import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunDetail } from '../../../shared/contract/run';
import { AppError } from '../../../shared/contract/result';
import { runMethods, type RunConfigInput } from '../../../shared/run/run-config';
import { parseFieldText, runConfigFields, setField } from '../../../shared/run/run-config-fields';
import type { RunProgress } from '../../../shared/run/run-progress';
import { dataDir, defaultCatalogPath } from '../../catalog/catalog-paths';
import { createCatalogService, type CatalogService } from '../../catalog/catalog-service';
import { buildRunWorkingCopy } from '../../catalog-store/run-working-copy';
import { isPostgresUrl, redactUrl } from '../../catalog-store/workspace-location';
import { openSharedWorkspace } from './shared-workspace';
import { createRunService } from '../../runs/run-service';
import { createLogger } from '../../core/logger';
import { UsageError, type CliCommand, type CliIo } from '../command';
import { mergeConfig, readConfigFile } from './run-config-file';

const int = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} takes an integer, got "${value}"`);
  return n;
};

const pct = (x: number | undefined) => (x === undefined ? '   —  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

/** The `--json` object issue 9 specifies (snake_case method keys and metric names). */
export const runJson = (d: RunDetail) => {
  const s = d.summary;
  const pick = (m: { accuracy: number; balancedAccuracy: number; macroF1: number }) => ({
    accuracy: m.accuracy,
    balanced_accuracy: m.balancedAccuracy,
    macro_f1: m.macroF1,
  });
  return {
    run_id: d.runId,
    status: d.status,
    backend: s?.backend ?? d.backend,
    dataset: d.dataset,
    task: d.task,
    classes: s?.classes ?? [],
    split: s ? { name: s.split.name, counts: s.split.counts } : null,
    methods: Object.fromEntries(
      runMethods.flatMap((m) => {
        const r = s?.methods[m];
        if (!r) return [];
        const spread = r.seedSpread
          ? {
              seeds: r.seedSpread.accuracy.n,
              test_accuracy_mean: r.seedSpread.accuracy.mean,
              test_accuracy_sd: r.seedSpread.accuracy.sd,
              test_macro_f1_mean: r.seedSpread.macroF1.mean,
              test_macro_f1_sd: r.seedSpread.macroF1.sd,
            }
          : null;
        return [
          [
            m,
            {
              validation: pick(r.validation),
              test: pick(r.test),
              best_epoch: r.bestEpoch,
              seed_spread: spread,
            },
          ],
        ];
      }),
    ),
    skipped: s?.skipped ?? {},
    notices: s?.notices ?? [],
    timing: s?.timing ?? {},
    error: d.error,
  };
};

/** The comparison table: every method's validation and test figures side by side, skipped ones with why. */
export const printRunTable = (io: CliIo, d: RunDetail): void => {
  const s = d.summary;
  if (!s) return;
  io.out(`Run ${d.runId} on "${d.dataset}" (task ${d.task}), backend ${s.backend}, split ${s.split.name}`);
  for (const part of ['train', 'validation', 'test'] as const)
    io.out(`  ${part.padEnd(10)} ${s.classes.map((c) => `${c} ${s.split.counts[part][c] ?? 0}`).join(', ')}`);
  io.out('');
  io.out(
    `${'method'.padEnd(24)} ${'val acc'.padStart(7)} ${'test acc'.padStart(8)} ${'test bal'.padStart(8)} ${'test F1'.padStart(8)}  seeds (test acc mean ± sd)`,
  );
  for (const m of runMethods) {
    const r = s.methods[m];
    if (!r) {
      if (s.skipped[m]) io.out(`${m.padEnd(24)} skipped: ${s.skipped[m]}`);
      continue;
    }
    const spread = r.seedSpread
      ? `${(r.seedSpread.accuracy.mean * 100).toFixed(1)} ± ${(r.seedSpread.accuracy.sd * 100).toFixed(1)} (${r.seedSpread.accuracy.n})`
      : '';
    io.out(
      `${m.padEnd(24)} ${pct(r.validation.accuracy).padStart(7)} ${pct(r.test.accuracy).padStart(8)} ${pct(r.test.balancedAccuracy).padStart(8)} ${pct(r.test.macroF1).padStart(8)}  ${spread}`,
    );
  }
  for (const n of s.notices) io.out(`note: ${n}`);
  io.out(
    `timing (s): ${Object.entries(s.timing)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ')}`,
  );
};

const progressLine = (p: RunProgress): string => {
  const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
  const rate = p.imagesPerSecond === null ? '' : `, ${p.imagesPerSecond.toFixed(1)} img/s`;
  return `seed ${p.seed} ${p.stage}${p.method ? ` ${p.method}` : ''} epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}${rate}${eta}`;
};

/**
 * `sonofuse run --db FILE --dataset NAME …`: trains and evaluates every method (linear probe,
 * traditional multimodal, stage 1, proposed, note-only, metadata-only) on the dataset's stored
 * group-aware split in a trainer process; the same pipeline as the app's Run button. Prints a
 * progress line on a TTY and the comparison table, or one JSON object with --json. Ctrl+C cancels
 * at the next batch; `--resume RUN_ID` continues a cancelled or crashed run.
 */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Train and evaluate all methods (both fusion stages and the baselines) on a dataset.',
  usage:
    'sonofuse run --dataset NAME [--db FILE] [--task NAME] ' +
    runConfigFields
      .map(
        (f) =>
          `[--${f.flag} ${f.choices && f.kind === 'choice' ? f.choices.join('|') : f.kind === 'list' ? 'a,b' : f.kind === 'path' ? 'FOLDER' : 'X'}]`,
      )
      .join(' ') +
    ' [--replicas N] [--config FILE.json] [--resume RUN_ID] [--json]',
  async run(args, io) {
    // Every RunConfig flag comes from the field table (shared/run/run-config-fields.ts).
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: false,
      strict: true,
      options: {
        db: { type: 'string' },
        /** The shared image store folder of a postgres:// catalog (or SONOFUSE_STORE). */
        store: { type: 'string' },
        dataset: { type: 'string' },
        task: { type: 'string' },
        replicas: { type: 'string' },
        resume: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
        ...Object.fromEntries(runConfigFields.map((f) => [f.flag, { type: 'string' as const }])),
      },
    });
    void positionals;
    const flags = values as Record<string, string | boolean | undefined>;
    const resumeId = int('resume', values.resume);
    const base = values.config ? await readConfigFile(values.config) : {};
    if (!values.dataset && !base.dataset && resumeId === undefined)
      throw new UsageError('--dataset is required (or --resume RUN_ID)');
    const config: Record<string, unknown> = {
      dataset: values.dataset ?? (typeof base.dataset === 'string' ? base.dataset : ''),
      task: values.task,
    };
    for (const field of runConfigFields) {
      const text = flags[field.flag];
      if (typeof text !== 'string') continue;
      const parsed = parseFieldText(field, text);
      if (!parsed.ok) throw new UsageError(parsed.message);
      setField(config, field.path, field.kind === 'path' ? resolve(parsed.value as string) : parsed.value);
    }
    const strip = (o: unknown): unknown =>
      o && typeof o === 'object' && !Array.isArray(o)
        ? Object.fromEntries(
            Object.entries(o)
              .filter(([, v]) => v !== undefined)
              .map(([k, v]) => [k, strip(v)]),
          )
        : o;
    const logger = createLogger({ minLevel: 'warn', write: (line) => io.err(line) });
    let db: string;
    let catalog: CatalogService;
    if (values.db !== undefined && isPostgresUrl(values.db)) {
      // A department catalog: train on a frozen local copy of the dataset, built through the store.
      const dataset = String(config.dataset);
      if (!dataset) throw new UsageError('--dataset is required with a postgres:// catalog');
      const { store, storeDir } = await openSharedWorkspace({ db: values.db, store: values.store, logger });
      try {
        const dir = join(dataDir(), 'department-runs', `${dataset.replace(/[^\w.-]+/g, '_')}-${Date.now()}`);
        const copy = await buildRunWorkingCopy({
          store,
          storeDir,
          dataset,
          task: values.task ?? 'label',
          dir,
          logger,
        });
        catalog = copy.catalog;
        db = catalog.dbPath;
        io.err(`frozen ${copy.images} images of "${dataset}" from ${redactUrl(values.db)} into ${db}`);
      } finally {
        await store.close();
      }
    } else {
      db = resolve(values.db ?? defaultCatalogPath());
      catalog = createCatalogService({ dbPath: db, logger });
    }
    const runs = createRunService({ catalog, logger, replicas: int('replicas', values.replicas) });
    let last = 0;
    runs.onProgress((p) => {
      if (values.json || !io.isTty) {
        if (p.curve && !values.json) io.err(progressLine(p));
        return;
      }
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      io.err(`\r${progressLine(p)}        `);
    });
    const controller = { runId: 0 };
    const stop = (): void => void runs.cancel(controller.runId);
    process.once('SIGINT', stop);
    try {
      const { runId } =
        resumeId !== undefined
          ? await runs.resume(resumeId)
          : await runs.start(mergeConfig(base, strip(config)) as RunConfigInput);
      controller.runId = runId;
      if (!values.json) io.err(`run ${runId} started (catalog ${db})`);
      const detail = await runs.wait(runId);
      if (values.json) io.out(JSON.stringify(runJson(detail)));
      else {
        if (io.isTty) io.err('');
        printRunTable(io, detail);
        if (detail.error) io.err(`run ${runId} ${detail.status}: ${detail.error}`);
      }
      return detail.status === 'succeeded' ? 0 : detail.status === 'cancelled' ? 130 : 1;
    } catch (e) {
      if (e instanceof AppError) {
        io.err(`sonofuse run: ${e.code}: ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      process.removeListener('SIGINT', stop);
      catalog.close();
    }
  },
};
