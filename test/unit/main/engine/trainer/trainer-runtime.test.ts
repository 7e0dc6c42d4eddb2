import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NoBackendError } from '../../../../../main/engine/backend/select-backend';
import { createJobRegistry } from '../../../../../main/engine/trainer/job-registry';
import { tinyDenseJob } from '../../../../../main/engine/trainer/tiny-dense-job';
import type { FromTrainerMessage } from '../../../../../main/engine/trainer/trainer-protocol';
import { runTrainer } from '../../../../../main/engine/trainer/trainer-runtime';
import type { ParentPort } from '../../../../../main/engine/trainer/trainer-transport';
import { tinyJob } from './tiny-job-fixture';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Drives runTrainer in-process through a fake parent port. */
const harness = (select?: Parameters<typeof runTrainer>[1]['select']) => {
  const sent: FromTrainerMessage[] = [];
  let deliver: (m: unknown) => void = () => undefined;
  const port: ParentPort = {
    send: async (m) => void sent.push(m),
    onMessage: (l) => void (deliver = l),
  };
  const done = runTrainer(port, {
    registry: createJobRegistry([tinyDenseJob]),
    select:
      select ??
      (async () => ({
        backend: 'cpu',
        tf,
        attempts: [{ name: 'cpu', ok: true, reason: 'selected', ms: 0 }],
      })),
  });
  return { sent, deliver: (m: unknown) => deliver(m), done, types: () => sent.map((m) => m.type) };
};

const runDir = () => join(mkdtempSync(join(tmpdir(), 'sonofuse-rt-')), 'run');

describe('trainer runtime (in-process)', () => {
  it('hello → start → ready, checkpoints, progress → result', async () => {
    const h = harness();
    h.deliver({ type: 'start', job: tinyJob('j1'), runDir: runDir(), resume: false });
    await h.done;
    expect(h.sent[0]).toMatchObject({ type: 'hello', kinds: ['tiny-dense'] });
    expect(h.sent[1]).toMatchObject({ type: 'ready', jobId: 'j1', backend: 'cpu' });
    expect(h.types().filter((t) => t === 'checkpoint')).toHaveLength(6);
    expect(h.types()).toContain('progress');
    const last = h.sent[h.sent.length - 1]!;
    expect(last.type).toBe('result');
    expect((last as { result: { history: unknown[] } }).result.history).toHaveLength(6);
  });

  it('answers bad input with typed error codes', async () => {
    const bad = harness();
    bad.deliver({ type: 'launch' });
    expect(bad.sent[1]).toMatchObject({ type: 'error', code: 'bad-message', jobId: null });
    bad.deliver({
      type: 'start',
      job: { id: 'k', kind: 'stage-9', config: {} },
      runDir: runDir(),
      resume: false,
    });
    await bad.done;
    expect(bad.sent[2]).toMatchObject({ type: 'error', code: 'unknown-job-kind', jobId: 'k' });

    const invalid = harness();
    invalid.deliver({ type: 'start', job: tinyJob('v', { epochs: -1 }), runDir: runDir(), resume: false });
    await invalid.done;
    expect(invalid.sent[1]).toMatchObject({ type: 'error', code: 'invalid-config' });

    const noBackend = harness(async () => {
      throw new NoBackendError([{ name: 'wasm', ok: false, reason: 'not installed', ms: 0 }]);
    });
    noBackend.deliver({ type: 'start', job: tinyJob('n'), runDir: runDir(), resume: false });
    await noBackend.done;
    expect(noBackend.sent[1]).toMatchObject({
      type: 'error',
      code: 'no-backend',
      message: 'no usable backend: wasm: not installed',
    });
  });

  it('cancel stops the job at a batch boundary and reports the checkpoint', async () => {
    const h = harness();
    const dir = runDir();
    h.deliver({
      type: 'start',
      job: tinyJob('c', { epochs: 50, batchDelayMs: 5 }),
      runDir: dir,
      resume: false,
    });
    await new Promise((r) => setTimeout(r, 60));
    h.deliver({ type: 'cancel' });
    await h.done;
    expect(h.sent[h.sent.length - 1]).toEqual({
      type: 'cancelled',
      jobId: 'c',
      checkpointPath: `${dir}/latest.ckpt`,
    });
  });
});
