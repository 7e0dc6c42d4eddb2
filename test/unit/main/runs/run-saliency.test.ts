import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract/result';
import { createRunSaliency } from '../../../../main/runs/run-saliency';
import { loadSaliencyModel } from '../../../../main/runs/saliency';
import type { RunRecord } from '../../../../main/runs/run-store';
import { writeTinyExportedModel } from '../../../support/tiny-exported-model';

let dir: string;
let fixture: Awaited<ReturnType<typeof writeTinyExportedModel>>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'sonofuse-run-saliency-'));
  fixture = await writeTinyExportedModel(dir);
  mkdirSync(join(dir, 'run-without-model'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Run 1 finished with the tiny exported model, run 2 finished without one, run 3 still running,
 * run 4 finished in run 1's folder (a second model to load).
 */
const setup = () => {
  const runs: Record<number, Pick<RunRecord, 'id' | 'status' | 'runDir'>> = {
    1: { id: 1, status: 'succeeded', runDir: fixture.runDir },
    2: { id: 2, status: 'succeeded', runDir: join(dir, 'run-without-model') },
    3: { id: 3, status: 'running', runDir: fixture.runDir },
    4: { id: 4, status: 'succeeded', runDir: fixture.runDir },
  };
  const paths = new Map(fixture.manifest.items.map((i) => [i.imageId, i.path]));
  const loads: string[] = [];
  const disposed: string[] = [];
  const service = createRunSaliency({
    run: (id) => {
      if (!runs[id]) throw new AppError('NOT_FOUND', `no run ${id}`);
      return runs[id];
    },
    imagePath: (id) => {
      const p = paths.get(id);
      if (!p) throw new AppError('NOT_FOUND', `no image ${id}`);
      return p;
    },
    load: async (modelDir) => {
      loads.push(modelDir);
      const model = await loadSaliencyModel(tf, modelDir);
      return {
        ...model,
        dispose: () => {
          disposed.push(modelDir);
          model.dispose();
        },
      };
    },
    capacity: 1,
  });
  return { service, loads, disposed };
};

describe('run saliency service', () => {
  it("explains a run's images with its exported model, loaded once for many images", async () => {
    const { service, loads } = setup();
    const [a, b] = fixture.manifest.items.filter((i) => i.part === 'test');
    const first = await service.saliency({ runId: 1, imageId: a!.imageId });
    const second = await service.saliency({ runId: 1, imageId: b!.imageId, classIndex: 1 });
    expect(first).toMatchObject({ runId: 1, imageId: a!.imageId, method: 'stage1_image', size: 64 });
    expect(first.classIndex).toBe(first.predictedIndex);
    expect(second).toMatchObject({ imageId: b!.imageId, classIndex: 1, label: 'right' });
    expect(loads).toEqual([fixture.modelDir]);
    await service.dispose();
  });

  it('answers typed errors: unfinished run, run without a model, image outside the run, bad class', async () => {
    const { service, loads } = setup();
    const imageId = fixture.manifest.items[0]!.imageId;
    await expect(service.saliency({ runId: 3, imageId })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(service.saliency({ runId: 2, imageId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'run 2 has no exported model (it trained neither stage 1 nor the proposed method)',
    });
    await expect(service.saliency({ runId: 9, imageId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.saliency({ runId: 1, imageId: 99_999 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'image 99999 is not part of run 1',
    });
    await expect(service.saliency({ runId: 1, imageId, classIndex: 5 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    // The failed lookups of run 2 did not stay cached: only run 1's model was loaded.
    expect(loads).toEqual([fixture.modelDir]);
    await service.dispose();
  });

  it('keeps at most `capacity` models loaded and frees the least recently used', async () => {
    const { service, loads, disposed } = setup();
    const imageId = fixture.manifest.items[0]!.imageId;
    await service.saliency({ runId: 1, imageId });
    await expect(service.saliency({ runId: 2, imageId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await service.saliency({ runId: 1, imageId });
    // A run that fails to open evicts nothing: run 1 was loaded once.
    expect(loads).toHaveLength(1);
    expect(disposed).toEqual([]);
    await service.saliency({ runId: 4, imageId });
    expect(loads).toHaveLength(2);
    expect(disposed).toHaveLength(1); // run 1's model, freed for run 4's
    await service.saliency({ runId: 1, imageId });
    expect(loads).toHaveLength(3);
    await service.dispose();
    expect(disposed).toHaveLength(3);
  });
});
