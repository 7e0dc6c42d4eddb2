import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { callChannels } from '../../../../shared/contract/index';
import { createTestCore } from '../../../support/test-core';

const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, h: (event: unknown, input: unknown) => Promise<unknown>) =>
      handlers.set(channel, h),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));
const { forwardEvents, registerIpc } = await import('../../../../main/ipc/register-ipc');

const event = (url: string | undefined) => ({
  senderFrame: url === undefined ? null : { url },
  sender: { id: 3 },
});

describe('IPC adapter', () => {
  const core = createTestCore();
  const trusted = (url: string | undefined) => typeof url === 'string' && url.startsWith('app://renderer/');

  it('registers exactly one handler per contract call and removes them again', () => {
    const dispose = registerIpc(core, trusted);
    expect([...handlers.keys()].sort()).toEqual(callChannels);
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('serves a trusted sender, validates input, and refuses foreign frames with a typed error', async () => {
    registerIpc(core, trusted);
    const info = handlers.get('app:info')!;
    expect(await info(event('app://renderer/index.html'), {})).toMatchObject({
      ok: true,
      value: { version: '9.9.9' },
    });
    expect(await info(event('app://renderer/index.html'), 'garbage')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await info(event('https://evil.example/'), {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await info(event(undefined), {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it('forwards events to a window until it is destroyed', () => {
    const contents = Object.assign(new EventEmitter(), { send: vi.fn(), isDestroyed: () => false });
    forwardEvents(core, contents as never);
    core.services.logger.info('test', 'to window');
    expect(contents.send).toHaveBeenCalledWith(
      'app:onLog',
      expect.objectContaining({ message: 'to window' }),
    );
    contents.emit('destroyed');
    core.services.logger.info('test', 'after close');
    expect(contents.send).toHaveBeenCalledTimes(1);
  });
});
