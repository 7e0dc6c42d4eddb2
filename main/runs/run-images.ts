import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SourceFit } from '../../shared/augment/augment-config';
import type { Augmenter } from '../augment/create-augmenter';
import { detectSector, type RawImage, type SectorInfo } from '../augment/sector-detect';
import { prepareSourceImage } from '../augment/source-image';

/** The run's images decoded once into the augmenter's source frame, with their scan sectors. */
export interface RunImages {
  raw: RawImage[];
  sectors: SectorInfo[];
  /** Kept clean batches (see {@link withCleanBatchMemo}); absent: every batch is built anew. */
  memo?: CleanBatchMemo;
}

/** Model-ready batches of one deterministic pipeline, kept by the rows they hold. */
export interface CleanBatchMemo {
  /** The pipeline whose seed-0 batches are kept (the run's evaluation pipeline). */
  augmenter: Augmenter;
  /** Only batches whose rows are all in here are kept. */
  rows: ReadonlySet<number>;
  /** Kept bytes stop growing past this. */
  maxBytes: number;
  batches: Map<string, { x: Float32Array; shape: number[] }>;
  bytes: number;
  hits: number;
}

/**
 * The same images, with the clean (evaluation-pipeline, seed 0) batches of `rows` kept once built:
 * a run scores its validation images after every stage-1 epoch and scores validation and test
 * with two backbones, always in the same chunks, and the evaluation pipeline is deterministic, so
 * a kept batch is exactly the one it would build again. Batches are kept by their row list (the
 * same chunk gives the same batch) up to `maxBytes` (default 256 MiB). Callers must not write
 * into a batch they get (the trainers copy it).
 */
export const withCleanBatchMemo = (
  images: RunImages,
  augmenter: Augmenter,
  rows: Iterable<number>,
  maxBytes = 256 * 2 ** 20,
): RunImages => ({
  ...images,
  memo: { augmenter, rows: new Set(rows), maxBytes, batches: new Map(), bytes: 0, hits: 0 },
});

/**
 * Decodes every image (sharp, a few at a time) into the uniform source frame the augmenter starts
 * from, and detects each one's sector once; returns each file's SHA-256 too. A file that no
 * longer reads, or whose bytes differ from `expected` (the hashes a resumed run's first launch
 * recorded), fails the run with its image id (never its path or name: those may carry patient
 * data): a resumed run never silently trains on other pixels.
 */
export const prepareRunImages = async (
  items: ReadonlyArray<{ imageId: number; path: string }>,
  source: SourceFit,
  sectorThreshold: number,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
  expected?: ReadonlyMap<number, string>,
): Promise<RunImages & { hashes: Map<number, string> }> => {
  const hashes = new Map<number, string>();
  const raw: RawImage[] = new Array(items.length);
  const sectors: SectorInfo[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const i = next++;
      const item = items[i]!;
      let bytes: Buffer;
      try {
        bytes = await readFile(item.path);
        raw[i] = await prepareSourceImage(bytes, source);
      } catch (e) {
        throw new Error(`image ${item.imageId} could not be read (${(e as Error).message})`);
      }
      const hash = createHash('sha256').update(bytes).digest('hex');
      const want = expected?.get(item.imageId);
      if (want !== undefined && want !== hash)
        throw new Error(`image ${item.imageId} changed since the run started (its file's SHA-256 differs)`);
      hashes.set(item.imageId, hash);
      sectors[i] = detectSector(raw[i]!, { threshold: sectorThreshold });
      done++;
      onProgress?.(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { raw, sectors, hashes };
};

/**
 * One model-ready batch: the images at `indices` stacked, augmented with `seed` (the trainer's
 * `batchSeed(runSeed, epoch, batchIndex)`) and normalised, as a float32 NHWC array.
 */
export const augmentedBatch = (
  images: RunImages,
  indices: readonly number[],
  augmenter: Augmenter,
  seed: number,
): { x: Float32Array; shape: number[] } => {
  const memo = images.memo;
  if (!memo || memo.augmenter !== augmenter || seed !== 0 || !indices.every((i) => memo.rows.has(i)))
    return buildBatch(images, indices, augmenter, seed);
  const key = indices.join(',');
  const kept = memo.batches.get(key);
  if (kept) {
    memo.hits++;
    return kept;
  }
  const batch = buildBatch(images, indices, augmenter, seed);
  if (memo.bytes + batch.x.byteLength <= memo.maxBytes) {
    memo.batches.set(key, batch);
    memo.bytes += batch.x.byteLength;
  }
  return batch;
};

const buildBatch = (
  images: RunImages,
  indices: readonly number[],
  augmenter: Augmenter,
  seed: number,
): { x: Float32Array; shape: number[] } => {
  const first = images.raw[indices[0]!]!;
  const { width, height, channels } = first;
  const n = width * height * channels;
  const stacked = new Float32Array(indices.length * n);
  indices.forEach((idx, b) => {
    const src = images.raw[idx]!.data;
    const o = b * n;
    for (let i = 0; i < n; i++) stacked[o + i] = src[i]! / 255;
  });
  const input = tf.tensor4d(stacked, [indices.length, height, width, channels]);
  const out = augmenter.augment(input, { seed, sectors: indices.map((i) => images.sectors[i]!) });
  input.dispose();
  const x = out.images.dataSync() as Float32Array;
  const shape = out.images.shape.slice();
  out.images.dispose();
  return { x, shape };
};

/** One-hot rows for class indices. */
export const oneHot = (labels: readonly number[], classes: number): Float32Array => {
  const y = new Float32Array(labels.length * classes);
  labels.forEach((l, i) => (y[i * classes + l] = 1));
  return y;
};
