import type { Transport } from '../../shared/contract/build-api';
import {
  ServerFrame,
  WS_PATH,
  type CallChannel,
  type EventChannel,
  type Result,
} from '../../shared/contract/index';

const TOKEN_KEY = 'sonofuse.token';

/** Keeps the launch's token for reloads of this tab only (sessionStorage, never localStorage). */
export const keepToken = (storage: Storage, token: string): void => storage.setItem(TOKEN_KEY, token);

/**
 * Reads the per-launch token the host put in the URL fragment, keeps it for reloads of this tab
 * (sessionStorage), and removes it from the address bar.
 */
export const takeToken = (location: Location, storage: Storage, history: History): string | null => {
  const match = /(?:^#|&)token=([0-9a-f]{16,128})/.exec(location.hash);
  if (match?.[1]) {
    keepToken(storage, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return match[1];
  }
  return storage.getItem(TOKEN_KEY);
};

type Pending = { resolve: (r: Result<unknown>) => void };

/**
 * The browser transport: the contract over one WebSocket to the loopback host. Reconnects with
 * back-off when the host restarts; calls made while disconnected wait for the connection (and fail
 * with TRANSPORT_CLOSED if the socket drops while they are in flight).
 */
export const createWsTransport = (
  baseUrl: string,
  token: string,
  onStatus: (status: 'connecting' | 'open' | 'closed' | 'refused') => void = () => {},
): Transport => {
  const wsUrl = `${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}${WS_PATH}?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;
  let delay = 250;

  const connect = (): Promise<WebSocket> =>
    (opened ??= new Promise<WebSocket>((resolve) => {
      onStatus('connecting');
      const ws = new WebSocket(wsUrl);
      let wasOpen = false;
      ws.onopen = () => {
        wasOpen = true;
        delay = 250;
        socket = ws;
        onStatus('open');
        resolve(ws);
      };
      ws.onmessage = (message) => {
        let frame;
        try {
          frame = ServerFrame.safeParse(JSON.parse(String(message.data)));
        } catch {
          return;
        }
        if (!frame.success) return;
        const data = frame.data;
        if (data.type === 'result') {
          pending.get(data.id)?.resolve(data.result as Result<unknown>);
          pending.delete(data.id);
        } else if (data.type === 'event') {
          for (const listener of listeners.get(data.channel) ?? []) listener(data.payload);
        }
      };
      ws.onclose = () => {
        socket = null;
        opened = null;
        for (const [id, p] of pending) {
          p.resolve({
            ok: false,
            error: { code: 'TRANSPORT_CLOSED', message: 'The connection to SonoFuse was lost.' },
          });
          pending.delete(id);
        }
        onStatus(wasOpen ? 'closed' : 'refused');
        delay = Math.min(delay * 2, 5000);
        setTimeout(() => void connect().then(resolve), delay);
      };
    }));

  return {
    async call(channel: CallChannel, input: unknown) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, { resolve });
        ws.send(JSON.stringify({ type: 'call', id, channel, input }));
      });
    },
    subscribe(channel: EventChannel, listener) {
      void connect();
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  };
};
