import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwoStageJob } from '../../../../main/runs/two-stage-job';
import { writeTinyRunFixture } from '../../../support/tiny-run-fixture';

const dirs: string[] = [];

/**
 * Golden values of the tiny run (cpu, tiny backbone, every method, 3 test-time views): the
 * per-image probabilities every method wrote to predictions.json (rounded to 1e-6, as stored),
 * hashed, and a few headline figures. They were recorded on the run code as it was before the
 * run's work was reorganised for speed (commit 4200943: clean batches built per call, views
 * augmented while the trainer waited, stage 2's batches built on demand) and must not move: every
 * later cut of the run's work has to leave the same numbers.
 */
const GOLDEN = {
  predictionsSha256: '8e11c69574039786b941554b1d6f03fee95c7c32dbd7a7958003f6d7e5cd054f',
  testAccuracy: {
    linear_probe: 0.5,
    traditional_multimodal: 1,
    stage1_image: 0.5,
    proposed: 1,
    note_only: 1,
    metadata_only: 5 / 6,
  } as Record<string, number>,
};

describe('two-stage run job: golden predictions', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('gives the recorded predictions of every method', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-golden-'));
    dirs.push(dir);
    const { manifestPath } = await writeTinyRunFixture(dir, { evaluation: { views: 3 } });
    const out = await runTwoStageJob(
      { manifestPath },
      {
        tf,
        backend: 'cpu',
        runDir: join(dir, 'run'),
        signal: new AbortController().signal,
        progress: () => undefined,
        log: () => undefined,
      },
    );
    if (out.status !== 'completed') throw new Error('run did not complete');
    const text = readFileSync(out.result.predictionsFile, 'utf8');
    const accuracy = Object.fromEntries(
      Object.entries(out.result.methods).map(([m, r]) => [m, r!.test.accuracy]),
    );
    expect(createHash('sha256').update(text).digest('hex')).toBe(GOLDEN.predictionsSha256);
    expect(accuracy).toEqual(GOLDEN.testAccuracy);
  }, 120_000);
});
