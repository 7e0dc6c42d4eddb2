import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobRegistry } from '../../../../../main/engine/trainer/job-registry';
import { tinyDenseJob } from '../../../../../main/engine/trainer/tiny-dense-job';
import type { TinyDenseResult } from '../../../../../main/engine/trainer/tiny-dense-job';
import type { TrainerOutcome, TrainerRun } from '../../../../../main/engine/trainer/trainer-supervisor';
import { createTrainerSupervisor } from '../../../../../main/engine/trainer/trainer-supervisor';
import { tinyJob } from './tiny-job-fixture';

// End to end with real child processes (fork + tsx), on the cpu backend so results are exact.
const supervisor = createTrainerSupervisor({ backendOrder: ['cpu'] });
const runDir = () => join(mkdtempSync(join(tmpdir(), 'sonofuse-proc-')), 'run');
const resultOf = (o: TrainerOutcome): TinyDenseResult => {
  if (o.status !== 'completed') throw new Error(`expected completed, got ${JSON.stringify(o)}`);
  return o.result as TinyDenseResult;
};

/** The same job run in this process, without the trainer: what the child must reproduce. */
let inProcess: TinyDenseResult;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const kind = createJobRegistry([tinyDenseJob]).get('tiny-dense')!;
  const job = tinyJob('local');
  const noop = () => undefined;
  const outcome = await kind.run(kind.config.parse(job.config), {
    tf,
    backend: 'cpu',
    runDir: runDir(),
    resume: false,
    signal: new AbortController().signal,
    progress: noop,
    checkpoint: noop,
    log: noop,
  });
  inProcess = (outcome as { result: TinyDenseResult }).result;
});

const firstEvent = (run: TrainerRun, type: 'progress' | 'checkpoint') =>
  new Promise<void>((resolve) => {
    const off = run.on(type, () => {
      off();
      resolve();
    });
  });

describe('trainer child process under the supervisor', () => {
  it('start → ready → progress/checkpoint events → result equal to an in-process run', async () => {
    const run = await supervisor.start(tinyJob('p1'), { runDir: runDir() });
    const seen: string[] = [];
    run.on('ready', (m) => seen.push(`ready:${m.backend}:${m.attempts.map((a) => a.name).join(',')}`));
    run.on('progress', () => seen.push('progress'));
    run.on('checkpoint', (m) => seen.push(`checkpoint:${m.epoch}`));
    const result = resultOf(await run.outcome);
    expect(seen[0]).toBe('ready:cpu:cpu');
    expect(seen).toContain('progress');
    expect(seen.filter((s) => s.startsWith('checkpoint'))).toEqual(
      [1, 2, 3, 4, 5, 6].map((e) => `checkpoint:${e}`),
    );
    expect(result.weights).toEqual(inProcess.weights);
    expect(result.history).toEqual(inProcess.history);
  });

  it('cancel → cancelled with a checkpoint the resume finishes from, with the same result', async () => {
    const dir = runDir();
    const run = await supervisor.start(tinyJob('p2', { batchDelayMs: 60 }), { runDir: dir });
    await firstEvent(run, 'progress');
    run.cancel();
    expect(await run.outcome).toEqual({
      status: 'cancelled',
      jobId: 'p2',
      checkpointPath: `${dir}/latest.ckpt`,
    });
    const resumed = resultOf(await (await supervisor.resume(dir)).outcome);
    expect(resumed.weights).toEqual(inProcess.weights);
  });

  it('SIGKILL mid-run → crash reported; resume from the checkpoint folder → same result as uninterrupted', async () => {
    const dir = runDir();
    const run = await supervisor.start(tinyJob('p3', { batchDelayMs: 60 }), { runDir: dir });
    await firstEvent(run, 'checkpoint');
    run.kill('SIGKILL');
    const crashed = await run.outcome;
    expect(crashed).toMatchObject({ status: 'failed', jobId: 'p3', error: { code: 'crashed' } });
    expect(crashed.status === 'failed' && crashed.error.message).toMatch(
      /^trainer process was killed \(SIGKILL\)/,
    );
    const resumed = resultOf(await (await supervisor.resume(dir)).outcome);
    expect(resumed.startEpoch).toBeGreaterThan(0);
    expect(resumed.startEpoch).toBeLessThan(6);
    expect(resumed.weights).toEqual(inProcess.weights);
    expect(resumed.history).toEqual(inProcess.history);
    expect(resumed.best).toEqual(inProcess.best);
  });
});
