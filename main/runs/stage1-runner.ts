import { join } from 'node:path';
import { classificationMetrics } from '../../shared/metrics/classification-metrics';
import { denseSoftmax, inferViews, meanOf } from './evaluation-views';
import { toRowArrays } from './image-inference';
import type { SeedBook, SeedContext } from './seed-context';
import { fineTuneStage1 } from './stage1-finetune';
import { STAGE1_HEAD_LAYER } from './stage1-model';

/** Features of the clean image and every test-time view, with the trainer's current weights. */
export const featureViews = async (ctx: SeedContext, rows: readonly number[]): Promise<Float32Array[]> =>
  (
    await inferViews(
      (x, shape) => ctx.trainer.predict(x, shape, 'features'),
      ctx.images,
      rows,
      ctx.augmenters,
      {
        views: ctx.manifest.config.evaluation.views,
        seed: ctx.seed,
        signal: ctx.signal,
      },
    )
  ).views;

/** What stage 1 hands to stage 2: its classifier and the evaluation features of its backbone. */
export interface Stage1Output {
  imageHead: { kernel: Float32Array; bias: Float32Array };
  /** Clean + test-time views of every validation and test image. */
  evalFeatures: { validation: Float32Array[]; test: Float32Array[] };
}

/**
 * Stage 1 (`stage1_image`): fine-tunes the whole backbone with its new head through the fit loop
 * (stage1-finetune.ts; checkpoints in `stage1/`), then scores validation and test with its own
 * head over the test-time views. Runs when stage 1 or stage 2 still needs the fine-tuned
 * backbone (stage 2 is only ever trained on top of it) and returns it for stage 2; null when
 * neither is pending.
 */
export const runStage1 = async (ctx: SeedContext, book: SeedBook): Promise<Stage1Output | null> => {
  const stage1 = await book.pending('stage1_image');
  const proposed = await book.pending('proposed');
  if (!stage1 && !proposed) return null;
  const { trainer, seed } = ctx;
  const { split, config, classes, y } = book;
  const t0 = performance.now();
  const result = await book.timed('stage1_train', () =>
    fineTuneStage1(
      trainer,
      ctx.images,
      { train: split.train, validation: split.validation, labels: book.labels },
      ctx.augmenters,
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
        timeValidation: (f) => book.timed('stage1_validate', f),
        // The loop counts epochs from 0; runs report them from 1.
        onProgress: (p) =>
          ctx.progress({ ...p, epoch: p.epoch + 1, stage: 'stage1', method: 'stage1_image', seed }),
        onRestart: (why) => ctx.log(`seed ${seed}: ${why}`),
        onBatchRetry: (from, to) =>
          ctx.log(`seed ${seed} stage 1: out of memory at ${from} images per step; continuing with ${to}`),
        onEpoch: (e) => {
          if (!e.replayed)
            ctx.log(
              `seed ${seed} stage 1 epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, validation accuracy ${e.validationAccuracy.toFixed(4)} (${e.seconds.toFixed(1)} s)`,
            );
          book.epochEnd('stage1', 'stage1_image', config.stage1.epochs, {
            epoch: e.epoch - 1,
            loss: e.trainLoss,
            valLoss: e.validationLoss,
            valAccuracy: e.validationAccuracy,
            batchSize: config.batchSize,
          });
        },
      },
    ),
  );
  if (result.status === 'cancelled') throw new DOMException('cancelled', 'AbortError');
  // Validation and test features of the fine-tuned backbone under every evaluation view: stage 1
  // scores them with its own head, stage 2 feeds them to the fusion head.
  const weights = await trainer.weights();
  const at = (name: string) => {
    const i = trainer.weightNames.indexOf(`${STAGE1_HEAD_LAYER}/${name}`);
    if (i < 0) throw new Error(`the stage-1 network has no ${STAGE1_HEAD_LAYER}/${name}`);
    return weights[i]!;
  };
  const imageHead = { kernel: at('kernel'), bias: at('bias') };
  const evalFeatures = await book.timed('stage1_eval_views', async () => ({
    validation: await featureViews(ctx, split.validation),
    test: await featureViews(ctx, split.test),
  }));
  if (stage1) {
    const evaluate = (feats: Float32Array[]) => {
      const dim = imageHead.kernel.length / classes;
      const probs = meanOf(feats.map((f) => denseSoftmax(f, dim, imageHead.kernel, imageHead.bias)));
      return toRowArrays(probs, classes);
    };
    const validation = evaluate(evalFeatures.validation);
    const test = evaluate(evalFeatures.test);
    await book.record({
      method: 'stage1_image',
      status: 'done',
      bestEpoch: result.bestEpoch,
      validation: classificationMetrics(Array.from(y(split.validation)), validation, classes),
      test: classificationMetrics(Array.from(y(split.test)), test, classes),
      probs: { validation, test },
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return { imageHead, evalFeatures };
};
