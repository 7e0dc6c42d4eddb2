import { describe, expect, it, vi } from 'vitest';
import { buildApi, type Transport } from '../../../../shared/contract/build-api';
import { callChannels, eventChannels } from '../../../../shared/contract/index';

describe('buildApi', () => {
  it('exposes one function per call and per event, each bound to its own channel', async () => {
    const transport: Transport = {
      call: vi.fn(async (channel, input) => ({ ok: true as const, value: { channel, input } })),
      subscribe: vi.fn(() => () => {}),
    };
    const api = buildApi(transport);
    const result = await api.app.info({});
    expect(result).toEqual({ ok: true, value: { channel: 'app:info', input: {} } });
    const listener = vi.fn();
    api.app.onLog(listener);
    expect(transport.subscribe).toHaveBeenCalledWith('app:onLog', listener);
    const exposed = Object.entries(api).flatMap(([d, fns]) => Object.keys(fns).map((n) => `${d}:${n}`));
    expect(exposed.sort()).toEqual([...callChannels, ...eventChannels].sort());
    // No generic pass-through exists.
    expect((api as unknown as Record<string, unknown>).invoke).toBeUndefined();
    expect(Object.isFrozen(api) && Object.isFrozen(api.app)).toBe(true);
  });

  it('refuses a non-function listener', () => {
    const api = buildApi({ call: async () => ({ ok: true, value: null }), subscribe: () => () => {} });
    expect(() => api.app.onLog('nope' as never)).toThrow(TypeError);
  });
});
