import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../../../main/host/http-host';
import type { AppCore } from '../../../../main/contract-server/create-app-core';
import { createTestCore } from '../../../support/test-core';

type Frame = {
  type: string;
  id?: number;
  result?: { ok: boolean; value?: unknown; error?: { code: string } };
  error?: { code: string };
};

/** Opens a socket and resolves with it, or with the refusal's HTTP status and JSON body. */
const connect = (url: string, headers: Record<string, string>) =>
  new Promise<{ ws?: WebSocket; status?: number; body?: { ok: boolean; error: { code: string } } }>(
    (resolve) => {
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => resolve({ ws }));
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
      });
      ws.once('error', () => {});
    },
  );

const nextFrame = (ws: WebSocket) =>
  new Promise<Frame>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));

const httpGet = (port: number, path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });

describe('loopback host', () => {
  let core: AppCore;
  let host: RunningHost;
  let wsUrl: string;
  let goodHeaders: Record<string, string>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-host-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'sonofuse-secret.html'), 'secret');
    core = createTestCore();
    host = await startHost({
      core,
      rendererDir: dir,
      routes: [{ prefix: '/media/', handle: (_req, res) => void res.end('media ok') }],
    });
    wsUrl = `ws://127.0.0.1:${host.port}/ws?token=${host.token}`;
    goodHeaders = { Origin: host.origin };
  });

  afterAll(async () => {
    await host.close();
    await core.dispose();
  });

  const validCall = async (): Promise<Frame> => {
    const { ws } = await connect(wsUrl, goodHeaders);
    ws!.send(JSON.stringify({ type: 'call', id: 1, channel: 'app:info', input: {} }));
    const frame = await nextFrame(ws!);
    ws!.close();
    return frame;
  };

  it('binds 127.0.0.1 only and puts the token in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/#token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serves a call over an authenticated socket', async () => {
    const frame = await validCall();
    expect(frame).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: true, value: { name: 'SonoFuse', version: '9.9.9' } },
    });
  });

  it('rejects a forged token with UNAUTHORIZED and keeps serving', async () => {
    const forged = host.token.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const refused = await connect(`ws://127.0.0.1:${host.port}/ws?token=${forged}`, goodHeaders);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const missing = await connect(`ws://127.0.0.1:${host.port}/ws`, goodHeaders);
    expect(missing.body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await validCall()).result?.ok).toBe(true);
  });

  it('rejects a wrong origin (even with the right token) with FORBIDDEN_ORIGIN and keeps serving', async () => {
    for (const Origin of ['http://evil.example', 'null', `http://127.0.0.1:${host.port + 1}`]) {
      const refused = await connect(wsUrl, { Origin });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    }
    const noOrigin = await connect(wsUrl, {});
    expect(noOrigin.body).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    expect((await validCall()).result?.ok).toBe(true);
  });

  it('rejects a foreign Host header (DNS rebinding) on pages and sockets', async () => {
    const page = await httpGet(host.port, '/', { Host: 'attacker.example' });
    expect(page.status).toBe(421);
    expect(JSON.parse(page.body)).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    const socket = await connect(wsUrl, { ...goodHeaders, Host: 'attacker.example' });
    expect(socket.body).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
  });

  it('answers malformed payloads with typed errors on the same open socket', async () => {
    const { ws } = await connect(wsUrl, goodHeaders);
    const cases: Array<[string | Buffer, (f: Frame) => void]> = [
      ['not json {', (f) => expect(f).toMatchObject({ type: 'error', error: { code: 'MALFORMED_MESSAGE' } })],
      [
        JSON.stringify({ type: 'call', channel: 'app:info' }),
        (f) => expect(f).toMatchObject({ type: 'error', error: { code: 'MALFORMED_MESSAGE' } }),
      ],
      [
        JSON.stringify({ type: 'call', id: 7, channel: 5, input: {} }),
        (f) =>
          expect(f).toMatchObject({
            type: 'result',
            id: 7,
            result: { ok: false, error: { code: 'MALFORMED_MESSAGE' } },
          }),
      ],
      [
        JSON.stringify({ type: 'call', id: 8, channel: 'app:info', input: { evil: true } }),
        (f) => expect(f).toMatchObject({ id: 8, result: { ok: false, error: { code: 'INVALID_INPUT' } } }),
      ],
      [
        JSON.stringify({ type: 'call', id: 9, channel: '__proto__', input: {} }),
        (f) => expect(f).toMatchObject({ id: 9, result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } } }),
      ],
      [
        JSON.stringify(null),
        (f) => expect(f).toMatchObject({ type: 'error', error: { code: 'MALFORMED_MESSAGE' } }),
      ],
      [
        Buffer.from([1, 2, 3]),
        (f) => expect(f).toMatchObject({ type: 'error', error: { code: 'MALFORMED_MESSAGE' } }),
      ],
    ];
    for (const [payload, check] of cases) {
      const frame = nextFrame(ws!);
      ws!.send(payload);
      check(await frame);
    }
    expect(ws!.readyState).toBe(WebSocket.OPEN);
    ws!.send(JSON.stringify({ type: 'call', id: 10, channel: 'app:info', input: {} }));
    expect(await nextFrame(ws!)).toMatchObject({ id: 10, result: { ok: true } });
    ws!.close();
  });

  it('pushes contract events to connected clients', async () => {
    const { ws } = await connect(wsUrl, goodHeaders);
    const frame = nextFrame(ws!);
    core.services.logger.info('test', 'hello clients');
    expect(await frame).toMatchObject({
      type: 'event',
      channel: 'app:onLog',
      payload: { source: 'test', message: 'hello clients' },
    });
    ws!.close();
  });

  it('serves the renderer with a strict CSP and refuses path escapes and unknown files', async () => {
    const index = await httpGet(host.port, '/');
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(String(index.headers['content-security-policy'])).toContain(
      `connect-src 'self' ws://127.0.0.1:${host.port}`,
    );
    expect((await httpGet(host.port, '/assets/a.js')).status).toBe(200);
    for (const path of [
      '/../sonofuse-secret.html',
      '/%2e%2e/sonofuse-secret.html',
      '/assets/..%2f..%2fsonofuse-secret.html',
      '/nope.html',
      '/assets',
    ]) {
      expect((await httpGet(host.port, path)).status).toBe(404);
    }
  });

  it('guards routes with the token', async () => {
    expect((await httpGet(host.port, '/media/x')).status).toBe(401);
    expect((await httpGet(host.port, `/media/x?token=${'0'.repeat(64)}`)).status).toBe(401);
    const ok = await httpGet(host.port, `/media/x?token=${host.token}`);
    expect(ok).toMatchObject({ status: 200, body: 'media ok' });
  });

  it('refuses methods other than GET', async () => {
    const res = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/', method: 'POST' }, (r) =>
        resolve(r.statusCode ?? 0),
      );
      req.end('x');
    });
    expect(res).toBe(405);
  });
});
