import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { meanAndSpread } from '../../shared/metrics/classification-metrics';
import type { MethodResult } from '../../shared/run/run-result';
import type { RunMethod } from '../../shared/run/run-config';
import { builtinBackboneManifest } from '../engine/encoders/image-backbone';
import { readBackboneManifest } from '../engine/encoders/image-backbone-manifest';
import { createTextEncoder } from '../engine/encoders/text-encoder';
import { encodeCheckpoint, readCheckpoint, writeFileAtomic } from '../engine/train/checkpoint-file';
import type { FitState } from '../engine/train/fit-loop';
import { defineJobKind, type JobContext } from '../engine/trainer/job-registry';
import { preferredBuiltKernels } from '../engine/wasm/build-kernels';
import { defaultWasmReplicas } from '../engine/wasm/data-parallel-trainer';
import { createLocalImageTrainer, createParallelImageTrainer, type ImageTrainer } from './image-trainer';
import { createRunAugmenters } from './run-augmenters';
import { RunManifest } from './run-manifest';
import { encodeModalities, type Modalities } from './run-modalities';
import { prepareRunImages, withCleanBatchMemo } from './run-images';
import type { PredictionRow, RunJobResult } from './run-job-result';
import type { MethodOutcome } from './seed-context';
import { trainSeedMethods } from './seed-methods';
import { exportRunModel } from './model-export';
import { createPhaseTimer } from './phase-timer';

export const TwoStageJobConfig = z.object({
  /** The run folder's manifest.json, written by the main process. */
  manifestPath: z.string().min(1),
  /** Data-parallel replica threads on wasm (default: min(cores, 4)). */
  replicas: z.number().int().min(1).max(16).optional(),
});

/** The kernel build the replicas load: the relaxed-SIMD one when built and runnable, else plain SIMD. */
const wasmKernels = () =>
  preferredBuiltKernels(join(process.cwd(), 'out', 'kernels', 'sonofuse-kernels.wasm'));

const notesCache = async (runDir: string, compute: () => Promise<Modalities>): Promise<Modalities> => {
  const path = join(runDir, 'modalities.ckpt');
  type State = { notesDim: number | null; metaDim: number | null; metaState: unknown };
  const stored = await readCheckpoint<State>(path);
  if (stored) {
    const a = stored.arrays;
    return {
      notes: stored.state.notesDim
        ? { x: a.notes![0]!.data as Float32Array, dim: stored.state.notesDim }
        : null,
      metadata: stored.state.metaDim
        ? {
            x: a.meta![0]!.data as Float32Array,
            dim: stored.state.metaDim,
            state: stored.state.metaState as never,
          }
        : null,
    };
  }
  const m = await compute();
  const arr = (name: string, data: Float32Array) => [
    { name, shape: [data.length], dtype: 'float32' as const, data },
  ];
  await writeFileAtomic(
    path,
    encodeCheckpoint({
      state: {
        notesDim: m.notes?.dim ?? null,
        metaDim: m.metadata?.dim ?? null,
        metaState: m.metadata?.state ?? null,
      },
      arrays: {
        ...(m.notes ? { notes: arr('notes', m.notes.x) } : {}),
        ...(m.metadata ? { meta: arr('meta', m.metadata.x) } : {}),
      },
    }),
  );
  return m;
};

/** Mean ± spread over seeds, the first seed's full metrics as the headline. */
const aggregate = (perSeed: MethodOutcome[][], method: RunMethod): MethodResult | null => {
  const runs = perSeed
    .map((o) => o.find((x) => x.method === method))
    .filter((x) => x?.status === 'done') as MethodOutcome[];
  if (runs.length === 0) return null;
  const first = runs[0]!;
  const spread = (f: (o: MethodOutcome) => number) => meanAndSpread(runs.map(f));
  return {
    validation: first.validation!,
    test: first.test!,
    bestEpoch: first.bestEpoch,
    seedSpread:
      runs.length > 1
        ? {
            accuracy: spread((o) => o.test!.accuracy),
            macroF1: spread((o) => o.test!.macroF1),
            balancedAccuracy: spread((o) => o.test!.balancedAccuracy),
          }
        : null,
  };
};

/**
 * The two-stage run as a trainer job: reads the manifest, decodes the images once, encodes notes
 * and metadata once, then for each seed builds a fresh pretrained network (wasm: data-parallel
 * replicas; other backends: this thread) and runs every method (seed-methods.ts). Writes the first
 * seed's per-image probabilities to predictions.json and returns metrics, timings and backend.
 */
export const runTwoStageJob = async (
  config: z.infer<typeof TwoStageJobConfig>,
  ctx: Pick<JobContext, 'tf' | 'backend' | 'runDir' | 'signal' | 'progress' | 'log'>,
): Promise<
  { status: 'completed'; result: RunJobResult } | { status: 'cancelled'; checkpointPath: string | null }
> => {
  const t0 = performance.now();
  const manifest = RunManifest.parse(JSON.parse(await readFile(config.manifestPath, 'utf8')));
  const run = manifest.config;
  const imageChoice = run.encoders.image;
  const backboneManifest =
    imageChoice.kind === 'builtin' ? builtinBackboneManifest() : await readBackboneManifest(imageChoice.path);
  const augmenters = createRunAugmenters(run, backboneManifest);
  const timer = createPhaseTimer();

  try {
    // The first launch records every file's hash; a resume refuses files that changed since.
    const hashesPath = join(ctx.runDir, 'image-hashes.json');
    const recorded = existsSync(hashesPath)
      ? new Map<number, string>(JSON.parse(await readFile(hashesPath, 'utf8')) as Array<[number, string]>)
      : undefined;
    const decoded = await timer.timed('decode', () =>
      prepareRunImages(
        manifest.items,
        augmenters.source,
        augmenters.threshold,
        (done, total) =>
          ctx.progress({
            stage: 'prepare',
            epoch: 0,
            epochs: 1,
            batch: done,
            batchesPerEpoch: total,
            loss: 0,
            imagesPerSecond: 0,
            etaSeconds: null,
          }),
        ctx.signal,
        recorded,
      ),
    );
    if (!recorded) await writeFileAtomic(hashesPath, Buffer.from(JSON.stringify([...decoded.hashes])));
    // Validation and test are scored in the same clean chunks many times (stage 1's every epoch,
    // both backbones' evaluation views): their clean batches are built once.
    const images = withCleanBatchMemo(
      decoded,
      augmenters.evaluate,
      manifest.items.flatMap((it, i) => (it.part === 'train' ? [] : [i])),
    );
    const text = run.encoders.text;
    const modalities = await timer.timed('encodings', () =>
      notesCache(ctx.runDir, async () => {
        const encoder =
          text.kind === 'none'
            ? null
            : await createTextEncoder(
                text.kind === 'use-lite'
                  ? { kind: 'use-lite', tf: ctx.tf }
                  : { kind: 'hf-local', folder: text.folder },
              );
        try {
          return await encodeModalities(manifest, encoder);
        } finally {
          encoder?.dispose();
        }
      }),
    );

    const replicas = config.replicas ?? defaultWasmReplicas();
    const kernels = wasmKernels();
    const parallel = ctx.backend === 'wasm' && replicas > 1 && existsSync(kernels);
    const model = {
      source: imageChoice.kind === 'builtin' ? ('nsfwjs-mobilenetv2' as const) : { folder: imageChoice.path },
      inputSize: run.imageSize,
      classes: manifest.classes.length,
      seed: run.seed,
    };
    const optimizer =
      run.stage1.optimizer === 'adam'
        ? ({ type: 'adam', learningRate: run.stage1.lr } as const)
        : ({ type: 'sgd', learningRate: run.stage1.lr, momentum: run.stage1.momentum } as const);
    let description = '';
    let modelDir: string | null = null;
    /** The first seed's stage-1 network and fusion head, for `sonofuse predict`. */
    const exportModel = async (outcomes: MethodOutcome[], seed: number): Promise<string | null> => {
      const stage1 = outcomes.find((o) => o.method === 'stage1_image' && o.status === 'done');
      const proposed = outcomes.find((o) => o.method === 'proposed' && o.status === 'done');
      if (!stage1 && !proposed) return null;
      const dir = join(ctx.runDir, 'model');
      const noteDim = modalities.notes?.dim ?? 0;
      const metadataDim = modalities.metadata?.dim ?? 0;
      await timer.timed('export', () =>
        exportRunModel(ctx.tf, {
          dir,
          stage1Checkpoint: join(ctx.runDir, `seed-${seed}`, 'stage1', 'best.ckpt'),
          model: { ...model, seed },
          backbone: backboneManifest,
          preprocessing: augmenters.evaluate.config,
          evaluation: { views: run.evaluation.views, seed, augmentation: augmenters.train.config },
          metadataEncoder: modalities.metadata?.state ?? null,
          manifest: {
            runId: manifest.runId,
            dataset: run.dataset,
            classes: manifest.classes,
            imageSize: run.imageSize,
            textEncoder: noteDim > 0 ? run.encoders.text.kind : 'none',
            fusion: proposed?.head
              ? {
                  imageDim: proposed.head.sizes[0]! - noteDim - metadataDim,
                  noteDim,
                  metadataDim,
                  head: proposed.head,
                }
              : null,
            metrics: Object.fromEntries(
              outcomes
                .filter((o) => o.status === 'done')
                .map((o) => [o.method, { validation: o.validation!, test: o.test! }]),
            ),
          },
        }),
      );
      return dir;
    };
    const perSeed: MethodOutcome[][] = [];
    const notices: string[] = [];
    const stage1History: RunJobResult['stage1History'] = [];
    for (let k = 0; k < run.seeds; k++) {
      const seed = run.seed + k;
      const trainer: ImageTrainer = await timer.timed('replicas', () =>
        parallel
          ? createParallelImageTrainer({ model: { ...model, seed }, optimizer, wasmPath: kernels, replicas })
          : createLocalImageTrainer(ctx.tf, { model: { ...model, seed }, optimizer }),
      );
      description = trainer.description;
      try {
        const { outcomes, notices: n } = await trainSeedMethods({
          tf: ctx.tf,
          manifest,
          images,
          modalities,
          trainer,
          augmenters,
          seed,
          dir: join(ctx.runDir, `seed-${seed}`),
          checkSplit: k === 0,
          timer,
          signal: ctx.signal,
          progress: ctx.progress,
          log: (m) => ctx.log('info', m),
        });
        perSeed.push(outcomes);
        notices.push(...n);
        if (k === 0) modelDir = await exportModel(outcomes, seed);
        // The fit loop's history (0-based epochs) in stage 1's latest checkpoint.
        const history = await readCheckpoint<FitState>(
          join(ctx.runDir, `seed-${seed}`, 'stage1', 'latest.ckpt'),
        );
        stage1History.push({
          seed,
          epochs: (history?.state.history ?? []).map((e) => ({
            epoch: e.epoch + 1,
            validationAccuracy: e.valAccuracy ?? 0,
            trainLoss: e.loss,
          })),
        });
      } finally {
        await trainer.dispose();
      }
    }

    const methods: RunJobResult['methods'] = {};
    const skipped: RunJobResult['skipped'] = {};
    for (const method of run.methods) {
      const result = aggregate(perSeed, method);
      if (result) methods[method] = result;
      const skip = perSeed[0]!.find((o) => o.method === method && o.status === 'skipped');
      if (skip) skipped[method] = skip.reason ?? 'skipped';
    }
    const splitOf = (part: 'validation' | 'test') =>
      manifest.items.filter((i) => i.part === part).map((i) => i.imageId);
    const ids = { validation: splitOf('validation'), test: splitOf('test') };
    const predictions: PredictionRow[] = [];
    for (const o of perSeed[0]!) {
      if (o.status !== 'done' || !o.probs) continue;
      for (const part of ['validation', 'test'] as const)
        o.probs[part].forEach((probs, i) =>
          predictions.push({
            imageId: ids[part][i]!,
            method: o.method,
            split: part,
            probs: probs.map((p) => Math.round(p * 1e6) / 1e6),
          }),
        );
    }
    const predictionsFile = join(ctx.runDir, 'predictions.json');
    await writeFileAtomic(predictionsFile, Buffer.from(JSON.stringify(predictions)));
    const timing: Record<string, number> = { ...timer.seconds };
    const total = (performance.now() - t0) / 1000;
    timing.other = Math.max(0, total - Object.values(timing).reduce((a, b) => a + b, 0));
    timing.total = total;
    return {
      status: 'completed',
      result: {
        backend: `${ctx.backend} (${description})`,
        methods,
        skipped,
        timing,
        predictionsFile,
        stage1History,
        modelDir,
        notices,
      },
    };
  } catch (e) {
    if (ctx.signal.aborted) return { status: 'cancelled', checkpointPath: ctx.runDir };
    throw e;
  }
};

/** The job kind the trainer process registers. */
export const twoStageJob = defineJobKind({
  kind: 'two-stage-run',
  config: TwoStageJobConfig,
  run: (config, ctx) => runTwoStageJob(config, ctx),
});
