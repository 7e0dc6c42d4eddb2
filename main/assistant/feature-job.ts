import { z } from 'zod';
import { defineJobKind } from '../engine/trainer/job-registry';
import { openFeatureCache } from './feature-cache';
import { cachedFeatures, createImageFeatureExtractor } from './image-features';
import { MOBILENET_FEATURE_DIM } from './pool-features';

/** Config of the `assistant-features` trainer job: images to extract into the workspace cache. */
export const AssistantFeaturesConfig = z.object({
  cachePath: z.string().min(1),
  items: z.array(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), path: z.string().min(1) })),
});
export type AssistantFeaturesConfig = z.infer<typeof AssistantFeaturesConfig>;

/**
 * Feature extraction for the labeling assistant, in the trainer process (never on the app's
 * main loop): the frozen MobileNetV2 over every image missing from the content-hash cache, saving
 * the cache after each chunk, so a cancel or crash keeps what was done. Result: `{ extracted }`.
 */
export const assistantFeaturesJob = defineJobKind<AssistantFeaturesConfig>({
  kind: 'assistant-features',
  config: AssistantFeaturesConfig,
  async run(config, ctx) {
    const cache = await openFeatureCache(config.cachePath, MOBILENET_FEATURE_DIM);
    const before = cache.size();
    const extractor = await createImageFeatureExtractor(ctx.tf as never);
    const started = Date.now();
    try {
      await cachedFeatures(extractor, cache, config.items, {
        chunk: 32,
        signal: ctx.signal,
        onProgress: (done, total) =>
          ctx.progress({
            stage: 'features',
            epoch: 0,
            epochs: 1,
            batch: done,
            batchesPerEpoch: total,
            loss: 0,
            imagesPerSecond: (cache.size() - before) / Math.max(0.001, (Date.now() - started) / 1000),
            etaSeconds: null,
          }),
      });
    } catch (e) {
      if (ctx.signal.aborted) return { status: 'cancelled', checkpointPath: null };
      throw e;
    } finally {
      extractor.dispose();
    }
    return { status: 'completed', result: { extracted: cache.size() - before } };
  },
});
