import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createTrainerSupervisor, type TrainerSupervisor } from '../engine/trainer/trainer-supervisor';
import { mkdirPrivate } from '../security/private-files';
import type { FeatureSource } from './assistant-service';
import { featureCachePath, openFeatureCache } from './feature-cache';
import { featureKey } from './image-features';
import { MOBILENET_FEATURE_DIM } from './pool-features';

/**
 * The app's feature source: images missing from the workspace cache are extracted by an
 * `assistant-features` job in a trainer process (off the main loop; its progress is relayed),
 * then every row is read from the cache file. A cached dataset starts no process at all.
 */
export const trainerFeatureSource = (options: {
  workspaceDir: string;
  supervisor?: TrainerSupervisor;
}): FeatureSource => {
  const cachePath = featureCachePath(options.workspaceDir, featureKey());
  let supervisor = options.supervisor;
  return async (items, onProgress, signal) => {
    let cache = await openFeatureCache(cachePath, MOBILENET_FEATURE_DIM);
    const missing = items.filter((i) => !cache.has(i.sha256));
    if (missing.length > 0) {
      supervisor ??= createTrainerSupervisor();
      const id = randomUUID();
      const runDir = join(options.workspaceDir, 'assistant', 'jobs', id);
      mkdirPrivate(runDir);
      try {
        const run = await supervisor.start(
          { id, kind: 'assistant-features', config: { cachePath, items: missing } },
          { runDir },
        );
        const stop = () => run.cancel();
        signal.addEventListener('abort', stop, { once: true });
        run.on('progress', (m) => onProgress(items.length - missing.length + m.progress.batch, items.length));
        const outcome = await run.outcome;
        signal.removeEventListener('abort', stop);
        if (outcome.status === 'failed')
          throw new Error(`feature extraction failed: ${outcome.error.message}`);
        if (outcome.status === 'cancelled') throw new Error('feature extraction cancelled');
      } finally {
        await rm(runDir, { recursive: true, force: true });
      }
      cache = await openFeatureCache(cachePath, MOBILENET_FEATURE_DIM);
    }
    const x = new Float32Array(items.length * MOBILENET_FEATURE_DIM);
    items.forEach((it, i) => {
      const row = cache.get(it.sha256);
      if (!row) throw new Error(`image ${i + 1} of ${items.length} has no features after extraction`);
      x.set(row, i * MOBILENET_FEATURE_DIM);
    });
    return { x, dim: MOBILENET_FEATURE_DIM };
  };
};
