import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { AppCore } from '../../../../main/contract-server/create-app-core';
import type { Dispatcher } from '../../../../main/contract-server/dispatcher';
import { createEventHub } from '../../../../main/contract-server/event-hub';
import { attachContractSocket, DEFAULT_SOCKET_LIMITS, encodeFrame } from '../../../../main/host/ws-gateway';
import { createLogger } from '../../../../main/core/logger';

type Frame = {
  type: string;
  id?: number;
  result?: { ok: boolean; value?: unknown; error?: { code: string } };
};

/** A value whose serialisation fails the way a note of hundreds of MB does inside JSON.stringify. */
const unstringifiable = {
  toJSON() {
    throw new RangeError('Invalid string length');
  },
};

/** Channel names steer the fake dispatcher; the real one is tested on its own. */
const releases: Array<() => void> = [];
const dispatcher: Dispatcher = {
  dispatch(channel) {
    if (channel === 'huge') return Promise.resolve({ ok: true, value: unstringifiable });
    if (channel === 'big') return Promise.resolve({ ok: true, value: 'x'.repeat(5000) });
    if (channel === 'reject') return Promise.reject(new Error('broken dispatcher'));
    if (channel === 'hang')
      return new Promise((resolve) => releases.push(() => resolve({ ok: true, value: 1 })));
    return Promise.resolve({ ok: true, value: 'fine' });
  },
};

describe('contract socket', () => {
  const logger = createLogger({ minLevel: 'debug' });
  const events = createEventHub();
  const core = { dispatcher, events, services: { logger } } as unknown as AppCore;
  let server: WebSocketServer;
  let ws: WebSocket;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    server.on('connection', (socket) =>
      attachContractSocket(socket, core, 't1', {
        ...DEFAULT_SOCKET_LIMITS,
        maxOutboundBytes: 1000,
        maxCallsInFlight: 2,
      }),
    );
    await new Promise((resolve) => server.once('listening', resolve));
    ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((resolve) => ws.once('open', resolve));
  });

  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    ws.close();
    server.close();
  });

  const call = (id: number, channel: string) =>
    new Promise<Frame>((resolve) => {
      const onMessage = (d: WebSocket.RawData): void => {
        const frame = JSON.parse(d.toString()) as Frame;
        if (frame.id !== id) return;
        ws.off('message', onMessage);
        resolve(frame);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ type: 'call', id, channel, input: {} }));
    });

  it('answers RESPONSE_TOO_LARGE for an answer V8 cannot even stringify, and keeps the socket', async () => {
    // Before: JSON.stringify threw inside the dispatch promise (an unhandled rejection) and the
    // caller waited forever.
    expect(await call(1, 'huge')).toEqual({
      type: 'result',
      id: 1,
      result: { ok: false, error: { code: 'RESPONSE_TOO_LARGE', message: expect.any(String) } },
    });
    expect(await call(2, 'small')).toMatchObject({ result: { ok: true, value: 'fine' } });
    expect(unhandled).toEqual([]);
  });

  it('answers RESPONSE_TOO_LARGE for an answer over the outbound limit', async () => {
    expect(await call(3, 'big')).toMatchObject({
      id: 3,
      result: { ok: false, error: { code: 'RESPONSE_TOO_LARGE' } },
    });
  });

  it('answers INTERNAL when the dispatcher breaks its promise never to reject', async () => {
    expect(await call(4, 'reject')).toMatchObject({
      id: 4,
      result: { ok: false, error: { code: 'INTERNAL' } },
    });
    expect(unhandled).toEqual([]);
  });

  it('bounds the calls one socket has in flight', async () => {
    const first = call(5, 'hang');
    const second = call(6, 'hang');
    expect(await call(7, 'small')).toMatchObject({
      id: 7,
      result: { ok: false, error: { code: 'UNAVAILABLE' } },
    });
    // Frames are handled in order: both hanging calls were dispatched before the third was refused.
    expect(releases).toHaveLength(2);
    for (const release of releases) release();
    expect(await first).toMatchObject({ result: { ok: true } });
    expect(await second).toMatchObject({ result: { ok: true } });
    expect(await call(8, 'small')).toMatchObject({ result: { ok: true } });
  });

  it('drops an event too large to send instead of failing the socket', async () => {
    const next = call(9, 'small');
    events.emit('app:onLog', {
      time: new Date().toISOString(),
      level: 'info',
      source: 's',
      message: 'y'.repeat(2000),
    });
    expect(await next).toMatchObject({ id: 9, result: { ok: true } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('encodeFrame', () => {
  it('encodes within the limit, and says too-large or unserialisable otherwise', () => {
    const frame = { type: 'result' as const, id: 1, result: { ok: true as const, value: 'é'.repeat(10) } };
    expect(encodeFrame(frame, 1000)).toEqual({ ok: true, text: JSON.stringify(frame) });
    // 10 two-byte characters: over a limit counted in bytes even where the UTF-16 length fits.
    expect(encodeFrame(frame, JSON.stringify(frame).length)).toEqual({ ok: false, reason: 'too-large' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(encodeFrame({ type: 'result', id: 1, result: { ok: true, value: cyclic } }, 1000)).toEqual({
      ok: false,
      reason: 'unserialisable',
    });
  });
});
