import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSaliency } from '../../shared/contract/run';
import { AppError } from '../../shared/contract/result';
import { MODEL_MANIFEST } from './model-export';
import type { RunRecord } from './run-store';
import type { SaliencyClass, SaliencyModel } from './saliency';

export interface RunSaliencyOptions {
  /** The run's record (throws NOT_FOUND for an unknown run). */
  run(runId: number): Pick<RunRecord, 'id' | 'status' | 'runDir'>;
  /** The catalog's file for an image id (throws NOT_FOUND for an unknown image). */
  imagePath(imageId: number): string;
  /** Loads an exported model folder; default tfjs (loaded on first use) on its current backend. */
  load?: (dir: string) => Promise<SaliencyModel>;
  /** Exported models kept loaded (least recently used goes first); default 2. */
  capacity?: number;
}

interface Entry {
  model: SaliencyModel;
  /** Every image id of the run (its manifest.json): saliency is offered for those only. */
  images: ReadonlySet<number>;
}

const defaultLoad = async (dir: string): Promise<SaliencyModel> => {
  const tf = await import('@tensorflow/tfjs');
  await tf.ready();
  return (await import('./saliency')).loadSaliencyModel(tf, dir);
};

/**
 * `run:saliency`: Grad-CAM of a run's image with the run's exported stage-1 model, loaded once per
 * run and kept for the next images (a reviewer walks through many). Typed errors: CONFLICT while
 * the run has not finished, NOT_FOUND for a run without an exported model or an image outside the
 * run, INVALID_INPUT for a class the run does not have.
 */
export const createRunSaliency = (options: RunSaliencyOptions) => {
  const load = options.load ?? defaultLoad;
  const capacity = Math.max(1, options.capacity ?? 2);
  const cache = new Map<number, Promise<Entry>>();

  const open = async (runId: number, runDir: string): Promise<Entry> => {
    const dir = join(runDir, 'model');
    if (!existsSync(join(dir, MODEL_MANIFEST)))
      throw new AppError(
        'NOT_FOUND',
        `run ${runId} has no exported model (it trained neither stage 1 nor the proposed method)`,
      );
    const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as {
      items?: Array<{ imageId: number }>;
    };
    const images = new Set((manifest.items ?? []).map((i) => i.imageId));
    return { model: await load(dir), images };
  };

  /** The run's loaded model; a new one evicts the least recently used once it has loaded. */
  const entry = async (runId: number, runDir: string): Promise<Entry> => {
    const cached = cache.get(runId);
    if (cached) {
      cache.delete(runId);
      cache.set(runId, cached); // most recently used last
      return cached;
    }
    const loading = open(runId, runDir);
    cache.set(runId, loading);
    try {
      await loading;
    } catch (e) {
      if (cache.get(runId) === loading) cache.delete(runId);
      throw e;
    }
    for (const [id, evicted] of cache) {
      if (cache.size <= capacity) break;
      if (id === runId) continue;
      cache.delete(id);
      void evicted.then((x) => x.model.dispose()).catch(() => undefined);
    }
    return loading;
  };

  return {
    async saliency(input: { runId: number; imageId: number } & SaliencyClass): Promise<RunSaliency> {
      const run = options.run(input.runId);
      if (run.status !== 'succeeded')
        throw new AppError('CONFLICT', `run ${input.runId} has not finished (status ${run.status})`);
      const { model, images } = await entry(run.id, run.runDir);
      if (!images.has(input.imageId))
        throw new AppError('NOT_FOUND', `image ${input.imageId} is not part of run ${input.runId}`);
      const path = options.imagePath(input.imageId);
      if (!existsSync(path)) throw new AppError('NOT_FOUND', `image ${input.imageId} is no longer on disk`);
      const result = await model.explain(path, { classIndex: input.classIndex, label: input.label });
      return { runId: input.runId, imageId: input.imageId, ...result };
    },
    /** Frees every loaded model (app shutdown). */
    async dispose(): Promise<void> {
      const all = [...cache.values()];
      cache.clear();
      await Promise.all(all.map((e) => e.then((x) => x.model.dispose()).catch(() => undefined)));
    },
  };
};

export type RunSaliencyService = ReturnType<typeof createRunSaliency>;
