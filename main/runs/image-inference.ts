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

/**
 * `predict` over `indices` in chunks of `chunk` (default 32), each chunk made by `batchOf(slice,
 * chunkIndex)`; the output rows in order with their width.
 */
export const inferChunks = async (
  predict: (x: Float32Array, shape: number[]) => Promise<Float32Array>,
  batchOf: (slice: number[], chunk: number) => { x: Float32Array; shape: number[] },
  indices: readonly number[],
  options: { chunk?: number; signal?: AbortSignal } = {},
): Promise<{ rows: Float32Array; dim: number }> => {
  const chunk = options.chunk ?? 32;
  const parts: Float32Array[] = [];
  let dim = 0;
  for (let start = 0, c = 0; start < indices.length; start += chunk, c++) {
    options.signal?.throwIfAborted();
    const slice = indices.slice(start, start + chunk);
    const batch = batchOf(slice, c);
    const out = await predict(batch.x, batch.shape);
    dim = out.length / slice.length;
    parts.push(out);
  }
  const rows = new Float32Array(indices.length * dim);
  let off = 0;
  for (const p of parts) {
    rows.set(p, off);
    off += p.length;
  }
  return { rows, dim };
};

/** Float32 rows → number[][] (what metrics and the catalog take). */
export const toRowArrays = (rows: Float32Array, dim: number): number[][] =>
  Array.from({ length: rows.length / Math.max(1, dim) }, (_, r) =>
    Array.from(rows.subarray(r * dim, (r + 1) * dim)),
  );
