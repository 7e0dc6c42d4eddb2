import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  createUtilityParentPort,
  electronParentPort,
} from '../../../../../main/engine/trainer/utility-parent-port';

describe('utilityProcess parent port', () => {
  it('unwraps { data } events and posts messages', async () => {
    const raw = Object.assign(new EventEmitter(), { postMessage: vi.fn() });
    const port = createUtilityParentPort(raw as never);
    const seen: unknown[] = [];
    port.onMessage((m) => seen.push(m));
    raw.emit('message', { data: { type: 'cancel' } });
    await port.send({ type: 'hello' } as never);
    expect(seen).toEqual([{ type: 'cancel' }]);
    expect(raw.postMessage).toHaveBeenCalledWith({ type: 'hello' });
  });

  it('is absent in a plain Node process', () => {
    expect(electronParentPort()).toBeNull();
  });
});
