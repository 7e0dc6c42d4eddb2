import { callChannels, eventChannels, splitChannel } from './index';
import type { CallChannel, EventChannel, SonoFuseApi, Unsubscribe } from './index';
import type { Result } from './result';

/** The two primitives a transport must provide. Nothing else crosses a boundary. */
export interface Transport {
  call(channel: CallChannel, input: unknown): Promise<Result<unknown>>;
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): Unsubscribe;
}

/**
 * Builds the `SonoFuseApi` object (one named function per channel) over a transport. Used by the
 * preload (over ipcRenderer, each function bound to its one fixed channel) and by the renderer's
 * WebSocket transport, so both expose the identical surface.
 */
export const buildApi = (transport: Transport): SonoFuseApi => {
  const api: Record<string, Record<string, unknown>> = {};
  const domainOf = (domain: string): Record<string, unknown> => (api[domain] ??= {});
  for (const channel of callChannels) {
    const { domain, name } = splitChannel(channel);
    domainOf(domain)[name] = (input: unknown) => transport.call(channel, input);
  }
  for (const channel of eventChannels) {
    const { domain, name } = splitChannel(channel);
    domainOf(domain)[name] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${channel} needs a listener function`);
      return transport.subscribe(channel, listener);
    };
  }
  for (const domain of Object.values(api)) Object.freeze(domain);
  return Object.freeze(api) as unknown as SonoFuseApi;
};
