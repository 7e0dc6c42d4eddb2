import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwoStageJob } from '../../../../main/runs/two-stage-job';
import { loadRunModel } from '../../../../main/runs/model-predict';
import { PredictionRow, RunJobResult } from '../../../../main/runs/run-job-result';
import { writeTinyRunFixture } from '../../../support/tiny-run-fixture';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sonofuse-run-'));
  dirs.push(d);
  return d;
};

const context = (runDir: string, signal = new AbortController().signal) => {
  const progress: Array<{ stage: string; method?: string; curve?: unknown }> = [];
  return {
    progress,
    ctx: {
      tf,
      backend: 'cpu' as const,
      runDir,
      signal,
      progress: (p: { stage: string; method?: string; curve?: unknown }) => {
        if (process.env.RUN_DEBUG) console.error(JSON.stringify(p));
        progress.push(p);
      },
      log: (_l: string, m: string) => void (process.env.RUN_DEBUG && console.error(m)),
    },
  };
};

describe('two-stage run job (tiny backbone, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('trains every method on one split, stores per-image predictions and resumes without retraining', async () => {
    const dir = tempDir();
    const { manifestPath, manifest } = await writeTinyRunFixture(dir);
    const runDir = join(dir, 'run');
    const { ctx, progress } = context(runDir);
    const out = await runTwoStageJob({ manifestPath }, ctx);
    expect(out.status).toBe('completed');
    if (out.status !== 'completed') return;
    const result = RunJobResult.parse(out.result);
    expect(Object.keys(result.methods).sort()).toEqual(
      [
        'linear_probe',
        'metadata_only',
        'note_only',
        'proposed',
        'stage1_image',
        'traditional_multimodal',
      ].sort(),
    );
    expect(result.skipped).toEqual({});
    // 6 validation + 6 test images per method, probabilities summing to 1.
    const predictions = PredictionRow.array().parse(JSON.parse(readFileSync(result.predictionsFile, 'utf8')));
    expect(predictions).toHaveLength(6 * 12);
    for (const p of predictions) expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const testIds = manifest.items.filter((i) => i.part === 'test').map((i) => i.imageId);
    expect(
      predictions.filter((p) => p.method === 'proposed' && p.split === 'test').map((p) => p.imageId),
    ).toEqual(testIds);
    // Notes name the side on 5 of 6 images: the note head must beat chance clearly on test.
    expect(result.methods.note_only!.test.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(result.methods.note_only!.test.n).toBe(6);
    // Stage 1 trained 2 epochs and chose one of them on validation.
    expect(result.methods.stage1_image!.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(result.methods.stage1_image!.bestEpoch).toBeLessThanOrEqual(2);
    expect(result.stage1History[0]!.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    // Heads count epochs from 1 too (fit's are 0-based): 8 head epochs, 2 in stage 2.
    expect(result.methods.note_only!.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(result.methods.note_only!.bestEpoch).toBeLessThanOrEqual(8);
    // 0: the warm start (stage-1 head + note-only + metadata-only ensemble) was kept on validation.
    expect(result.methods.proposed!.bestEpoch).toBeGreaterThanOrEqual(0);
    expect(result.methods.proposed!.bestEpoch).toBeLessThanOrEqual(2);
    for (const m of Object.values(result.methods)) {
      expect(m!.test.confusion.flat().reduce((a, b) => a + b, 0)).toBe(6);
      expect(m!.seedSpread).toBeNull();
    }
    expect(result.backend).toBe('cpu (one thread on cpu)');
    expect(result.timing.stage1_train).toBeGreaterThan(0);
    expect(result.timing.stage1_validate).toBeGreaterThan(0);
    // Progress covered every stage and carried stage-1 curve points.
    expect(new Set(progress.map((p) => p.stage))).toEqual(
      new Set(['prepare', 'features', 'heads', 'stage1', 'stage2']),
    );
    expect(progress.filter((p) => p.method === 'stage1_image' && p.curve)).toHaveLength(2);

    // The exported model predicts the test images exactly as the run scored them.
    const exported = await loadRunModel(tf, result.modelDir!);
    const testItems = manifest.items.filter((i) => i.part === 'test');
    const again0 = await exported.predict(
      testItems.map((i) => ({ image: i.path, note: i.note, metadata: i.metadata })),
    );
    exported.dispose();
    expect(exported.manifest.classes).toEqual(['left', 'right']);
    testItems.forEach((item, k) => {
      const stored = (method: string) =>
        predictions.find((p) => p.method === method && p.imageId === item.imageId)!.probs;
      stored('stage1_image').forEach((v, c) => expect(again0[k]!.image.probs[c]).toBeCloseTo(v, 4));
      stored('proposed').forEach((v, c) => expect(again0[k]!.fused!.probs[c]).toBeCloseTo(v, 4));
    });

    // A second start on the same folder finds every method finished and trains nothing.
    const again = context(runDir);
    const second = await runTwoStageJob({ manifestPath }, again.ctx);
    expect(second.status).toBe('completed');
    if (second.status !== 'completed') return;
    expect(second.result.methods).toEqual(result.methods);
    expect(again.progress.filter((p) => p.stage === 'stage1' || p.stage === 'heads')).toHaveLength(0);
  }, 120_000);

  it('repeats over seeds and reports mean ± spread on test', async () => {
    const dir = tempDir();
    const { manifestPath } = await writeTinyRunFixture(dir, {
      seeds: 2,
      methods: ['linear_probe', 'metadata_only'],
      encoders: { text: { kind: 'none' } },
    });
    const { ctx } = context(join(dir, 'run'));
    const out = await runTwoStageJob({ manifestPath }, ctx);
    if (out.status !== 'completed') throw new Error('run did not complete');
    const spread = out.result.methods.linear_probe!.seedSpread!;
    expect(spread.accuracy.n).toBe(2);
    expect(spread.accuracy.mean).toBeGreaterThanOrEqual(0);
    expect(spread.accuracy.mean).toBeLessThanOrEqual(1);
    expect(Object.keys(out.result.methods).sort()).toEqual(['linear_probe', 'metadata_only']);
  }, 120_000);

  it('skips note-only (with the reason) when notes are off, and stops cleanly when cancelled', async () => {
    const dir = tempDir();
    const { manifestPath } = await writeTinyRunFixture(dir, {
      methods: ['note_only', 'stage1_image'],
      encoders: { text: { kind: 'none' } },
    });
    const controller = new AbortController();
    const { ctx } = context(join(dir, 'run'), controller.signal);
    controller.abort();
    const cancelled = await runTwoStageJob({ manifestPath }, ctx);
    expect(cancelled.status).toBe('cancelled');
    const { ctx: ctx2 } = context(join(dir, 'run'));
    const out = await runTwoStageJob({ manifestPath }, ctx2);
    if (out.status !== 'completed') throw new Error('run did not complete');
    expect(out.result.skipped.note_only).toMatch(/no image in this dataset has a clinical note/);
    expect(out.result.methods.stage1_image).toBeDefined();
  }, 120_000);
});
