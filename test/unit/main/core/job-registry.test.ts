import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../../shared/contract/index';
import { createJobRegistry } from '../../../../main/core/job-registry';
import { createTestCore } from '../../../support/test-core';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('job registry', () => {
  it('computes a smoothed rate and ETA and throttles progress events to ~4 Hz', () => {
    const c = clock();
    const events: JobInfo[] = [];
    const jobs = createJobRegistry({ emit: (j) => events.push(j), now: c.now });
    const job = jobs.start({ kind: 'import', title: 'Import busi', total: 100 });
    expect(events).toHaveLength(1);
    // 10 items per second for 2 s, reported every 100 ms: 20 updates. With a 250 ms throttle the
    // progress events go out at +300, +600, … +1800 ms (6), plus the start event: 7.
    for (let i = 1; i <= 20; i++) {
      c.advance(100);
      job.progress(i);
    }
    expect(events).toHaveLength(7);
    const last = jobs.list()[0]!;
    expect(last.ratePerSecond).toBeCloseTo(10, 6); // every instant rate is exactly 10/s
    expect(last.etaSeconds).toBeCloseTo(8, 6); // (100 - 20) / 10
    job.succeed('done');
    expect(events.at(-1)).toMatchObject({ state: 'succeeded', etaSeconds: 0, message: 'done' });
    job.progress(50);
    expect(jobs.list()[0]!.done).toBe(20); // a finished job ignores late progress
  });

  it("shows a job's own ETA as is (one ETA source: a run's trainer estimate, not items/rate)", () => {
    const c = clock();
    const jobs = createJobRegistry({ emit: () => {}, now: c.now });
    const job = jobs.start({ kind: 'run', title: 'Run 4' });
    c.advance(1000);
    // Batch 5 of 28 in the epoch at 5 batches/s would say 4.6 s; the trainer says 300 s left.
    job.progress(5, 28, 'stage1 epoch 2/10', 300);
    expect(jobs.list()[0]!.etaSeconds).toBe(300);
    c.advance(1000);
    job.progress(6, 28, undefined, null);
    expect(jobs.list()[0]!.etaSeconds).toBeNull();
  });

  it('cancels through the AbortSignal, once, and only cancellable running jobs', () => {
    const jobs = createJobRegistry({ emit: () => {} });
    const job = jobs.start({ kind: 'run', title: 'Run' });
    const fixed = jobs.start({ kind: 'backup', title: 'Backup', cancellable: false });
    expect(jobs.cancel(fixed.id)).toBe(false);
    expect(jobs.cancel('nope')).toBe(false);
    expect(jobs.cancel(job.id)).toBe(true);
    expect(job.signal.aborted).toBe(true);
    job.cancelled();
    expect(jobs.list().find((j) => j.id === job.id)).toMatchObject({
      state: 'cancelled',
      message: 'Cancelled by the user.',
    });
    expect(jobs.cancel(job.id)).toBe(false);
  });

  it('keeps only the newest finished jobs', () => {
    const jobs = createJobRegistry({ emit: () => {}, keepFinished: 2 });
    for (let i = 0; i < 5; i++) jobs.start({ kind: 'k', title: `job ${i}` }).succeed();
    expect(jobs.list().map((j) => j.title)).toEqual(['job 3', 'job 4']);
  });

  it('reaches clients as jobs:onUpdate events and answers jobs:list / jobs:cancel', async () => {
    const core = createTestCore();
    const seen: string[] = [];
    core.events.attach((channel, payload) => seen.push(`${channel}:${(payload as JobInfo).state ?? ''}`));
    const job = core.services.jobs.start({ kind: 'import', title: 'Import' });
    expect(seen).toContain('jobs:onUpdate:running');
    const ctx = { transport: 'test' as const, peer: 't' };
    expect(await core.dispatcher.dispatch('jobs:list', {}, ctx)).toMatchObject({
      ok: true,
      value: [{ id: job.id, state: 'running' }],
    });
    expect(await core.dispatcher.dispatch('jobs:cancel', { id: job.id }, ctx)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await core.dispatcher.dispatch('jobs:cancel', { id: '' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});
