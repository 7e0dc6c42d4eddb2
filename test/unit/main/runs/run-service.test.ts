import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportOptions } from '../../../../shared/contract/catalog';
import { classificationMetrics } from '../../../../shared/metrics/classification-metrics';
import type { RunProgress } from '../../../../shared/run/run-progress';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import { scaleAugmentConfig } from '../../../../shared/augment/dataset-augmentation';
import { createCatalogAugmentations } from '../../../../main/catalog/catalog-augmentations';
import { createCatalogService, type CatalogService } from '../../../../main/catalog/catalog-service';
import type {
  TrainerOutcome,
  TrainerRun,
  TrainerSupervisor,
} from '../../../../main/engine/trainer/trainer-supervisor';
import type { FromTrainerMessage } from '../../../../main/engine/trainer/trainer-protocol';
import { RunManifest } from '../../../../main/runs/run-manifest';
import { createRunHandlers } from '../../../../main/contract-server/run-handlers';
import { createRunService } from '../../../../main/runs/run-service';
import { createLogger } from '../../../../main/core/logger';

/** A supervisor that "trains" instantly: predicts class 0 for every image, or fails / cancels. */
const fakeSupervisor = (mode: { outcome: 'completed' | 'failed' | 'cancelled' }) => {
  const started: Array<{ kind: string; runDir: string; resume: boolean; manifest: RunManifest }> = [];
  const supervisor: TrainerSupervisor = {
    async start(job, options): Promise<TrainerRun> {
      const manifest = RunManifest.parse(
        JSON.parse(readFileSync((job.config as { manifestPath: string }).manifestPath, 'utf8')),
      );
      started.push({ kind: job.kind, runDir: options.runDir, resume: options.resume ?? false, manifest });
      const listeners = new Map<string, Array<(m: FromTrainerMessage) => void>>();
      const emit = (m: FromTrainerMessage) => listeners.get(m.type)?.forEach((l) => l(m));
      const outcome = new Promise<TrainerOutcome>((resolve) =>
        setTimeout(() => {
          emit({ type: 'ready', jobId: job.id, backend: 'cpu', attempts: [] });
          emit({
            type: 'progress',
            jobId: job.id,
            progress: {
              stage: 'stage1',
              method: 'stage1_image',
              seed: 1,
              epoch: 1,
              epochs: 1,
              batch: 0,
              batchesPerEpoch: 0,
              loss: 0.5,
              imagesPerSecond: 0,
              etaSeconds: null,
              curve: { epoch: 1, trainLoss: 0.5, validationLoss: 0.6, validationAccuracy: 0.5 },
            },
          });
          if (mode.outcome === 'failed')
            return resolve({
              status: 'failed',
              jobId: job.id,
              error: { code: 'crashed', message: 'killed (SIGKILL)' },
            });
          if (mode.outcome === 'cancelled')
            return resolve({ status: 'cancelled', jobId: job.id, checkpointPath: null });
          const k = manifest.classes.length;
          const probs = Array.from({ length: k }, (_, i) => (i === 0 ? 0.9 : 0.1 / (k - 1)));
          const rows = manifest.items.filter((i) => i.part !== 'train');
          const predictions = rows.map((i) => ({
            imageId: i.imageId,
            method: 'stage1_image',
            split: i.part,
            probs,
          }));
          const predictionsFile = join(options.runDir, 'predictions.json');
          writeFileSync(predictionsFile, JSON.stringify(predictions));
          const metrics = (part: 'validation' | 'test') => {
            const items = manifest.items.filter((i) => i.part === part);
            return classificationMetrics(
              items.map((i) => i.label),
              items.map(() => probs),
              k,
            );
          };
          resolve({
            status: 'completed',
            jobId: job.id,
            backend: 'cpu',
            result: {
              backend: 'cpu (one thread on cpu)',
              methods: {
                stage1_image: {
                  validation: metrics('validation'),
                  test: metrics('test'),
                  bestEpoch: 1,
                  seedSpread: null,
                },
              },
              skipped: { note_only: 'no image in this dataset has a clinical note' },
              timing: { stage1: 1.5, total: 2 },
              predictionsFile,
              stage1History: [{ seed: 1, epochs: [{ epoch: 1, validationAccuracy: 0.5, trainLoss: 0.5 }] }],
            },
          });
        }, 5),
      );
      return {
        jobId: job.id,
        runDir: options.runDir,
        on: (type, l) => {
          listeners.set(type, [...(listeners.get(type) ?? []), l as (m: FromTrainerMessage) => void]);
          return () => undefined;
        },
        cancel: () => undefined,
        kill: () => undefined,
        outcome,
      };
    },
    resume: () => Promise.reject(new Error('not used')),
  };
  return { supervisor, started };
};

let dir: string;
let catalog: CatalogService;

/** 30 grey PNGs in two class folders, with a patient group per pair through a manifest. */
const seedCatalog = async () => {
  const images = join(dir, 'images');
  mkdirSync(images, { recursive: true });
  const lines = ['file,label,patient_id,depth,finding'];
  for (let i = 0; i < 30; i++) {
    const label = i % 2 === 0 ? 'head' : 'abdomen';
    await sharp(Buffer.alloc(16 * 16, 10 + i * 7), { raw: { width: 16, height: 16, channels: 1 } })
      .png()
      .toFile(join(images, `i${i}.png`));
    lines.push(
      `i${i}.png,${label},P${Math.floor(i / 2)},${(i % 5) + 1},${label === 'head' ? 'cranial' : 'abdominal'}`,
    );
  }
  writeFileSync(join(dir, 'manifest.csv'), lines.join('\n'));
  await catalog.import(
    ImportOptions.parse({ source: join(dir, 'manifest.csv'), dataset: 'phantoms', thumbnails: false }),
  );
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sonofuse-runs-'));
  catalog = createCatalogService({
    dbPath: join(dir, 'catalog.db'),
    logger: createLogger({ minLevel: 'error' }),
  });
  await seedCatalog();
});
afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('run service', () => {
  it('prepares the manifest from the catalog, stores results and predictions, and reports progress', async () => {
    const { supervisor, started } = fakeSupervisor({ outcome: 'completed' });
    const runs = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    const progress: RunProgress[] = [];
    const statuses: string[] = [];
    runs.onProgress((p) => progress.push(p));
    runs.onStatus((s) => statuses.push(s.status));
    const { runId } = await runs.start({ dataset: 'phantoms', methods: ['stage1_image', 'note_only'] });
    const detail = await runs.wait(runId);
    expect(detail.status).toBe('succeeded');
    expect(statuses).toEqual(['running', 'succeeded']);
    // The manifest: every labelled image once, classes in task order, the label-proxy column left out.
    const m = started[0]!.manifest;
    expect(m.items).toHaveLength(30);
    expect([...m.classes].sort()).toEqual(['abdomen', 'head']);
    expect(m.metadataColumns).toEqual([{ name: 'depth', kind: 'number' }]);
    expect(m.excludedColumns.map((c) => c.name)).toEqual(['finding']);
    // Patient groups never straddle parts.
    const groups = new Map<number, Set<string>>();
    for (const it of m.items) {
      const patient = catalog
        .db()
        .get<{ g: number }>(
          't.group',
          'SELECT patient_group_id AS g FROM images WHERE id = ?',
          it.imageId,
        )!.g;
      groups.set(patient, (groups.get(patient) ?? new Set()).add(it.part));
    }
    expect([...groups.values()].every((s) => s.size === 1)).toBe(true);
    // Summary, notices, split counts and stored predictions.
    const summary = detail.summary!;
    expect(summary.notices.some((n) => n.includes('"finding"'))).toBe(true);
    expect(summary.skipped.note_only).toMatch(/clinical note/);
    const evaluated = m.items.filter((i) => i.part !== 'train').length;
    const preds = runs.predictions({ runId });
    expect(preds).toHaveLength(evaluated);
    const wrong = runs.predictions({ runId, wrongOnly: true });
    expect(wrong.length).toBe(
      m.items.filter((i) => i.part !== 'train' && m.classes[i.label] !== m.classes[0]).length,
    );
    expect(wrong.every((p) => p.correct === false && p.predicted === m.classes[0])).toBe(true);
    expect(detail.headline?.method).toBe('stage1_image');
    expect(progress[0]!.curve).toMatchObject({ method: 'stage1_image', epoch: 1, validationAccuracy: 0.5 });
    // The same split is reused by the next run.
    const second = await runs.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    await runs.wait(second.runId);
    expect(runs.get(second.runId).summary!.split.id).toBe(summary.split.id);
    expect(runs.list().map((r) => r.runId)).toEqual([second.runId, runId]);
    // Reports.
    const html = await runs.exportReport({ runId, path: join(dir, 'report.html'), format: 'html' });
    expect(readFileSync(html.path, 'utf8')).toContain('<table');
    const csv = await runs.exportReport({ runId, path: join(dir, 'report.csv'), format: 'csv' });
    expect(readFileSync(csv.path, 'utf8').split('\n')[0]).toContain('run_id');
  });

  it('marks a crashed run failed with the typed error, and a run interrupted by a killed app as resumable', async () => {
    const { supervisor } = fakeSupervisor({ outcome: 'failed' });
    const runs = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    const { runId } = await runs.start({ dataset: 'phantoms' });
    const detail = await runs.wait(runId);
    expect(detail.status).toBe('failed');
    expect(detail.error).toBe('crashed: killed (SIGKILL)');
    // Simulate an app killed mid-run: the row says running; a new service marks it failed/resumable.
    catalog.db().run('t', "UPDATE runs SET status = 'running' WHERE id = ?", runId);
    const again = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    expect(again.get(runId).status).toBe('failed');
    expect(again.get(runId).error).toMatch(/interrupted.*resume/);
  });

  it('resumes a cancelled run in its own folder, and refuses bad input with typed errors', async () => {
    const cancelling = fakeSupervisor({ outcome: 'cancelled' });
    const runs = createRunService({
      catalog,
      logger: createLogger({ minLevel: 'error' }),
      supervisor: cancelling.supervisor,
    });
    const { runId } = await runs.start({ dataset: 'phantoms' });
    expect((await runs.wait(runId)).status).toBe('cancelled');
    await runs.resume(runId);
    await runs.wait(runId);
    expect(cancelling.started.map((s) => s.resume)).toEqual([false, true]);
    expect(cancelling.started[1]!.runDir).toBe(cancelling.started[0]!.runDir);
    await expect(runs.start({ dataset: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(runs.start({ dataset: 'phantoms', task: 'other' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(runs.start({ dataset: 'phantoms', imageSize: 10 } as never)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(
      runs.exportReport({ runId, path: join(dir, 'x.html'), format: 'html' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(() => runs.get(999)).toThrow(/no run 999/);
  });
});

describe('run augmentation', () => {
  it("trains the dataset's saved augmentation config (Augmentation screen) and stores it in the run", async () => {
    const { supervisor, started } = fakeSupervisor({ outcome: 'completed' });
    const runs = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    const datasetId = catalog.datasets().find((d) => d.name === 'phantoms')!.id;
    const saved = createCatalogAugmentations(catalog.db()).save({
      datasetId,
      preset: 'ultrasound-default',
      config: buildPreset('ultrasound-default'),
      user: 'ana',
    });
    const { runId } = await runs.start({ dataset: 'phantoms', imageSize: 160, methods: ['stage1_image'] });
    await runs.wait(runId);
    const trained = started[0]!.manifest.config.augmentation;
    expect([trained.preset, trained.datasetVersion]).toEqual(['ultrasound-default', saved.version]);
    expect(trained.config).toEqual(scaleAugmentConfig(saved.config, 160));
    expect(runs.get(runId).config.augmentation).toEqual(trained);
  });
});

describe('run events in the System log', () => {
  it('lists cancels and resumes (ids only)', async () => {
    const cancelling = fakeSupervisor({ outcome: 'cancelled' });
    const logger = createLogger({ minLevel: 'info' });
    const runs = createRunService({ catalog, logger, supervisor: cancelling.supervisor });
    const { runId } = await runs.start({ dataset: 'phantoms' });
    runs.cancel(runId);
    await runs.wait(runId);
    await runs.resume(runId);
    await runs.wait(runId);
    const lines = logger.recent(100).map((e) => e.message);
    expect(lines).toContain(`run ${runId}: cancel requested (stops at the next batch)`);
    expect(lines).toContain(`run ${runId} cancelled; resume continues from its last checkpoint`);
    expect(lines).toContain(`run ${runId} resumed (was cancelled)`);
  });
});

describe('run queue', () => {
  it('runs one at a time: later starts wait queued in order, a queued run can be cancelled', async () => {
    const { supervisor, started } = fakeSupervisor({ outcome: 'completed' });
    const runs = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    const statuses: string[] = [];
    runs.onStatus((s) => statuses.push(`${s.runId}:${s.status}`));
    const a = await runs.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    const b = await runs.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    const c = await runs.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    // Only the first reached the trainer; the others wait.
    expect(started).toHaveLength(1);
    expect(runs.get(b.runId).status).toBe('queued');
    expect(runs.get(c.runId).status).toBe('queued');
    await expect(runs.resume(b.runId)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(runs.cancel(c.runId)).toEqual({ cancelled: true });
    expect(runs.get(c.runId).status).toBe('cancelled');
    // wait() on a queued run resolves once it has run (after the first).
    expect((await runs.wait(b.runId)).status).toBe('succeeded');
    expect((await runs.wait(a.runId)).status).toBe('succeeded');
    expect(started.map((s) => s.runDir.split(/[\\/]/).pop())).toEqual([`run-${a.runId}`, `run-${b.runId}`]);
    expect(statuses).toEqual([
      `${a.runId}:running`,
      `${b.runId}:queued`,
      `${c.runId}:queued`,
      `${c.runId}:cancelled`,
      `${a.runId}:succeeded`,
      `${b.runId}:running`,
      `${b.runId}:succeeded`,
    ]);
    // The cancelled queued run can still be started later (resume from nothing).
    await runs.resume(c.runId);
    expect((await runs.wait(c.runId)).status).toBe('succeeded');
    await runs.dispose();
  });

  it('a run left queued by a stopped app is marked resumable on the next start', async () => {
    const { supervisor } = fakeSupervisor({ outcome: 'completed' });
    const first = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    await first.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    const queued = await first.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    await first.dispose();
    expect(first.get(queued.runId).status).toBe('queued');
    const second = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    const r = second.get(queued.runId);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/waited in the queue; resume it to start/);
    await second.dispose();
  });
});

describe('run curves and saliency', () => {
  const test = { transport: 'test', peer: 't' } as const;
  it('stores the curve points of progress events so a reload (or a new service) reads them back', async () => {
    const cancelling = fakeSupervisor({ outcome: 'cancelled' });
    const runs = createRunService({
      catalog,
      logger: createLogger({ minLevel: 'error' }),
      supervisor: cancelling.supervisor,
    });
    const handlers = createRunHandlers(runs);
    const { runId } = await runs.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    await runs.wait(runId);
    // The fake trainer sends one epoch-end point (seed 1, stage 1, epoch 1) per launch.
    const expected = {
      seed: 1,
      method: 'stage1_image',
      epoch: 1,
      trainLoss: 0.5,
      trainAccuracy: null,
      validationLoss: 0.6,
      validationAccuracy: 0.5,
    };
    expect(await handlers['run:curves']({ runId }, test)).toEqual([expected]);
    // run:exportReport writes only where the path check allows (absolute, the format's extension).
    await expect(
      handlers['run:exportReport']({ runId, path: join(dir, '.bashrc'), format: 'html' }, test),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(
      handlers['run:exportReport']({ runId, path: 'report.html', format: 'html' }, test),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(existsSync(join(dir, '.bashrc'))).toBe(false);
    // A good path passes the check and reaches the service (this run has no results: CONFLICT).
    await expect(
      handlers['run:exportReport']({ runId, path: join(dir, 'r.html'), format: 'html' }, test),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // The resumed launch sends epoch 1 again: it replaces the earlier point, it does not add one.
    await runs.resume(runId);
    await runs.wait(runId);
    expect(await runs.curves(runId)).toEqual([expected]);
    const again = createRunService({
      catalog,
      logger: createLogger({ minLevel: 'error' }),
      supervisor: cancelling.supervisor,
    });
    expect(await again.curves(runId)).toEqual([expected]);
    await expect(again.curves(999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers run:saliency with typed errors for an unfinished run and a run without a model', async () => {
    const { supervisor } = fakeSupervisor({ outcome: 'completed' });
    const loads: string[] = [];
    const runs = createRunService({
      catalog,
      logger: createLogger({ minLevel: 'error' }),
      supervisor,
      loadSaliencyModel: (d) => {
        loads.push(d);
        return Promise.reject(new Error('not reached'));
      },
    });
    const handlers = createRunHandlers(runs);
    const { runId } = await runs.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    await expect(handlers['run:saliency']({ runId, imageId: 1 }, test)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await runs.wait(runId);
    // The fake trainer exports no model.
    await expect(handlers['run:saliency']({ runId, imageId: 1 }, test)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('has no exported model'),
    });
    expect(loads).toEqual([]);
  });
});

describe('run folders', () => {
  it('keep two catalogs in one folder apart and never reuse a stale folder for a new run', async () => {
    const { supervisor, started } = fakeSupervisor({ outcome: 'completed' });
    const runs = createRunService({ catalog, logger: createLogger({ minLevel: 'error' }), supervisor });
    const stale = join(dir, 'catalog-runs', 'run-1', 'seed-1');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'linear_probe.json'), '{"left":"by another catalog"}');
    const { runId } = await runs.start({ dataset: 'phantoms', methods: ['stage1_image'] });
    await runs.wait(runId);
    expect(started[0]!.runDir).toBe(join(dir, 'catalog-runs', 'run-1'));
    expect(existsSync(join(stale, 'linear_probe.json'))).toBe(false);
  });
});
