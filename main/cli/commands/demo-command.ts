import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir, defaultCatalogPath } from '../../catalog/catalog-paths';
import { createCatalogService } from '../../catalog/catalog-service';
import { generateDemoDataset } from '../../demo/demo-dataset';
import { installDemo } from '../../demo/demo-service';
import { createRunService } from '../../runs/run-service';
import { createLogger } from '../../core/logger';
import { printRunTable, runJson } from './run-command';
import { UsageError, type CliCommand } from '../command';

const positiveInt = (name: string, value: string, max: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${name} must be an integer 1-${max}, got ${value}`);
  return n;
};

/** Where the demo workspace lives unless --out says otherwise. */
export const defaultDemoDir = (): string => join(dataDir(), 'demo-data');

/**
 * The demo run's settings: every method at 96 px so the whole comparison finishes in a few minutes
 * on two cores (the phantoms are simple; real data runs at the defaults).
 */
export const DEMO_RUN = {
  imageSize: 96,
  batchSize: 16,
  stage1: { epochs: 4 },
  stage2: { epochs: 3 },
  heads: { epochs: 30 },
} as const;

/**
 * `sonofuse demo`: generates the built-in SYNTHETIC fetal-phantom set (images + manifest.csv in
 * the shared manifest convention), imports it into the catalog (`--db`, default: the default
 * workspace) as dataset "demo-phantom (synthetic)", and runs every method on it, printing the
 * comparison table. `--no-run` stops after the import, `--no-import` after writing the files.
 */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Generate the built-in synthetic fetal-phantom demo set (clearly labelled synthetic).',
  usage:
    'sonofuse demo [--out DIR] [--db FILE] [--no-import] [--no-run] [--epochs1 N] [--seed N] [--sweeps N] [--frames N] [--size PX] [--json]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        seed: { type: 'string', default: '20251' },
        sweeps: { type: 'string', default: '8' },
        frames: { type: 'string', default: '4' },
        size: { type: 'string', default: '192' },
        json: { type: 'boolean', default: false },
        db: { type: 'string' },
        'no-import': { type: 'boolean', default: false },
        'no-run': { type: 'boolean', default: false },
        epochs1: { type: 'string', default: String(DEMO_RUN.stage1.epochs) },
      },
      strict: true,
    });
    const outDir = resolve(values.out ?? defaultDemoDir());
    const started = Date.now();
    let lastShown = 0;
    const dataset = await generateDemoDataset({
      outDir,
      seed: positiveInt('seed', values.seed, 2 ** 31),
      sweepsPerClass: positiveInt('sweeps', values.sweeps, 1000),
      framesPerSweep: positiveInt('frames', values.frames, 100),
      size: positiveInt('size', values.size, 1024),
      onProgress: (done, total) => {
        if (!values.json && io.isTty && (Date.now() - lastShown > 250 || done === total)) {
          lastShown = Date.now();
          io.err(`\rgenerating ${done}/${total}`);
        }
      },
    });
    let imported: {
      db: string;
      dataset: string;
      datasetId: number;
      imported: number;
      skipped: number;
      errors: number;
    } | null = null;
    let run: ReturnType<typeof runJson> | null = null;
    if (!values['no-import']) {
      const db = resolve(values.db ?? defaultCatalogPath());
      const catalog = createCatalogService({
        dbPath: db,
        logger: createLogger({ minLevel: 'warn', write: (l) => io.err(l) }),
      });
      try {
        const r = await installDemo(catalog, { folder: outDir });
        imported = {
          db,
          dataset: r.dataset,
          datasetId: r.datasetId,
          imported: r.report.imported,
          skipped: r.report.skipped,
          errors: r.report.errors.length,
        };
        if (!values['no-run']) {
          const runs = createRunService({
            catalog,
            logger: createLogger({ minLevel: 'warn', write: (l) => io.err(l) }),
          });
          if (!values.json) io.err('Training every method on the demo set (a few minutes on two cores)…');
          runs.onProgress((p) => {
            if (!values.json && p.curve)
              io.err(
                `  ${p.method} epoch ${p.curve.epoch}: validation accuracy ${p.curve.validationAccuracy?.toFixed(3) ?? '—'}`,
              );
          });
          const { runId } = await runs.start({
            dataset: r.dataset,
            ...DEMO_RUN,
            stage1: { epochs: positiveInt('epochs1', values.epochs1, 200) },
          });
          const detail = await runs.wait(runId);
          run = runJson(detail);
          if (!values.json) printRunTable(io, detail);
          if (detail.status !== 'succeeded') io.err(`demo run ${detail.status}: ${detail.error ?? ''}`);
        }
      } finally {
        catalog.close();
      }
    }
    const summary = {
      out: outDir,
      manifest: dataset.manifestPath,
      images: dataset.rows.length,
      groups: new Set(dataset.rows.map((r) => r.patient_id)).size,
      seconds: (Date.now() - started) / 1000,
      synthetic: true,
      catalog: imported,
      run,
    };
    if (values.json) io.out(JSON.stringify(summary));
    else {
      io.out(
        `Synthetic demo set: ${summary.images} images in ${summary.groups} sweeps → ${summary.manifest} (${summary.seconds.toFixed(1)} s)`,
      );
      if (imported)
        io.out(
          `Imported into ${imported.db} as "${imported.dataset}": ${imported.imported} new, ${imported.skipped} already there, ${imported.errors} errors.`,
        );
    }
    return (imported && imported.errors > 0) || (run && run.status !== 'succeeded') ? 1 : 0;
  },
};
