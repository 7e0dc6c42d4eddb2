import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrainerSupervisor } from '../../../../../main/engine/trainer/trainer-supervisor';
import type { TrainerExit, TrainerTransport } from '../../../../../main/engine/trainer/trainer-transport';
import { tinyJob } from './tiny-job-fixture';

/** A scripted transport: the test plays the trainer process. */
const fakeTransport = () => {
  const sent: unknown[] = [];
  let toMain: (m: unknown) => void = () => undefined;
  let output: (t: string) => void = () => undefined;
  let exit: (e: TrainerExit) => void = () => undefined;
  const killed: string[] = [];
  const transport: TrainerTransport = {
    pid: 1234,
    send: (m) => void sent.push(m),
    onMessage: (l) => void (toMain = l),
    onOutput: (l) => void (output = l),
    onExit: (l) => void (exit = l),
    kill: (signal = 'SIGTERM') => {
      killed.push(signal);
      exit({ code: null, signal });
    },
  };
  return {
    transport,
    sent,
    killed,
    say: (m: unknown) => toMain(m),
    print: (t: string) => output(t),
    exit: (e: TrainerExit) => exit(e),
  };
};

const runDir = () => join(mkdtempSync(join(tmpdir(), 'sonofuse-sup-')), 'run');

describe('trainer supervisor (scripted transport)', () => {
  it('sends start only after hello, forwards typed events, and settles on exit after the result', async () => {
    const fake = fakeTransport();
    const supervisor = createTrainerSupervisor({ transport: () => fake.transport, backendOrder: ['cpu'] });
    const run = await supervisor.start(tinyJob('s1'), { runDir: runDir() });
    expect(fake.sent).toEqual([]);
    fake.say({ type: 'hello', pid: 1234, kinds: ['tiny-dense'] });
    expect(fake.sent[0]).toMatchObject({
      type: 'start',
      resume: false,
      backendOrder: ['cpu'],
      job: { id: 's1' },
    });
    const progress: number[] = [];
    run.on('progress', (m) => progress.push(m.progress.batch));
    fake.say({ type: 'ready', jobId: 's1', backend: 'cpu', attempts: [] });
    const p = {
      stage: 'train',
      epoch: 0,
      epochs: 1,
      batch: 1,
      batchesPerEpoch: 2,
      loss: 1,
      imagesPerSecond: 3,
      etaSeconds: 1,
    };
    fake.say({ type: 'progress', jobId: 's1', progress: p });
    fake.say({ type: 'result', jobId: 's1', result: { ok: 1 } });
    fake.exit({ code: 0, signal: null });
    expect(await run.outcome).toEqual({
      status: 'completed',
      jobId: 's1',
      result: { ok: 1 },
      backend: 'cpu',
    });
    expect(progress).toEqual([1]);
  });

  it('reports an exit without a final message as a crash quoting the output', async () => {
    const fake = fakeTransport();
    const run = await createTrainerSupervisor({ transport: () => fake.transport }).start(tinyJob('s2'), {
      runDir: runDir(),
    });
    fake.print('Hi, TensorFlow.js\nSegmentation fault in libfoo\n');
    fake.exit({ code: 139, signal: null });
    const outcome = await run.outcome;
    expect(outcome).toMatchObject({ status: 'failed', error: { code: 'crashed' } });
    expect(outcome.status === 'failed' && outcome.error.message).toBe(
      'trainer process exited with code 139 before finishing; last output:\nHi, TensorFlow.js\nSegmentation fault in libfoo',
    );
  });

  it('reports a process that never says hello as failed to start, and kills it', async () => {
    const fake = fakeTransport();
    const run = await createTrainerSupervisor({ transport: () => fake.transport, helloTimeoutMs: 20 }).start(
      tinyJob('s5'),
      { runDir: runDir() },
    );
    expect(await run.outcome).toEqual({
      status: 'failed',
      jobId: 's5',
      error: { code: 'spawn-failed', message: 'trainer process did not start within 20 ms' },
    });
    expect(fake.killed).toEqual(['SIGKILL']);
  });

  it('kills a process that speaks off-protocol, and remembers a cancel sent before hello', async () => {
    const fake = fakeTransport();
    const run = await createTrainerSupervisor({ transport: () => fake.transport }).start(tinyJob('s3'), {
      runDir: runDir(),
    });
    fake.say({ type: 'progress', jobId: 's3', progress: { percent: 'lots' } });
    expect(fake.killed).toEqual(['SIGKILL']);
    expect(await run.outcome).toMatchObject({ status: 'failed', error: { code: 'protocol-error' } });

    const early = fakeTransport();
    const run2 = await createTrainerSupervisor({ transport: () => early.transport }).start(tinyJob('s4'), {
      runDir: runDir(),
    });
    run2.cancel();
    early.say({ type: 'hello', pid: 1, kinds: [] });
    expect(early.sent).toEqual([{ type: 'cancel' }]);
  });
});
