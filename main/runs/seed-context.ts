import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassificationMetrics } from '../../shared/metrics/classification-metrics';
import type { RunMethod } from '../../shared/run/run-config';
import type { RunTimingPhase } from '../../shared/run/run-timing';
import type { RunStage } from '../../shared/run/run-progress';
import type { Augmenter } from '../augment/create-augmenter';
import { writeFileAtomic } from '../engine/train/checkpoint-file';
import type { EpochLogs, FitProgress, Tf } from '../engine/train/fit-types';
import { PRIVATE_DIR_MODE } from '../security/private-files';
import { trainFeatureHead, type ExportedHead, type FeatureSet } from './feature-head';
import type { ImageTrainer } from './image-trainer';
import type { PhaseTimer } from './phase-timer';
import type { RunManifest } from './run-manifest';
import type { Modalities } from './run-modalities';
import type { RunImages } from './run-images';

/** One method's outcome for one seed (stored as `<method>.json` so a resume skips it). */
export interface MethodOutcome {
  method: RunMethod;
  status: 'done' | 'skipped';
  /** Why a method was skipped (e.g. the dataset has no notes). */
  reason?: string;
  bestEpoch: number | null;
  validation?: ClassificationMetrics;
  test?: ClassificationMetrics;
  /** Probability rows in the order of the split's validation / test items. */
  probs?: { validation: number[][]; test: number[][] };
  /** The fusion head of `proposed` (for the model export). */
  head?: ExportedHead;
  seconds: number;
}

/** What every method runner of one seed gets. */
export interface SeedContext {
  tf: Tf;
  manifest: RunManifest;
  images: RunImages;
  modalities: Modalities;
  trainer: ImageTrainer;
  augmenters: { train: Augmenter; evaluate: Augmenter };
  seed: number;
  dir: string;
  /** Also check the split for near-duplicates (the first seed: the clean features are the same). */
  checkSplit?: boolean;
  /** The job's phase timer (the run's `timing`). */
  timer: PhaseTimer;
  signal: AbortSignal;
  progress(p: FitProgress): void;
  log(message: string): void;
}

const readOutcome = async (path: string): Promise<MethodOutcome | null> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as MethodOutcome;
  } catch {
    return null;
  }
};

/**
 * The bookkeeping one seed's runners share: the split as row indices, labels, the outcomes so
 * far (each written to `<method>.json` at once, read back on resume), phase timing and notices, and
 * the heads trainer with its progress. Every runner takes this and adds its own outcomes.
 */
export const createSeedBook = async (ctx: SeedContext) => {
  const { manifest } = ctx;
  const config = manifest.config;
  const of = (part: string) => manifest.items.flatMap((it, i) => (it.part === part ? [i] : []));
  const split = { train: of('train'), validation: of('validation'), test: of('test') };
  const labels = manifest.items.map((i) => i.label);
  const y = (rows: readonly number[]) => Int32Array.from(rows, (r) => labels[r]!);
  const wanted = new Set(config.methods);
  const outcomes: MethodOutcome[] = [];
  const notices: string[] = [];
  await mkdir(ctx.dir, { recursive: true, mode: PRIVATE_DIR_MODE });

  const has = (method: RunMethod) => outcomes.some((o) => o.method === method);
  const record = async (outcome: MethodOutcome) => {
    await writeFileAtomic(join(ctx.dir, `${outcome.method}.json`), Buffer.from(JSON.stringify(outcome)));
    outcomes.push(outcome);
  };

  /** Epoch-end progress with its curve point (epochs counted from 1, as runs report them). */
  const epochEnd = (stage: RunStage, method: RunMethod, epochs: number, logs: EpochLogs) =>
    ctx.progress({
      stage,
      method,
      seed: ctx.seed,
      epoch: logs.epoch + 1,
      epochs,
      batch: 0,
      batchesPerEpoch: 0,
      loss: logs.loss,
      imagesPerSecond: 0,
      etaSeconds: null,
      curve: {
        epoch: logs.epoch + 1,
        trainLoss: logs.loss,
        validationLoss: logs.valLoss ?? null,
        validationAccuracy: logs.valAccuracy ?? null,
      },
    });

  return {
    config,
    classes: manifest.classes.length,
    split,
    labels,
    y,
    wanted,
    outcomes,
    notices,
    has,
    record,
    epochEnd,
    /** A wanted method not finished yet (a finished one's outcome is loaded from its file). */
    async pending(method: RunMethod): Promise<boolean> {
      if (!wanted.has(method) || has(method)) return false;
      const done = await readOutcome(join(ctx.dir, `${method}.json`));
      if (done) outcomes.push(done);
      return done === null;
    },
    skip: (method: RunMethod, reason: string) =>
      record({ method, status: 'skipped', reason, bestEpoch: null, seconds: 0 }),
    /** Runs `f` as one phase of the run's `timing` (phases do not overlap). */
    timed: <T>(phase: RunTimingPhase, f: () => Promise<T>): Promise<T> => ctx.timer.timed(phase, f),
    /** A feature set of fixed rows. */
    set: (rows: readonly number[], block: { x: Float32Array; dim: number }): FeatureSet => ({
      x: block.x,
      dim: block.dim,
      rows: rows.length,
      y: y(rows),
    }),
    /** A head on fixed rows (+ optional fresh training rows) through the fit loop; its outcome. */
    async head(
      method: RunMethod,
      sets: { train: FeatureSet; validation: FeatureSet; test: FeatureSet },
      opts: {
        epochs: number;
        lr: number;
        kind: 'linear' | 'mlp';
        hidden?: number;
        stage: RunStage;
        warmStart?: { kernel: Float32Array; bias: Float32Array };
      },
    ): Promise<MethodOutcome> {
      const t0 = performance.now();
      const result = await trainFeatureHead(ctx.tf, sets, {
        classes: manifest.classes.length,
        warmStart: opts.warmStart,
        head: opts.kind,
        hidden: opts.hidden,
        epochs: opts.epochs,
        batchSize: config.batchSize,
        learningRate: opts.lr,
        seed: ctx.seed,
        runDir: join(ctx.dir, method),
        signal: ctx.signal,
        onProgress: (p) =>
          ctx.progress({ ...p, epoch: p.epoch + 1, stage: opts.stage, method, seed: ctx.seed }),
        onEpochEnd: (logs) => epochEnd(opts.stage, method, opts.epochs, logs),
      });
      if (result.status === 'cancelled') throw new DOMException('cancelled', 'AbortError');
      return {
        method,
        status: 'done',
        bestEpoch: result.bestEpoch === null ? null : result.bestEpoch + 1,
        validation: result.validation.metrics,
        test: result.test!.metrics,
        probs: { validation: result.validation.probs, test: result.test!.probs },
        // Proposed's goes into the model export; the note-only and metadata-only heads start the
        // fusion head.
        head: ['proposed', 'note_only', 'metadata_only'].includes(method) ? result.head : undefined,
        seconds: (performance.now() - t0) / 1000,
      };
    },
  };
};

export type SeedBook = Awaited<ReturnType<typeof createSeedBook>>;
