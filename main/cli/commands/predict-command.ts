import { cpSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/result';
import { defaultCatalogPath } from '../../catalog/catalog-paths';
import { createCatalogService } from '../../catalog/catalog-service';
import { loadRunModel } from '../../runs/model-predict';
import { createRunStore } from '../../runs/run-store';
import { createLogger } from '../../core/logger';
import { parseMapping } from './import-command';
import { UsageError, type CliCommand } from '../command';

/** The model folder of a finished run in a catalog. */
const runModelDir = (db: string, runId: number): string => {
  const catalog = createCatalogService({ dbPath: db, logger: createLogger({ minLevel: 'error' }) });
  try {
    const run = createRunStore(catalog.db()).get(runId);
    const dir = join(run.runDir, 'model');
    if (!existsSync(dir))
      throw new AppError('NOT_FOUND', `run ${runId} has no exported model (status ${run.status})`);
    return dir;
  } finally {
    catalog.close();
  }
};

const runId = (value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--run takes a run id, got "${value}"`);
  return n;
};

/**
 * `sonofuse export-model --db FILE --run N --out DIR`: copies a finished run's model (tfjs layers
 * stage-1 network + sonofuse-model.json with classes, preprocessing, encoders, fusion head, metrics).
 */
export const exportModelCommand: CliCommand = {
  name: 'export-model',
  summary: "Copy a finished run's model (tfjs layers format + manifest) to a folder.",
  usage: 'sonofuse export-model --run N --out DIR [--db FILE]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { db: { type: 'string' }, run: { type: 'string' }, out: { type: 'string' } },
    });
    if (!values.out) throw new UsageError('--out DIR is required');
    try {
      const dir = runModelDir(resolve(values.db ?? defaultCatalogPath()), runId(values.run));
      cpSync(dir, resolve(values.out), { recursive: true });
      io.out(`Model of run ${values.run} written to ${resolve(values.out)}`);
      return 0;
    } catch (e) {
      if (e instanceof AppError) {
        io.err(`sonofuse export-model: ${e.code}: ${e.message}`);
        return 1;
      }
      throw e;
    }
  },
};

/**
 * `sonofuse predict (--model DIR | --db FILE --run N) IMAGE… [--note TEXT] [--meta k=v …] [--json]`:
 * image-only (stage 1) and fused (proposed) class probabilities for new images, offline.
 */
export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'Predict new images (+ note and metadata) with an exported or finished run model.',
  usage:
    'sonofuse predict (--model DIR | --run N [--db FILE]) IMAGE... [--note TEXT] [--meta key=value ...] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        db: { type: 'string' },
        run: { type: 'string' },
        note: { type: 'string' },
        meta: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length === 0) throw new UsageError('give at least one image file');
    if (!values.model && !values.run) throw new UsageError('give --model DIR or --run N');
    const metadata = parseMapping(values.meta);
    try {
      const dir = values.model
        ? resolve(values.model)
        : runModelDir(resolve(values.db ?? defaultCatalogPath()), runId(values.run));
      await tf.setBackend('cpu');
      const model = await loadRunModel(tf, dir);
      try {
        const predictions = await model.predict(
          positionals.map((p) => ({ image: resolve(p), note: values.note ?? null, metadata })),
        );
        if (values.json)
          io.out(
            JSON.stringify({
              classes: model.manifest.classes,
              predictions: predictions.map((p, i) => ({ file: positionals[i], ...p })),
            }),
          );
        else
          predictions.forEach((p, i) => {
            const pct = (x: number[]) =>
              model.manifest.classes.map((c, k) => `${c} ${(x[k]! * 100).toFixed(1)}%`).join(', ');
            io.out(`${positionals[i]}: image-only ${p.image.label} (${pct(p.image.probs)})`);
            if (p.fused) io.out(`  fused ${p.fused.label} (${pct(p.fused.probs)})`);
          });
        return 0;
      } finally {
        model.dispose();
      }
    } catch (e) {
      if (e instanceof AppError) {
        io.err(`sonofuse predict: ${e.code}: ${e.message}`);
        return 1;
      }
      throw e;
    }
  },
};
