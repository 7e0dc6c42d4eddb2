import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AssistantStatus } from '../../../../shared/contract/assistant';
import { createRandom } from '../../../../shared/random/seeded-random';
import { seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import { createAssistantService, type FeatureSource } from '../../../../main/assistant/assistant-service';
import { readAssistantPool } from '../../../../main/assistant/assistant-data';
import { freshCatalog } from '../catalog/support/catalog-fixtures';

/**
 * A synthetic catalog (240 images, 5 classes, 5% unlabeled) whose "features" are 8-d Gaussian
 * blobs around a centre per ORIGINAL class, keyed by content hash: fixed once, like the cache.
 */
const setup = () => {
  const fx = freshCatalog();
  const datasetId = seedSyntheticCatalog(fx.catalog.db(), { count: 240, seed: 4 });
  const pool = readAssistantPool(fx.catalog, datasetId, 'label');
  const r = createRandom(9);
  const bySha = new Map<string, Float32Array>();
  for (const row of pool.rows) {
    const c = row.label ?? r.int(0, 4);
    bySha.set(
      row.sha256,
      Float32Array.from({ length: 8 }, (_, d) => (d === c ? 3 : 0) + r.normal()),
    );
  }
  let calls = 0;
  const features: FeatureSource = async (items, onProgress) => {
    calls++;
    onProgress(items.length, items.length);
    const x = new Float32Array(items.length * 8);
    items.forEach((it, i) => x.set(bySha.get(it.sha256)!, i * 8));
    return { x, dim: 8 };
  };
  const service = createAssistantService({
    catalog: fx.catalog,
    logger: fx.logger,
    features,
    workspaceDir: fx.dir,
    debounceMs: 5,
  });
  return {
    ...fx,
    datasetId,
    pool,
    service,
    calls: () => calls,
    featuresOf: (sha: string) => bySha.get(sha)!,
  };
};

describe('assistant service', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => {
    s = setup();
  });
  afterEach(() => {
    s.service.dispose();
    s.catalog.close();
  });

  it('trains on labeled training-part images only and suggests for every unlabeled image', async () => {
    const updates: AssistantStatus[] = [];
    s.service.onUpdate((u) => updates.push(u));
    s.service.status({ datasetId: s.datasetId, task: 'label' });
    await s.service.idle();
    const status = s.service.status({ datasetId: s.datasetId, task: 'label' });
    const train = s.pool.rows.filter((r) => r.part === 'train' && r.label !== null).length;
    expect(status.state).toBe('ready');
    expect(status.labeled).toBe(train);
    expect(status.model?.trainedOn).toBe(train);
    expect(status.featuresDone).toBe(240);
    expect(updates.map((u) => u.state)).toEqual(expect.arrayContaining(['extracting', 'training', 'ready']));
    const unlabeled = s.pool.rows.filter((r) => r.label === null).map((r) => r.id);
    const sugg = s.service.suggestions({ datasetId: s.datasetId, task: 'label' });
    expect(sugg.map((x) => x.imageId)).toEqual(unlabeled);
    for (const x of sugg) {
      expect(Object.values(x.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(x.p).toBe(Math.max(...Object.values(x.probs)));
    }
    // Separable blobs: the model gets the labeled validation/test images it never saw right.
    const held = s.pool.rows.filter((r) => r.part !== 'train' && r.label !== null);
    const heldSugg = s.service.suggestions({
      datasetId: s.datasetId,
      task: 'label',
      imageIds: held.map((r) => r.id),
    });
    const right = heldSugg.filter((x, i) => x.label === s.pool.classes[held[i]!.label!]).length;
    expect(right / held.length).toBeGreaterThan(0.9);
  });

  it('never reads validation or test labels: poisoning them changes neither model nor suggestions', async () => {
    s.service.status({ datasetId: s.datasetId, task: 'label' });
    await s.service.idle();
    const clean = s.service.suggestions({ datasetId: s.datasetId, task: 'label' });
    const cleanStatus = s.service.status({ datasetId: s.datasetId, task: 'label' });
    const held = s.pool.rows.filter(
      (r) => (r.part === 'validation' || r.part === 'test') && r.label !== null,
    );
    expect(held.length).toBeGreaterThan(20);
    for (const r of held)
      s.catalog.setLabels({
        imageId: r.id,
        task: 'label',
        labels: [s.pool.classes[(r.label! + 1) % s.pool.classes.length]!],
        user: 'poison',
        reason: 'test',
      });
    // A fresh assistant on the poisoned catalog (same features): bit-identical model output.
    const poisoned = createAssistantService({
      catalog: s.catalog,
      logger: s.logger,
      workspaceDir: s.dir,
      features: async (items) => {
        const x = new Float32Array(items.length * 8);
        const base = readAssistantPool(s.catalog, s.datasetId, 'label');
        expect(base.rows.map((r) => r.sha256)).toEqual(items.map((i) => i.sha256));
        items.forEach((it, i) => x.set(s.featuresOf(it.sha256), i * 8));
        return { x, dim: 8 };
      },
    });
    poisoned.status({ datasetId: s.datasetId, task: 'label' });
    await poisoned.idle();
    expect(poisoned.status({ datasetId: s.datasetId, task: 'label' }).model!.trainedOn).toBe(
      cleanStatus.model!.trainedOn,
    );
    expect(poisoned.suggestions({ datasetId: s.datasetId, task: 'label' })).toEqual(
      clean.map((x) => ({ ...x, modelId: expect.any(String) as string })),
    );
    poisoned.dispose();
  });

  it('a new training-part label retrains (debounced: one retrain for a burst) without re-extracting', async () => {
    s.service.status({ datasetId: s.datasetId, task: 'label' });
    await s.service.idle();
    const v1 = s.service.status({ datasetId: s.datasetId, task: 'label' }).model!;
    const target = s.pool.rows.filter((r) => r.label === null && r.part === 'train').slice(0, 3);
    expect(target.length).toBe(3);
    for (const r of target) {
      s.catalog.setLabels({ imageId: r.id, task: 'label', labels: ['brain'], user: 'u', reason: '' });
      s.service.notifyLabelsChanged(s.datasetId, 'label');
    }
    await s.service.idle();
    const v2 = s.service.status({ datasetId: s.datasetId, task: 'label' });
    expect(v2.model!.trainedOn).toBe(v1.trainedOn + 3);
    expect(Number(v2.model!.id.split('-').at(-1))).toBe(Number(v1.id.split('-').at(-1)) + 1);
    expect(v2.lastRetrainMs).not.toBeNull();
    expect(s.calls()).toBe(1);
  });

  it('queues: import order, informative (diverse, no duplicates), one predicted class by p', async () => {
    const q = (mode: 'import' | 'informative' | 'class', className?: string) =>
      s.service.queue({ datasetId: s.datasetId, task: 'label', mode, className, limit: 6 });
    s.service.status({ datasetId: s.datasetId, task: 'label' });
    await s.service.idle();
    const unlabeled = s.pool.rows.filter((r) => r.label === null).map((r) => r.id);
    expect(q('import')).toEqual(unlabeled.slice(0, 6));
    const informative = q('informative');
    expect(new Set(informative).size).toBe(6);
    expect(informative.every((id) => unlabeled.includes(id))).toBe(true);
    const sugg = new Map(
      s.service.suggestions({ datasetId: s.datasetId, task: 'label' }).map((x) => [x.imageId, x]),
    );
    const brain = q('class', 'brain');
    expect(brain.every((id) => sugg.get(id)!.label === 'brain')).toBe(true);
    const ps = brain.map((id) => sugg.get(id)!.p);
    expect(ps).toEqual([...ps].sort((a, b) => b - a));
    expect(() => q('class', 'nope')).toThrow(/no class/);
  });

  it('before two classes are labeled it is idle with a reason and the informative queue is the cold start', async () => {
    const fx = freshCatalog();
    const datasetId = seedSyntheticCatalog(fx.catalog.db(), { count: 30, seed: 2 });
    fx.catalog.db().run('wipe', 'DELETE FROM image_labels');
    const service = createAssistantService({
      catalog: fx.catalog,
      logger: fx.logger,
      workspaceDir: fx.dir,
      features: async (items) => ({
        x: Float32Array.from({ length: items.length * 2 }, (_, i) => (i % 7) + (i % 2)),
        dim: 2,
      }),
    });
    service.status({ datasetId, task: 'label' });
    await service.idle();
    const st = service.status({ datasetId, task: 'label' });
    expect(st.state).toBe('idle');
    expect(st.reason).toMatch(/two classes/);
    expect(service.suggestions({ datasetId, task: 'label' })).toEqual([]);
    expect(new Set(service.queue({ datasetId, task: 'label', mode: 'informative', limit: 5 })).size).toBe(5);
    await expect(service.simulation({ datasetId, task: 'label' })).resolves.toBeNull();
    service.dispose();
    fx.catalog.close();
  });
});

describe("assistant service with a run's model", () => {
  it("suggests with the newest run's stage-1 probabilities, mapped by class name, predicted once", async () => {
    const fx = freshCatalog();
    const datasetId = seedSyntheticCatalog(fx.catalog.db(), { count: 40, seed: 6 });
    const pool = readAssistantPool(fx.catalog, datasetId, 'label');
    let predictions = 0;
    const service = createAssistantService({
      catalog: fx.catalog,
      logger: fx.logger,
      workspaceDir: fx.dir,
      debounceMs: 1,
      features: async (items) => ({ x: new Float32Array(items.length * 2).fill(1), dim: 2 }),
      latestRun: () => ({
        runId: 7,
        modelDir: '/nowhere',
        finishedAt: '2026-12-01T00:00:00.000Z',
        trainedOn: 28,
      }),
      // The run knows the classes in another order: femur first, then brain; the rest absent.
      runs: async (_dir, paths) => {
        predictions++;
        return { classes: ['femur', 'brain'], probs: paths.map((_, i) => (i % 2 ? [0.8, 0.2] : [0.3, 0.7])) };
      },
    });
    service.useModel({ datasetId, task: 'label', source: 'run' });
    await service.idle();
    const st = service.status({ datasetId, task: 'label' });
    expect(st.model).toMatchObject({
      id: 'run-7',
      source: 'run',
      runId: 7,
      method: 'stage1_image',
      trainedOn: 28,
    });
    const sugg = service.suggestions({
      datasetId,
      task: 'label',
      imageIds: pool.rows.slice(0, 2).map((r) => r.id),
    });
    expect(sugg[0]).toMatchObject({ label: 'brain', modelId: 'run-7' });
    expect(sugg[0]!.p).toBeCloseTo(0.7, 6);
    expect(sugg[0]!.probs.abdomen).toBe(0);
    expect(sugg[1]).toMatchObject({ label: 'femur' });
    service.notifyLabelsChanged(datasetId, 'label');
    await service.idle();
    expect(predictions).toBe(1); // same run, same images: no second prediction
    service.dispose();
    fx.catalog.close();
  });

  it('answers NOT_SUPPORTED without a run predictor', async () => {
    const fx = freshCatalog();
    const datasetId = seedSyntheticCatalog(fx.catalog.db(), { count: 10, seed: 6 });
    const service = createAssistantService({
      catalog: fx.catalog,
      logger: fx.logger,
      workspaceDir: fx.dir,
      features: async (items) => ({ x: new Float32Array(items.length), dim: 1 }),
    });
    expect(() => service.useModel({ datasetId, task: 'label', source: 'run' })).toThrow(/cannot suggest/);
    await service.idle();
    service.dispose();
    fx.catalog.close();
  });
});

describe('assistant retrain scheduling', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('retrains at least every maxWaitMs while labels keep coming faster than the quiet time', async () => {
    const fx = freshCatalog();
    const datasetId = seedSyntheticCatalog(fx.catalog.db(), { count: 40, seed: 6 });
    const service = createAssistantService({
      catalog: fx.catalog,
      logger: fx.logger,
      workspaceDir: fx.dir,
      debounceMs: 300,
      maxWaitMs: 2000,
      features: async (items) => ({
        x: Float32Array.from({ length: items.length * 2 }, (_, i) => (i * 7919) % 13),
        dim: 2,
      }),
    });
    service.status({ datasetId, task: 'label' });
    await service.idle();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
    const retrainedAt: number[] = [];
    const t0 = Date.now();
    service.onUpdate((u) => {
      if (u.state === 'training') retrainedAt.push(Date.now() - t0);
    });
    // A label every 250 ms for 5 s: the 300 ms quiet time never passes.
    for (let i = 0; i < 20; i++) {
      service.notifyLabelsChanged(datasetId, 'label');
      await vi.advanceTimersByTimeAsync(250);
    }
    // Before the fix: no retrain at all until the labeller pauses. Now: 2000 ms after the first
    // change (t = 0), then 2000 ms after the first change it did not see (the one at t = 2000).
    expect(retrainedAt).toEqual([2000, 4000]);
    vi.useRealTimers();
    service.notifyLabelsChanged(datasetId, 'label');
    await service.idle();
    service.dispose();
    fx.catalog.close();
  });
});
