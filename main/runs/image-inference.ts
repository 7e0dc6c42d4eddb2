import type { Augmenter } from '../augment/create-augmenter';
import type { ImageTrainer } from './image-trainer';
import { augmentedBatch, type RunImages } from './run-images';

/**
 * Runs the trainer's network in inference mode over `indices` in chunks and returns the rows in
 * order: class probabilities (`model`) or pooled backbone features (`features`). `seedOf(chunk)`
 * gives each chunk's augmentation seed (evaluation uses the `none` preset: resize + normalise).
 */
export const inferRows = async (
  trainer: ImageTrainer,
  images: RunImages,
  indices: readonly number[],
  augmenter: Augmenter,
  output: 'model' | 'features',
  options: { chunk?: number; seedOf?: (chunk: number) => number; signal?: AbortSignal } = {},
): Promise<{ rows: Float32Array; dim: number }> =>
  inferChunks(
    (x, shape) => trainer.predict(x, shape, output),
    (slice, c) => augmentedBatch(images, slice, augmenter, options.seedOf?.(c) ?? 0),
    indices,
    options,
  );

/** Builds one model-ready batch. */
export type BatchBuild = () => { x: Float32Array; shape: number[] };

/**
 * Predicts `jobs` in order, building job k + 1 while job k is being predicted (the replica
 * threads compute while this thread augments); one output array per job. The same batches and
 * the same outputs as building each right before its prediction, only sooner.
 */
export const predictPipelined = async (
  predict: (x: Float32Array, shape: number[]) => Promise<Float32Array>,
  jobs: readonly BatchBuild[],
  signal?: AbortSignal,
): Promise<Float32Array[]> => {
  const outs: Float32Array[] = [];
  signal?.throwIfAborted();
  let next = jobs.length > 0 ? jobs[0]!() : null;
  for (let k = 0; k < jobs.length; k++) {
    const batch = next!;
    const pending = predict(batch.x, batch.shape);
    // A rejected prediction is awaited below; building the next batch must not hide it.
    pending.catch(() => undefined);
    next = k + 1 < jobs.length ? jobs[k + 1]!() : null;
    outs.push(await pending);
    if (k + 1 < jobs.length) signal?.throwIfAborted();
  }
  return outs;
};

/** Concatenates per-chunk outputs into one row-major array and its row width. */
export const joinRows = (
  parts: readonly Float32Array[],
  rows: number,
): { rows: Float32Array; dim: number } => {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float32Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return { rows: out, dim: rows > 0 ? total / rows : 0 };
};

/** The chunks of `indices`: slices of `chunk` rows in order. */
export const chunksOf = (indices: readonly number[], chunk = 32): number[][] => {
  const out: number[][] = [];
  for (let start = 0; start < indices.length; start += chunk) out.push(indices.slice(start, start + chunk));
  return out;
};

/**
 * `predict` over `indices` in chunks of `chunk` (default 32), each chunk made by `batchOf(slice,
 * chunkIndex)` (the next one while the current one is predicted); the output rows in order with
 * their width.
 */
export const inferChunks = async (
  predict: (x: Float32Array, shape: number[]) => Promise<Float32Array>,
  batchOf: (slice: number[], chunk: number) => { x: Float32Array; shape: number[] },
  indices: readonly number[],
  options: { chunk?: number; signal?: AbortSignal } = {},
): Promise<{ rows: Float32Array; dim: number }> => {
  const slices = chunksOf(indices, options.chunk);
  const parts = await predictPipelined(
    predict,
    slices.map((slice, c) => () => batchOf(slice, c)),
    options.signal,
  );
  return joinRows(parts, indices.length);
};

/** Float32 rows → number[][] (what metrics and the catalog take). */
export const toRowArrays = (rows: Float32Array, dim: number): number[][] =>
  Array.from({ length: rows.length / Math.max(1, dim) }, (_, r) =>
    Array.from(rows.subarray(r * dim, (r + 1) * dim)),
  );
