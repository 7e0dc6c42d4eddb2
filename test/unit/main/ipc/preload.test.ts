import { describe, expect, it, vi } from 'vitest';
import { callChannels, eventChannels } from '../../../../shared/contract/index';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }));
const on = vi.fn();
const removeListener = vi.fn();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, on, removeListener, sendSync: vi.fn(), send: vi.fn() },
}));

await import('../../../../main/ipc/preload');

describe('preload', () => {
  const api = exposed.sonofuse as Record<string, Record<string, (...args: unknown[]) => unknown>>;

  it('exposes only window.sonofuse, shaped by the contract', () => {
    expect(Object.keys(exposed)).toEqual(['sonofuse']);
    const names = Object.entries(api).flatMap(([d, fns]) => Object.keys(fns).map((n) => `${d}:${n}`));
    expect(names.sort()).toEqual([...callChannels, ...eventChannels].sort());
    expect(api.invoke).toBeUndefined();
  });

  it('binds each call to its own channel through ipcRenderer.invoke (never sendSync)', async () => {
    await expect(api.app!.info!({})).resolves.toEqual({
      ok: true,
      value: { channel: 'app:info', input: {} },
    });
    expect(invoke).toHaveBeenCalledWith('app:info', {});
  });

  it('subscribes events without handing the IPC event object to the page', () => {
    const listener = vi.fn();
    const unsubscribe = api.app!.onLog!(listener) as () => void;
    expect(on).toHaveBeenCalledWith('app:onLog', expect.any(Function));
    const wrapped = on.mock.calls[0]![1] as (event: unknown, payload: unknown) => void;
    wrapped({ sender: 'secret ipc object' }, { message: 'x' });
    expect(listener).toHaveBeenCalledWith({ message: 'x' });
    unsubscribe();
    expect(removeListener).toHaveBeenCalledWith('app:onLog', wrapped);
  });
});
