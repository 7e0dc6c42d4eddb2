// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../shared/contract/index';
import { ApiProvider } from '../../../renderer/api-context';
import { formatDuration, formatRate } from '../../../renderer/components/format';
import { JobsIndicator } from '../../../renderer/components/jobs-indicator';
import { createFakeApi } from '../fake-api';

afterEach(cleanup);

const job = (over: Partial<JobInfo>): JobInfo => ({
  id: 'j1',
  kind: 'import',
  title: 'Import busi',
  state: 'running',
  done: 0,
  total: 780,
  ratePerSecond: null,
  etaSeconds: null,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  message: null,
  cancellable: true,
  ...over,
});

describe('JobsIndicator', () => {
  it('shows running jobs with rate and ETA, cancels through the contract, then shows the outcome', async () => {
    const { api, emit, received } = createFakeApi({
      'jobs:list': () => ({ ok: true, value: [job({ done: 100, ratePerSecond: 20, etaSeconds: 34 })] }),
      'jobs:cancel': () => ({ ok: true, value: { cancelled: true } }),
    });
    render(
      <ApiProvider value={api}>
        <JobsIndicator />
      </ApiProvider>,
    );
    expect((await screen.findByTestId('job-running')).textContent).toContain('100/780 · 20.0/s · ETA 34 s');
    act(() => emit('jobs:onUpdate', job({ done: 400, ratePerSecond: 25, etaSeconds: 15.2 })));
    expect(screen.getByTestId('job-running').textContent).toContain('400/780 · 25.0/s · ETA 15 s');
    await act(async () => screen.getByRole('button', { name: 'Cancel Import busi' }).click());
    expect(received).toContainEqual({ channel: 'jobs:cancel', input: { id: 'j1' } });
    act(() => emit('jobs:onUpdate', job({ state: 'cancelled', message: 'Cancelled by the user.' })));
    expect(screen.queryByTestId('job-running')).toBeNull();
    expect(screen.getByTestId('job-finished').textContent).toBe(
      'Import busi: cancelled — Cancelled by the user.',
    );
  });

  it('formats durations and rates', () => {
    expect([formatDuration(12.4), formatDuration(185), formatDuration(3720), formatDuration(null)]).toEqual([
      '12 s',
      '3 min 05 s',
      '1 h 02 min',
      '—',
    ]);
    expect([formatRate(3.14159), formatRate(250.4), formatRate(null)]).toEqual(['3.1/s', '250/s', '—']);
  });
});
