import type { RunMethod } from '../../shared/run/run-config';
import { mixSeed } from '../../shared/random/seeded-random';
import { rawLinearHead, type FeatureSet } from './feature-head';
import { inferRows } from './image-inference';
import { concatRows } from './run-modalities';
import { createBatchPrefetcher } from './batch-prefetch';
import { augmentedBatch } from './run-images';
import type { SeedBook, SeedContext } from './seed-context';
import type { Stage1Output } from './stage1-runner';

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

/** Stream id that keeps stage 2's augmentation apart from stage 1's (same shuffle and batch seeds). */
const STAGE2_STREAM = 2;

/**
 * Stage 2 (`proposed`): the fusion head on the frozen stage-1 backbone's image features ⊕ note
 * embedding ⊕ metadata encoding, trained through the fit loop with the image features of freshly
 * augmented training images every batch (seeded per batch by the fit loop), started from the
 * single-modality experts' ensemble (kept unless an epoch beats it on validation).
 */
export const runStage2 = async (ctx: SeedContext, book: SeedBook, stage1: Stage1Output): Promise<void> => {
  if (!(await book.pending('proposed'))) return;
  const { trainer, images, augmenters, modalities } = ctx;
  const { split, config } = book;
  const { imageHead, evalFeatures } = stage1;
  const outcome = await book.timed('fit_proposed', async () => {
    const tr = await book.timed('stage2_clean_features', () =>
      inferRows(trainer, images, split.train, augmenters.evaluate, 'features', { signal: ctx.signal }),
    );
    const dim = tr.dim;
    const single = (m: RunMethod) => {
      const h = book.outcomes.find((o) => o.method === m)?.head;
      return h ? rawLinearHead(h) : null;
    };
    // In the fusion columns' order; without a head for every fused block only the image columns
    // start warm (from the stage-1 classifier).
    const others = [
      ...(modalities.notes ? [single('note_only')] : []),
      ...(modalities.metadata ? [single('metadata_only')] : []),
    ];
    const warmStart = others.every((o) => o !== null)
      ? ensembleWarmStart(imageHead, others as NonNullable<(typeof others)[number]>[])
      : imageHead;
    const fusion = (rows: readonly number[], img: Float32Array) =>
      concatRows(rows, [
        { x: img, dim, row: (k: number) => k },
        ...(modalities.notes ? [modalities.notes] : []),
        ...(modalities.metadata ? [modalities.metadata] : []),
      ]);
    const batches = createBatchPrefetcher((positions, bctx) =>
      augmentedBatch(
        images,
        positions.map((p) => split.train[p]!),
        augmenters.train,
        mixSeed(bctx.seed, STAGE2_STREAM),
      ),
    );
    const trainSet: FeatureSet = {
      ...book.set(split.train, fusion(split.train, tr.rows)),
      // Augmented with stage 2's stream of the fit loop's batch seed: the same after a resume,
      // different for the two halves of a batch split after out-of-memory.
      fresh: (positions, bctx) =>
        book.timed('stage2_fresh_features', async () => {
          const rows = positions.map((p) => split.train[p]!);
          const batch = batches.take(positions, bctx);
          const feats = await trainer.predict(batch.x, batch.shape, 'features');
          return fusion(rows, feats).x;
        }),
      // The next batch is augmented while the replicas compute this one's features.
      prefetch: (positions, bctx) => batches.prefetch(positions, bctx),
    };
    const evalSet = (rows: readonly number[], feats: Float32Array[]): FeatureSet => ({
      ...book.set(rows, fusion(rows, feats[0]!)),
      views: feats.slice(1).map((v) => fusion(rows, v).x),
    });
    return book.head(
      'proposed',
      {
        train: trainSet,
        validation: evalSet(split.validation, evalFeatures.validation),
        test: evalSet(split.test, evalFeatures.test),
      },
      {
        epochs: config.stage2.epochs,
        lr: config.stage2.lr,
        kind: config.stage2.head,
        hidden: config.stage2.hidden,
        stage: 'stage2',
        warmStart,
      },
    );
  });
  await book.record(outcome);
};
