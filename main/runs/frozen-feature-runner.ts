import { mixSeed } from '../../shared/random/seeded-random';
import { encodeCheckpoint, readCheckpoint, writeFileAtomic } from '../engine/train/checkpoint-file';
import { join } from 'node:path';
import type { FeatureSet } from './feature-head';
import { inferRows } from './image-inference';
import { findNearDuplicates, nearDuplicateNotice } from './near-duplicates';
import { concatRows } from './run-modalities';
import type { SeedBook, SeedContext } from './seed-context';
import { featureViews } from './stage1-runner';

/** Augmented views per training image for the frozen-pretrained-feature heads (plus the clean one). */
export const PRETRAINED_VIEWS = 2;

/**
 * The frozen-pretrained-feature heads: `linear_probe` (image features) and
 * `traditional_multimodal` (image ⊕ note ⊕ metadata). Features of the untouched pretrained
 * backbone are computed once per seed and cached (`pretrained-features.ckpt`: two augmented views
 * and the clean image of every training image, the clean image and test-time views of every
 * validation and test image); the heads train on them through the fit loop. Runs first, while
 * the trainer still holds the pretrained weights. The first seed also counts near-duplicates
 * across the split on the clean features.
 */
export const runFrozenFeatureHeads = async (ctx: SeedContext, book: SeedBook): Promise<void> => {
  const probe = await book.pending('linear_probe');
  const multimodal = await book.pending('traditional_multimodal');
  if (!probe && !multimodal) return;
  const { images, augmenters, trainer, modalities, seed } = ctx;
  const { split, config } = book;
  const featuresPath = join(ctx.dir, 'pretrained-features.ckpt');
  type Stored = { dim: number; views: number; evalViews?: number };
  const evalViews = config.evaluation.views;
  let stored = await readCheckpoint<Stored>(featuresPath);
  if (!stored) {
    stored = await book.timed('pretrained_features', async () => {
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
          seedOf: (c) => mixSeed(seed, 100_000 + v, c),
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
      const [val, test] = await book.timed('pretrained_eval_views', async () => [
        await featureViews(ctx, split.validation),
        await featureViews(ctx, split.test),
      ]);
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
  if (duplicates) book.notices.push(duplicates);
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
    ...book.set(rows, blocksFor(rows, feats[0]!, withFusion)),
    views: feats.slice(1).map((v) => blocksFor(rows, v, withFusion).x),
  });
  const headSets = (withFusion: boolean) => ({
    train: book.set(trainRows, blocksFor(trainRows, trainViews, withFusion)),
    validation: evalSet(split.validation, valViews, withFusion),
    test: evalSet(split.test, testViews, withFusion),
  });
  const headOpts = {
    epochs: config.heads.epochs,
    lr: config.heads.lr,
    kind: 'linear' as const,
    stage: 'heads' as const,
  };
  if (probe)
    await book.record(
      await book.timed('fit_linear_probe', () => book.head('linear_probe', headSets(false), headOpts)),
    );
  if (multimodal) {
    if (!modalities.notes && !modalities.metadata)
      await book.skip(
        'traditional_multimodal',
        'the dataset has neither notes nor metadata: it would equal the linear probe',
      );
    else
      await book.record(
        await book.timed('fit_traditional_multimodal', () =>
          book.head('traditional_multimodal', headSets(true), headOpts),
        ),
      );
  }
};
