import type { Augmenter } from '../augment/create-augmenter';
import { mixSeed } from '../../shared/random/seeded-random';
import { chunksOf, joinRows, predictPipelined } from './image-inference';
import { augmentedBatch, type RunImages } from './run-images';

/**
 * Test-time augmentation: validation and test images (and `sonofuse predict`) are scored as the
 * mean of the class probabilities of the clean image (view 0) and `views` views drawn once from the
 * training augmentation. View v uses the same seed for every image, and each image is augmented
 * alone, so an image's views do not depend on what else is in its batch: the exported model
 * reproduces the run's scores image by image.
 */
export const viewSeed = (seed: number, view: number): number => mixSeed(seed, 300_000 + view, 0);

/** A model-ready batch of view `view` (0: the clean evaluation pipeline). */
export const viewBatch = (
  images: RunImages,
  indices: readonly number[],
  augmenters: { train: Augmenter; evaluate: Augmenter },
  view: number,
  seed: number,
): { x: Float32Array; shape: number[] } => {
  if (view === 0) return augmentedBatch(images, indices, augmenters.evaluate, 0);
  const parts = indices.map((i) => augmentedBatch(images, [i], augmenters.train, viewSeed(seed, view)));
  const row = parts[0]?.x.length ?? 0;
  const x = new Float32Array(row * indices.length);
  parts.forEach((p, k) => x.set(p.x, k * row));
  return { x, shape: [indices.length, ...(parts[0]?.shape.slice(1) ?? [])] };
};

/**
 * Runs `predict` over the rows for view 0..views: one row-major array per view (`features` or
 * class probabilities), in chunks of `chunk` images, every view's chunks in one pipeline (the
 * next chunk is augmented while the current one is predicted, across views too).
 */
export const inferViews = async (
  predict: (x: Float32Array, shape: number[]) => Promise<Float32Array>,
  images: RunImages,
  rows: readonly number[],
  augmenters: { train: Augmenter; evaluate: Augmenter },
  opts: { views: number; seed: number; chunk?: number; signal?: AbortSignal },
): Promise<{ views: Float32Array[]; dim: number }> => {
  const slices = chunksOf(rows, opts.chunk);
  const views = Array.from({ length: opts.views + 1 }, (_, v) => v);
  const parts = await predictPipelined(
    predict,
    views.flatMap((v) => slices.map((slice) => () => viewBatch(images, slice, augmenters, v, opts.seed))),
    opts.signal,
  );
  const out = views.map((v) =>
    joinRows(parts.slice(v * slices.length, (v + 1) * slices.length), rows.length),
  );
  return { views: out.map((o) => o.rows), dim: out[0]?.dim ?? 0 };
};

/** Row-wise softmax of `x·kernel + bias` ([rows, dim] · [dim, classes]). */
export const denseSoftmax = (
  x: Float32Array,
  dim: number,
  kernel: Float32Array,
  bias: Float32Array,
): Float32Array => {
  const classes = bias.length;
  const rows = x.length / Math.max(1, dim);
  const out = new Float32Array(rows * classes);
  const z = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < classes; c++) z[c] = bias[c]!;
    for (let i = 0; i < dim; i++) {
      const v = x[r * dim + i]!;
      if (v === 0) continue;
      for (let c = 0; c < classes; c++) z[c]! += v * kernel[i * classes + c]!;
    }
    let m = -Infinity;
    for (let c = 0; c < classes; c++) m = Math.max(m, z[c]!);
    let s = 0;
    for (let c = 0; c < classes; c++) s += Math.exp(z[c]! - m);
    for (let c = 0; c < classes; c++) out[r * classes + c] = Math.exp(z[c]! - m) / s;
  }
  return out;
};

/** Element-wise mean of equally long arrays. */
export const meanOf = (arrays: readonly Float32Array[]): Float32Array => {
  const out = new Float32Array(arrays[0]?.length ?? 0);
  for (const a of arrays) for (let i = 0; i < out.length; i++) out[i]! += a[i]! / arrays.length;
  return out;
};
