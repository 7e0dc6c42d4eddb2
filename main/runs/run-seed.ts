import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  classificationMetrics,
  type ClassificationMetrics,
} from '../../shared/metrics/classification-metrics';
import type { RunMethod } from '../../shared/run/run-config';
import type { Augmenter } from '../augment/create-augmenter';
import { batchSeed } from '../augment/seeded-random';
import { encodeCheckpoint, readCheckpoint, writeFileAtomic } from '../engine/train/checkpoint-file';
import type { FitProgress, Tf } from '../engine/train/fit-types';
import { rawLinearHead, trainFeatureHead, type ExportedHead, type FeatureSet } from './feature-head';
import { denseSoftmax, inferViews, meanOf } from './evaluation-views';
import { inferRows, toRowArrays } from './image-inference';
import { findNearDuplicates, nearDuplicateNotice } from './near-duplicates';
import type { ImageTrainer } from './image-trainer';
import type { Modalities } from './run-modalities';
import { concatRows } from './run-modalities';
import type { RunManifest } from './run-manifest';
import { augmentedBatch, type RunImages } from './run-images';
import { fineTuneStage1 } from './stage1-finetune';
import { STAGE1_HEAD_LAYER } from './stage1-model';
import { PRIVATE_DIR_MODE } from '../security/private-files';

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
  signal: AbortSignal;
  progress(p: FitProgress): void;
  log(message: string): void;
}

/**
 * The fusion head's starting point: the stage-1 image classifier and the note-only and
 * metadata-only heads side by side (raw-feature space) with every block's logits weighted 1/M,
 * i.e. the normalised geometric mean of the M single-modality experts' probabilities (log-linear
 * pooling). No prior correction: the experts learned from the same labels, and dividing by the
 * prior M−1 times over-weighted rare classes on covid-notes' validation part (accuracy 0.78-0.82
 * against 0.87-0.90 for the geometric mean over three seeds).
 */
export const ensembleWarmStart = (
  image: { kernel: Float32Array; bias: Float32Array },
  others: ReadonlyArray<{ kernel: Float32Array; bias: Float32Array }>,
): { kernel: Float32Array; bias: Float32Array } => {
  const experts = [image, ...others];
  const w = 1 / experts.length;
  const kernel = new Float32Array(experts.reduce((s, o) => s + o.kernel.length, 0));
  const bias = new Float32Array(image.bias.length);
  let at = 0;
  for (const e of experts) {
    kernel.set(
      e.kernel.map((v) => v * w),
      at,
    );
    at += e.kernel.length;
    e.bias.forEach((v, c) => (bias[c]! += v * w));
  }
  return { kernel, bias };
};

/** Augmented views per training image for the frozen-pretrained-feature heads (plus the clean one). */
export const PRETRAINED_VIEWS = 2;

const parts = (manifest: RunManifest) => {
  const of = (part: string) => manifest.items.flatMap((it, i) => (it.part === part ? [i] : []));
  return { train: of('train'), validation: of('validation'), test: of('test') };
};

const readOutcome = async (path: string): Promise<MethodOutcome | null> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as MethodOutcome;
  } catch {
    return null;
  }
};

/**
 * Trains and evaluates every requested method for one seed, in the order that shares work: frozen
 * pretrained features → heads on them and on notes/metadata → stage 1 fine-tuning → stage 2
 * (proposed). Each finished method is written to disk at once; a resumed run skips it, and stage 1
 * and the heads continue from their own checkpoints. Test rows are scored only after each
 * method's training ends (its epoch chosen on validation).
 */
export const runSeed = async (
  ctx: SeedContext,
): Promise<{ outcomes: MethodOutcome[]; timing: Record<string, number>; notices: string[] }> => {
  const { manifest, images, modalities, trainer, augmenters, seed, tf } = ctx;
  const config = manifest.config;
  const classes = manifest.classes.length;
  const split = parts(manifest);
  const labels = manifest.items.map((i) => i.label);
  const y = (rows: readonly number[]) => Int32Array.from(rows, (r) => labels[r]!);
  const wanted = new Set(config.methods);
  const timing: Record<string, number> = {};
  const outcomes: MethodOutcome[] = [];
  const notices: string[] = [];
  await mkdir(ctx.dir, { recursive: true, mode: PRIVATE_DIR_MODE });

  const record = async (outcome: MethodOutcome) => {
    await writeFileAtomic(join(ctx.dir, `${outcome.method}.json`), Buffer.from(JSON.stringify(outcome)));
    outcomes.push(outcome);
  };
  const cached = async (method: RunMethod): Promise<boolean> => {
    if (!wanted.has(method)) return true;
    const done = await readOutcome(join(ctx.dir, `${method}.json`));
    if (done) outcomes.push(done);
    return done !== null;
  };
  const skip = (method: RunMethod, reason: string) =>
    record({ method, status: 'skipped', reason, bestEpoch: null, seconds: 0 });
  const timed = async <T>(key: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timing[key] = (timing[key] ?? 0) + (performance.now() - t0) / 1000;
    }
  };

  /** A head on fixed rows (+ optional fresh training rows); returns the method's outcome. */
  const head = async (
    method: RunMethod,
    sets: { train: FeatureSet; validation: FeatureSet; test: FeatureSet },
    opts: {
      epochs: number;
      lr: number;
      kind: 'linear' | 'mlp';
      hidden?: number;
      stage: string;
      warmStart?: { kernel: Float32Array; bias: Float32Array };
    },
  ): Promise<MethodOutcome> => {
    const t0 = performance.now();
    const result = await trainFeatureHead(tf, sets, {
      classes,
      warmStart: opts.warmStart,
      head: opts.kind,
      hidden: opts.hidden,
      epochs: opts.epochs,
      batchSize: config.batchSize,
      learningRate: opts.lr,
      seed,
      runDir: join(ctx.dir, method),
      signal: ctx.signal,
      // fit counts epochs from 0; runs report them from 1 (as stage 1 does).
      onProgress: (p) => ctx.progress({ ...p, epoch: p.epoch + 1, stage: opts.stage, method, seed }),
      onEpochEnd: (logs) =>
        ctx.progress({
          stage: opts.stage,
          method,
          seed,
          epoch: logs.epoch + 1,
          epochs: opts.epochs,
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
        }),
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
  };

  const set = (rows: readonly number[], block: { x: Float32Array; dim: number }): FeatureSet => ({
    x: block.x,
    dim: block.dim,
    rows: rows.length,
    y: y(rows),
  });
  const fixed = (rows: readonly number[], blocks: Array<{ x: Float32Array; dim: number } | null>) =>
    concatRows(
      rows,
      blocks.filter((b): b is { x: Float32Array; dim: number } => b !== null),
    );

  /** Features of the clean image and every test-time view, with the trainer's current weights. */
  const featureViews = async (rows: readonly number[]): Promise<Float32Array[]> =>
    (
      await inferViews((x, shape) => trainer.predict(x, shape, 'features'), images, rows, augmenters, {
        views: config.evaluation.views,
        seed,
        signal: ctx.signal,
      })
    ).views;

  const headOpts = {
    epochs: config.heads.epochs,
    lr: config.heads.lr,
    kind: 'linear' as const,
    stage: 'heads',
  };

  // ---- frozen pretrained features (linear probe, traditional multimodal) -------------------------
  const probeDone = await cached('linear_probe');
  const multimodalDone = await cached('traditional_multimodal');
  if (!probeDone || !multimodalDone) {
    const featuresPath = join(ctx.dir, 'pretrained-features.ckpt');
    type Stored = { dim: number; views: number; evalViews?: number };
    const evalViews = config.evaluation.views;
    let stored = await readCheckpoint<Stored>(featuresPath);
    if (!stored) {
      stored = await timed('features', async () => {
        const emit = (done: number, total: number) =>
          ctx.progress({
            stage: 'features',
            method: 'linear_probe',
            seed,
            epoch: 0,
            epochs: 1,
            batch: done,
            batchesPerEpoch: total,
            loss: 0,
            imagesPerSecond: 0,
            etaSeconds: null,
          });
        const views: Float32Array[] = [];
        let dim = 0;
        const total = PRETRAINED_VIEWS + 2;
        for (let v = 0; v < PRETRAINED_VIEWS; v++) {
          emit(v, total);
          const out = await inferRows(trainer, images, split.train, augmenters.train, 'features', {
            seedOf: (c) => batchSeed(seed, 100_000 + v, c),
            signal: ctx.signal,
          });
          views.push(out.rows);
          dim = out.dim;
        }
        emit(PRETRAINED_VIEWS, total);
        const trainClean = (
          await inferRows(trainer, images, split.train, augmenters.evaluate, 'features', {
            signal: ctx.signal,
          })
        ).rows;
        emit(PRETRAINED_VIEWS + 1, total);
        const val = await featureViews(split.validation);
        const test = await featureViews(split.test);
        const arrays = {
          features: [...views, trainClean, ...val, ...test].map((data, i) => ({
            name: `f${i}`,
            shape: [data.length],
            dtype: 'float32' as const,
            data,
          })),
        };
        const contents = { state: { dim, views: PRETRAINED_VIEWS, evalViews }, arrays };
        await writeFileAtomic(featuresPath, encodeCheckpoint(contents));
        return contents;
      });
    }
    const f = stored.arrays.features!.map((a) => a.data as Float32Array);
    const dim = stored.state.dim;
    const nViews = stored.state.views;
    const nEval = stored.state.evalViews ?? 0;
    const valViews = f.slice(nViews + 1, nViews + 2 + nEval);
    const testViews = f.slice(nViews + 2 + nEval, nViews + 3 + 2 * nEval);
    const duplicates = ctx.checkSplit
      ? nearDuplicateNotice(
          findNearDuplicates({ train: f[nViews]!, validation: valViews[0]!, test: testViews[0]! }, dim),
        )
      : null;
    if (duplicates) notices.push(duplicates);
    // Training rows: every augmented view and the clean one, each with its image's label.
    const trainViews = new Float32Array((nViews + 1) * split.train.length * dim);
    for (let v = 0; v <= nViews; v++) trainViews.set(f[v]!, v * split.train.length * dim);
    const trainRows = Array.from({ length: nViews + 1 }, () => split.train).flat();
    const blocksFor = (rows: readonly number[], img: Float32Array, withFusion: boolean) =>
      concatRows(rows, [
        { x: img, dim, row: (k: number) => k },
        ...(withFusion && modalities.notes ? [modalities.notes] : []),
        ...(withFusion && modalities.metadata ? [modalities.metadata] : []),
      ]);
    const evalSet = (rows: readonly number[], feats: Float32Array[], withFusion: boolean): FeatureSet => ({
      ...set(rows, blocksFor(rows, feats[0]!, withFusion)),
      views: feats.slice(1).map((v) => blocksFor(rows, v, withFusion).x),
    });
    const headSets = (withFusion: boolean) => ({
      train: set(trainRows, blocksFor(trainRows, trainViews, withFusion)),
      validation: evalSet(split.validation, valViews, withFusion),
      test: evalSet(split.test, testViews, withFusion),
    });
    if (wanted.has('linear_probe') && !outcomes.some((o) => o.method === 'linear_probe'))
      await record(await timed('heads', () => head('linear_probe', headSets(false), headOpts)));
    if (
      wanted.has('traditional_multimodal') &&
      !outcomes.some((o) => o.method === 'traditional_multimodal')
    ) {
      if (!modalities.notes && !modalities.metadata)
        await skip(
          'traditional_multimodal',
          'the dataset has neither notes nor metadata: it would equal the linear probe',
        );
      else await record(await timed('heads', () => head('traditional_multimodal', headSets(true), headOpts)));
    }
  }

  // ---- single-modality heads --------------------------------------------------------------------
  for (const [method, block, missing] of [
    ['note_only', modalities.notes, 'no image in this dataset has a clinical note'],
    ['metadata_only', modalities.metadata, 'the run uses no metadata column'],
  ] as const) {
    if (await cached(method)) continue;
    if (!block) await skip(method, missing);
    else
      await record(
        await timed('heads', () =>
          head(
            method,
            {
              train: set(split.train, fixed(split.train, [block])),
              validation: set(split.validation, fixed(split.validation, [block])),
              test: set(split.test, fixed(split.test, [block])),
            },
            headOpts,
          ),
        ),
      );
  }

  // ---- stage 1: fine-tune the backbone --------------------------------------------------------------
  const stage1Done = await cached('stage1_image');
  const proposedDone = await cached('proposed');
  if (!stage1Done || !proposedDone) {
    const t0 = performance.now();
    const stage1 = await timed('stage1', () =>
      fineTuneStage1(
        trainer,
        images,
        { train: split.train, validation: split.validation, labels },
        augmenters,
        {
          epochs: config.stage1.epochs,
          learningRate: config.stage1.lr,
          schedule: config.stage1.schedule,
          batchSize: config.batchSize,
          seed,
          classes,
          labelSmoothing: config.stage1.labelSmoothing,
          dir: join(ctx.dir, 'stage1'),
          signal: ctx.signal,
          // The loop counts epochs from 0; runs report them from 1.
          onProgress: (p) =>
            ctx.progress({ ...p, epoch: p.epoch + 1, stage: 'stage1', method: 'stage1_image', seed }),
          onBatchRetry: (from, to) =>
            ctx.log(`seed ${seed} stage 1: out of memory at ${from} images per step; continuing with ${to}`),
          onEpoch: (e) => {
            ctx.log(
              `seed ${seed} stage 1 epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, validation accuracy ${e.validationAccuracy.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
            );
            ctx.progress({
              stage: 'stage1',
              method: 'stage1_image',
              seed,
              epoch: e.epoch,
              epochs: config.stage1.epochs,
              batch: 0,
              batchesPerEpoch: 0,
              loss: e.trainLoss,
              imagesPerSecond: 0,
              etaSeconds: null,
              curve: {
                epoch: e.epoch,
                trainLoss: e.trainLoss,
                validationLoss: e.validationLoss,
                validationAccuracy: e.validationAccuracy,
              },
            });
          },
        },
      ),
    );
    if (stage1.status === 'cancelled') throw new DOMException('cancelled', 'AbortError');
    // Validation and test features of the fine-tuned backbone under every evaluation view: stage 1
    // scores them with its own head, stage 2 feeds them to the fusion head.
    const weights = await trainer.weights();
    const at = (name: string) => {
      const i = trainer.weightNames.indexOf(`${STAGE1_HEAD_LAYER}/${name}`);
      if (i < 0) throw new Error(`the stage-1 network has no ${STAGE1_HEAD_LAYER}/${name}`);
      return weights[i]!;
    };
    const imageHead = { kernel: at('kernel'), bias: at('bias') };
    const evalFeatures = {
      validation: await featureViews(split.validation),
      test: await timed('evaluate', () => featureViews(split.test)),
    };
    if (wanted.has('stage1_image') && !outcomes.some((o) => o.method === 'stage1_image')) {
      const evaluate = (feats: Float32Array[]) => {
        const dim = imageHead.kernel.length / classes;
        const probs = meanOf(feats.map((f) => denseSoftmax(f, dim, imageHead.kernel, imageHead.bias)));
        return toRowArrays(probs, classes);
      };
      const validation = evaluate(evalFeatures.validation);
      const test = evaluate(evalFeatures.test);
      await record({
        method: 'stage1_image',
        status: 'done',
        bestEpoch: stage1.bestEpoch,
        validation: classificationMetrics(Array.from(y(split.validation)), validation, classes),
        test: classificationMetrics(Array.from(y(split.test)), test, classes),
        probs: { validation, test },
        seconds: (performance.now() - t0) / 1000,
      });
    }

    // ---- stage 2 (proposed): frozen stage-1 backbone, fresh augmentation every batch ---------------
    if (wanted.has('proposed') && !outcomes.some((o) => o.method === 'proposed')) {
      const s2 = await timed('stage2', async () => {
        const tr = await inferRows(trainer, images, split.train, augmenters.evaluate, 'features', {
          signal: ctx.signal,
        });
        const dim = tr.dim;
        // The stage-1 classifier (dense kernel [dim, classes], bias) warm-starts the fusion head's
        // image columns.
        const single = (m: RunMethod) => {
          const h = outcomes.find((o) => o.method === m)?.head;
          return h ? rawLinearHead(h) : null;
        };
        // In the fusion columns' order; without a head for every fused block only the image
        // columns start warm.
        const others = [
          ...(modalities.notes ? [single('note_only')] : []),
          ...(modalities.metadata ? [single('metadata_only')] : []),
        ];
        const stage1Head = others.every((o) => o !== null)
          ? ensembleWarmStart(imageHead, others as NonNullable<(typeof others)[number]>[])
          : imageHead;
        const fusion = (rows: readonly number[], img: Float32Array) =>
          concatRows(rows, [
            { x: img, dim, row: (k: number) => k },
            ...(modalities.notes ? [modalities.notes] : []),
            ...(modalities.metadata ? [modalities.metadata] : []),
          ]);
        const trainSet: FeatureSet = {
          ...set(split.train, fusion(split.train, tr.rows)),
          fresh: async (positions, bctx) => {
            const rows = positions.map((p) => split.train[p]!);
            const batchIndex = Math.floor(bctx.offset / config.batchSize);
            const batch = augmentedBatch(
              images,
              rows,
              augmenters.train,
              batchSeed(seed, 200_000 + bctx.epoch, batchIndex),
            );
            const feats = await trainer.predict(batch.x, batch.shape, 'features');
            return fusion(rows, feats).x;
          },
        };
        return head(
          'proposed',
          {
            train: trainSet,
            validation: {
              ...set(split.validation, fusion(split.validation, evalFeatures.validation[0]!)),
              views: evalFeatures.validation.slice(1).map((v) => fusion(split.validation, v).x),
            },
            test: {
              ...set(split.test, fusion(split.test, evalFeatures.test[0]!)),
              views: evalFeatures.test.slice(1).map((v) => fusion(split.test, v).x),
            },
          },
          {
            epochs: config.stage2.epochs,
            lr: config.stage2.lr,
            kind: config.stage2.head,
            hidden: config.stage2.hidden,
            stage: 'stage2',
            warmStart: stage1Head,
          },
        );
      });
      await record(s2);
    }
  }
  const order = config.methods;
  outcomes.sort((a, b) => order.indexOf(a.method) - order.indexOf(b.method));
  return { outcomes, timing, notices };
};
