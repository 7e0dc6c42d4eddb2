import { describe, expect, it, vi } from 'vitest';
import { createEventHub } from '../../../../main/contract-server/event-hub';

const entry = { time: '2026-01-01T00:00:00.000Z', level: 'info' as const, source: 's', message: 'm' };

describe('event hub', () => {
  it('delivers valid payloads to every sink, survives a throwing sink, and detaches', () => {
    const hub = createEventHub();
    const a = vi.fn(() => {
      throw new Error('closed');
    });
    const b = vi.fn();
    hub.attach(a);
    const detachB = hub.attach(b);
    hub.emit('app:onLog', entry);
    expect(b).toHaveBeenCalledWith('app:onLog', entry);
    detachB();
    hub.emit('app:onLog', entry);
    expect(b).toHaveBeenCalledTimes(1);
    expect(a).toHaveBeenCalledTimes(2);
  });

  it('drops a payload that breaks its schema and reports it', () => {
    const invalid = vi.fn();
    const hub = createEventHub(invalid);
    const sink = vi.fn();
    hub.attach(sink);
    hub.emit('app:onLog', { ...entry, level: 'loud' } as never);
    expect(sink).not.toHaveBeenCalled();
    expect(invalid).toHaveBeenCalledWith('app:onLog', expect.any(String));
  });
});
