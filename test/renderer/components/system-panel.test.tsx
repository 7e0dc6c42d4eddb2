// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppInfo } from '../../../shared/contract/index';
import { ApiProvider } from '../../../renderer/api-context';
import { LogPanel } from '../../../renderer/components/log-panel';
import { SystemPanel } from '../../../renderer/components/system-panel';
import { createFakeApi } from '../fake-api';

const info: AppInfo = {
  name: 'SonoFuse',
  version: '1.2.3',
  shell: 'browser-host',
  platform: 'linux',
  arch: 'x64',
  nodeVersion: '20.20.2',
  electronVersion: null,
  backends: [
    { name: 'electron', available: false, detail: 'not installed', version: null },
    { name: 'tfjs-node-gpu', available: false, detail: 'no CUDA', version: null },
    { name: 'tfjs-node', available: false, detail: 'not installed', version: null },
    { name: 'wasm', available: true, detail: 'SIMD', version: '4.22.0' },
  ],
  catalogPath: '/data/sonofuse/default/catalog.db',
  workspace: 'default',
  nativeDialogs: false,
};

afterEach(cleanup);

describe('SystemPanel', () => {
  it('shows the version and each backend with its status', async () => {
    const { api } = createFakeApi({ 'app:info': () => ({ ok: true, value: info }) });
    render(
      <ApiProvider value={api}>
        <SystemPanel />
      </ApiProvider>,
    );
    expect((await screen.findByTestId('app-version')).textContent).toBe('1.2.3');
    expect(screen.getByTestId('backend-wasm').textContent).toContain('available');
    expect(screen.getByTestId('backend-tfjs-node-gpu').textContent).toContain('no CUDA');
    expect(screen.getAllByText('unavailable')).toHaveLength(3);
  });

  it('shows a contract error as a message with a retry, not a blank screen', async () => {
    let calls = 0;
    const { api } = createFakeApi({
      'app:info': () =>
        ++calls === 1
          ? { ok: false, error: { code: 'TRANSPORT_CLOSED', message: 'Lost connection.' } }
          : { ok: true, value: info },
    });
    render(
      <ApiProvider value={api}>
        <SystemPanel />
      </ApiProvider>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Lost connection.');
    expect(alert.textContent).toContain('TRANSPORT_CLOSED');
    await act(async () => screen.getByRole('button', { name: 'Retry' }).click());
    expect((await screen.findByTestId('app-version')).textContent).toBe('1.2.3');
  });
});

describe('LogPanel', () => {
  it('lists recent entries then live app:onLog events', async () => {
    const entry = {
      time: '2026-01-01T10:11:12.000Z',
      level: 'info' as const,
      source: 'host',
      message: 'serving',
    };
    const { api, emit, received } = createFakeApi({ 'app:recentLogs': () => ({ ok: true, value: [entry] }) });
    render(
      <ApiProvider value={api}>
        <LogPanel />
      </ApiProvider>,
    );
    expect((await screen.findByText('serving')).closest('li')?.textContent).toContain('10:11:12');
    act(() => emit('app:onLog', { ...entry, level: 'warn', message: 'refused a WebSocket upgrade' }));
    expect(screen.getByText('refused a WebSocket upgrade').closest('li')?.className).toBe('log-warn');
    expect(received).toContainEqual({ channel: 'app:recentLogs', input: { limit: 100 } });
  });
});
