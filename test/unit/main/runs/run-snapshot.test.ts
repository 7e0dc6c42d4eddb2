import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions } from '../../../../shared/contract/catalog';
import type { RunConfigInput } from '../../../../shared/run/run-config';
import { createCatalogService, type CatalogService } from '../../../../main/catalog/catalog-service';
import { readCheckpoint } from '../../../../main/engine/train/checkpoint-file';
import type { FitState } from '../../../../main/engine/train/fit-loop';
import type { FromTrainerMessage } from '../../../../main/engine/trainer/trainer-protocol';
import type {
  TrainerOutcome,
  TrainerRun,
  TrainerSupervisor,
} from '../../../../main/engine/trainer/trainer-supervisor';
import { createRunService, type RunService } from '../../../../main/runs/run-service';
import { runTwoStageJob, TwoStageJobConfig } from '../../../../main/runs/two-stage-job';
import { createLogger } from '../../../../main/core/logger';
import { writeTinyRunFixture } from '../../../support/tiny-run-fixture';

/**
 * A supervisor that runs the real two-stage job in this process on tfjs' cpu backend (the
 * trainer process's job, without the process): cancel aborts its signal, progress and the
 * outcome arrive as the trainer's messages would.
 */
const inProcessSupervisor = (): TrainerSupervisor => ({
  async start(job, options): Promise<TrainerRun> {
    const controller = new AbortController();
    const listeners = new Map<string, Array<(m: FromTrainerMessage) => void>>();
    const emit = (m: FromTrainerMessage) => listeners.get(m.type)?.forEach((l) => l(m));
    const outcome = (async (): Promise<TrainerOutcome> => {
      await new Promise((r) => setTimeout(r, 0)); // the service attaches its listeners first
      emit({ type: 'ready', jobId: job.id, backend: 'cpu', attempts: [] });
      try {
        const out = await runTwoStageJob(TwoStageJobConfig.parse(job.config), {
          tf,
          backend: 'cpu',
          runDir: options.runDir,
          signal: controller.signal,
          progress: (progress) => emit({ type: 'progress', jobId: job.id, progress }),
          log: () => undefined,
        });
        return out.status === 'completed'
          ? { status: 'completed', jobId: job.id, backend: 'cpu', result: out.result }
          : { status: 'cancelled', jobId: job.id, checkpointPath: out.checkpointPath };
      } catch (e) {
        return {
          status: 'failed',
          jobId: job.id,
          error: { code: 'job-failed', message: (e as Error).message },
        };
      }
    })();
    return {
      jobId: job.id,
      runDir: options.runDir,
      on: (type, l) => {
        listeners.set(type, [...(listeners.get(type) ?? []), l as (m: FromTrainerMessage) => void]);
        return () => undefined;
      },
      cancel: () => controller.abort(),
      kill: () => controller.abort(),
      outcome,
    };
  },
  resume: () => Promise.reject(new Error('not used')),
});

let dir: string;
let catalog: CatalogService;
let runs: RunService;
let config: RunConfigInput;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'sonofuse-snapshot-'));
  // The tiny backbone of the job tests; 30 disc images (class 0 left, 1 right, each unique)
  // imported into a real catalog, one patient per image (manifest files resolve under images/).
  const fixture = await writeTinyRunFixture(dir);
  const lines = ['file,label,patient_id'];
  for (let i = 0; i < 30; i++) {
    const label = i % 2 === 0 ? 'left' : 'right';
    const px = Buffer.alloc(48 * 48, 20);
    const cx = label === 'left' ? 14 : 34;
    const cy = 14 + (i % 7) * 3;
    for (let y = 0; y < 48; y++)
      for (let x = 0; x < 48; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < 64) px[y * 48 + x] = 220;
    px[0] = i; // unique bytes: no duplicates
    await sharp(px, { raw: { width: 48, height: 48, channels: 1 } })
      .png()
      .toFile(join(dir, 'images', `u${i}.png`));
    lines.push(`u${i}.png,${label},P${i}`);
  }
  writeFileSync(join(dir, 'manifest.csv'), lines.join('\n'));
  catalog = createCatalogService({
    dbPath: join(dir, 'catalog.db'),
    logger: createLogger({ minLevel: 'error' }),
  });
  const imported = await catalog.import(
    ImportOptions.parse({ source: join(dir, 'manifest.csv'), dataset: 'tiny', thumbnails: false }),
  );
  expect(imported.imported).toBe(30);
  runs = createRunService({
    catalog,
    logger: createLogger({ minLevel: 'error' }),
    supervisor: inProcessSupervisor(),
  });
  config = {
    ...fixture.manifest.config,
    dataset: 'tiny',
    methods: ['stage1_image'],
    stage1: { epochs: 3, optimizer: 'adam', lr: 0.01 },
    evaluation: { views: 2 },
    encoders: { image: fixture.manifest.config.encoders.image, text: { kind: 'none' } },
  };
});
afterAll(async () => {
  await runs.dispose();
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('run snapshot', () => {
  it('a run cancelled in stage 1 and resumed after relabels and deletions finishes on its snapshot, flagged stale', async () => {
    // The reference: the same config and seed, uninterrupted.
    const reference = await runs.start(config);
    const done = await runs.wait(reference.runId);
    expect(done.status).toBe('succeeded');
    expect(done.stale).toBe(false);
    expect(done.catalogChanges).toEqual({
      removed: 0,
      contentChanged: 0,
      relabelled: 0,
      notesChanged: 0,
      total: 0,
    });

    // Start again; cancel at the first stage-1 progress (after its first batch, mid-epoch 1).
    const { runId } = await runs.start(config);
    const off = runs.onProgress((p) => {
      if (p.runId === runId && p.stage === 'stage1') runs.cancel(runId);
    });
    const cancelled = await runs.wait(runId);
    off();
    expect(cancelled.status).toBe('cancelled');
    // It stopped inside stage 1's first epoch: the checkpoint holds a position within it.
    const ckpt = await readCheckpoint<FitState>(
      join(dir, 'catalog-runs', `run-${runId}`, 'seed-1', 'stage1', 'latest.ckpt'),
    );
    expect(ckpt!.state.epoch).toBe(0);
    expect(ckpt!.state.offset).toBeGreaterThan(0);
    expect(ckpt!.arrays.optimizer!.length).toBeGreaterThan(0);

    // The catalog moves on: two training images relabelled, two deleted (rows gone; the
    // content-addressed files stay in the store).
    const trainIds = catalog
      .db()
      .all<{ image_id: number }>(
        't.train',
        `SELECT image_id FROM split_assignments WHERE split_id = ? AND part = 'train' ORDER BY image_id`,
        done.summary!.split.id,
      )
      .map((r) => r.image_id);
    const labelOf = (id: number) =>
      catalog
        .db()
        .get<{ name: string }>(
          't.label',
          'SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id WHERE l.image_id = ?',
          id,
        )!.name;
    for (const id of trainIds.slice(0, 2))
      catalog.setLabels({
        imageId: id,
        task: 'label',
        labels: [labelOf(id) === 'left' ? 'right' : 'left'],
        user: 'test',
        reason: 'relabel between cancel and resume',
      });
    const raw = catalog.db().db;
    raw.pragma('foreign_keys = OFF');
    for (const id of trainIds.slice(2, 4)) raw.prepare('DELETE FROM images WHERE id = ?').run(id);
    raw.pragma('foreign_keys = ON');

    // Resume: trains on the frozen snapshot, not on the catalog as it is now.
    await runs.resume(runId);
    const resumed = await runs.wait(runId);
    expect(resumed.status).toBe('succeeded');
    const a = done.summary!;
    const b = resumed.summary!;
    expect(b.split.counts).toEqual(a.split.counts);
    expect(b.methods.stage1_image!.bestEpoch).toBe(a.methods.stage1_image!.bestEpoch);
    expect(b.methods.stage1_image!.validation).toEqual(a.methods.stage1_image!.validation);
    expect(b.methods.stage1_image!.test).toEqual(a.methods.stage1_image!.test);
    const probs = (id: number) =>
      runs.predictions({ runId: id, limit: 5000 }).map((p) => [p.imageId, p.split, p.probs]);
    expect(probs(runId)).toEqual(probs(reference.runId));
    expect(probs(runId).length).toBeGreaterThan(0);

    // Both runs are now flagged as trained on an older catalog state, with what changed.
    const changes = { removed: 2, contentChanged: 0, relabelled: 2, notesChanged: 0, total: 4 };
    expect(runs.get(runId)).toMatchObject({ stale: true, catalogChanges: changes });
    expect(runs.list().find((r) => r.runId === reference.runId)?.stale).toBe(true);
    // A new run trains on the catalog as it is now: two images fewer, not stale.
    const fresh = await runs.start({ ...config, methods: ['stage1_image'], stage1: { epochs: 1 } });
    const third = await runs.wait(fresh.runId);
    const total = (s: typeof a) =>
      Object.values(s.split.counts).reduce((n, c) => n + Object.values(c).reduce((x, y) => x + y, 0), 0);
    expect(total(third.summary!)).toBe(total(a) - 2);
    expect(third.stale).toBe(false);
  }, 300_000);
});
