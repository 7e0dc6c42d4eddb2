import type * as tfType from '@tensorflow/tfjs';
import { AugmentConfig } from '../../shared/augment/augment-config';
import { buildPreset } from '../../shared/augment/augment-presets';
import { createAugmenter } from '../augment/create-augmenter';
import { createImageBackbone } from '../engine/encoders/image-backbone';
import { inferChunks } from '../runs/image-inference';
import { backboneNormalize } from '../runs/run-augmenters';
import { augmentedBatch, prepareRunImages } from '../runs/run-images';
import type { FeatureCache } from './feature-cache';

type Tf = typeof tfType;

/** Input side of the assistant's feature extractor: 160 px runs ~2× faster than 224 on wasm. */
export const ASSISTANT_INPUT_SIZE = 160;

/** The cache key of the assistant's features (backbone and input side). */
export const featureKey = (inputSize = ASSISTANT_INPUT_SIZE): string => `nsfwjs-mobilenetv2-${inputSize}`;

export interface ImageFeatureExtractor {
  readonly dim: number;
  readonly key: string;
  /** Pooled pretrained features of image files, rows in order. */
  extract(paths: readonly string[]): Promise<Float32Array>;
  dispose(): void;
}

/**
 * The frozen pretrained MobileNetV2 (the runs' own backbone) in inference mode behind the runs'
 * evaluation preprocessing (source frame, sector detection, resize + normalise, no random draws):
 * the same clean features the linear-probe baseline starts from.
 */
export const createImageFeatureExtractor = async (
  tf: Tf,
  inputSize = ASSISTANT_INPUT_SIZE,
): Promise<ImageFeatureExtractor> => {
  const backbone = await createImageBackbone({ tf, inputSize, trainable: false });
  const normalize = backboneNormalize(backbone.manifest);
  const source = { size: Math.round((inputSize * 8) / 7), fit: 'contain' as const, grayscale: true };
  const config = AugmentConfig.parse({
    ...buildPreset('none', { outputSize: inputSize, normalize }),
    source,
    outputSize: inputSize,
    normalize,
    outputChannels: 3,
  });
  const augmenter = createAugmenter(config);
  return {
    dim: backbone.featureDim,
    key: featureKey(inputSize),
    async extract(paths) {
      if (paths.length === 0) return new Float32Array(0);
      const images = await prepareRunImages(
        paths.map((path, i) => ({ imageId: i, path })),
        config.source,
        config.sector.threshold,
      );
      const out = await inferChunks(
        async (x, shape) => {
          const input = tf.tensor4d(x, shape as [number, number, number, number]);
          try {
            const y = backbone.model.predict(input) as tfType.Tensor;
            try {
              return (await y.data()) as Float32Array;
            } finally {
              y.dispose();
            }
          } finally {
            input.dispose();
          }
        },
        (slice) => augmentedBatch(images, slice, augmenter, 0),
        paths.map((_, i) => i),
        { chunk: 16 },
      );
      return out.rows;
    },
    dispose: () => backbone.dispose(),
  };
};

/**
 * Features of `items` through `cache`: only images whose content hash is missing are extracted,
 * in chunks, saving the cache after each so an interrupted extraction resumes where it stopped.
 */
export const cachedFeatures = async (
  extractor: Pick<ImageFeatureExtractor, 'extract'>,
  cache: FeatureCache,
  items: ReadonlyArray<{ sha256: string; path: string }>,
  options: { chunk?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<Float32Array> => {
  const missing = [...new Map(items.filter((i) => !cache.has(i.sha256)).map((i) => [i.sha256, i])).values()];
  const chunk = options.chunk ?? 64;
  const total = items.length;
  let done = total - missing.length;
  options.onProgress?.(done, total);
  for (let s = 0; s < missing.length; s += chunk) {
    options.signal?.throwIfAborted();
    const part = missing.slice(s, s + chunk);
    const rows = await extractor.extract(part.map((p) => p.path));
    part.forEach((p, i) => cache.set(p.sha256, rows.slice(i * cache.dim, (i + 1) * cache.dim)));
    await cache.save();
    done += part.length;
    options.onProgress?.(done, total);
  }
  const out = new Float32Array(items.length * cache.dim);
  items.forEach((it, i) => out.set(cache.get(it.sha256)!, i * cache.dim));
  return out;
};
