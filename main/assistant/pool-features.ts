import { selectBackend } from '../engine/backend/select-backend';
import type { AssistantPool } from './assistant-data';
import { featureCachePath, openFeatureCache } from './feature-cache';
import {
  cachedFeatures,
  createImageFeatureExtractor,
  featureKey,
  type ImageFeatureExtractor,
} from './image-features';

/** MobileNetV2's pooled feature width (checked against the backbone when it loads). */
export const MOBILENET_FEATURE_DIM = 1280;

/**
 * Raw pretrained features of every image of the pool (rows in pool order), through the
 * workspace's content-hash cache. The backbone is loaded only when some image is missing, so a
 * rerun on a cached dataset starts in milliseconds. Runs on the first available compute backend
 * (wasm here); call it off the app's main loop (the CLI, or the assistant's feature process).
 */
export const poolFeatureMatrix = async (
  pool: Pick<AssistantPool, 'rows'>,
  workspaceDir: string,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<{ x: Float32Array; dim: number }> => {
  const cache = await openFeatureCache(featureCachePath(workspaceDir, featureKey()), MOBILENET_FEATURE_DIM);
  let extractor: ImageFeatureExtractor | null = null;
  const lazy = {
    async extract(paths: readonly string[]) {
      if (!extractor) {
        const { tf } = await selectBackend({ order: ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] });
        extractor = await createImageFeatureExtractor(tf as never);
        if (extractor.dim !== MOBILENET_FEATURE_DIM)
          throw new Error(
            `backbone features have ${extractor.dim} values, expected ${MOBILENET_FEATURE_DIM}`,
          );
      }
      return extractor.extract(paths);
    },
  };
  try {
    const x = await cachedFeatures(lazy, cache, pool.rows, { onProgress, signal });
    return { x, dim: MOBILENET_FEATURE_DIM };
  } finally {
    (extractor as ImageFeatureExtractor | null)?.dispose();
  }
};
