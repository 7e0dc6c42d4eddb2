import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
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

/** The next frame that answers something (log events from other sockets may arrive in between). */
const nextFrame = (ws: WebSocket) =>
  new Promise<Frame>((resolve) => {
    const onMessage = (d: WebSocket.RawData): void => {
      const frame = JSON.parse(d.toString()) as Frame;
      if (frame.type === 'event') return;
      ws.off('message', onMessage);
      resolve(frame);
    };
    ws.on('message', onMessage);
  });

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

const post = (port: number, path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });

/** Writes raw bytes (a request no HTTP client would build) and resolves with what came back. */
const rawRequest = (port: number, text: string) =>
  new Promise<string>((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (c) => {
      out += c.toString();
      if (/\r\n\r\n/.test(out)) socket.end();
    });
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
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

  it('binds 127.0.0.1 only; launch URLs carry a one-time code in the fragment, never the token', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    const first = host.launchUrl();
    expect(first).toMatch(new RegExp(`^${host.origin}/#launch=[0-9a-f]{32}$`));
    expect(first).not.toContain(host.token);
    expect(host.launchUrl()).not.toBe(first);
  });

  it('trades a launch code for the token once, from its own origin only, and not after it expired', async () => {
    const code = (url: string) => url.split('#launch=')[1]!;
    const session = (launch: string, origin = host.origin) =>
      post(host.port, '/session', { Origin: origin, 'x-sonofuse-launch': launch });
    const fresh = code(host.launchUrl());
    const foreign = await session(fresh, 'http://evil.example');
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    const granted = await session(fresh);
    expect(granted.status).toBe(200);
    expect(granted.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(granted.body)).toEqual({ ok: true, value: { token: host.token } });
    const again = await session(fresh);
    expect(again.status).toBe(401);
    expect(JSON.parse(again.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await session(code(host.launchUrl(0)))).status).toBe(401);
    expect((await session('0'.repeat(32))).status).toBe(401);
    expect((await session('')).status).toBe(401);
  });

  it('answers malformed request targets with 400 on pages and upgrades and keeps serving', async () => {
    for (const target of ['http://[/', '//[', 'http://a:99999/', 'http://%/']) {
      const page = await rawRequest(
        host.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: close\r\n\r\n`,
      );
      expect(page).toMatch(/^HTTP\/1\.1 400 /);
      expect(page).toContain('INVALID_INPUT');
      const upgrade = await rawRequest(
        host.port,
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: ${host.origin}\r\n\r\n`,
      );
      expect(upgrade).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect((await httpGet(host.port, '/')).status).toBe(200);
    expect((await validCall()).result?.ok).toBe(true);
  });

  it('logs refused upgrades at most once per reason and interval, however many arrive', async () => {
    const before = core.services.logger
      .recent(500)
      .filter((e) => e.message.includes('refused a WebSocket upgrade')).length;
    for (let i = 0; i < 40; i++) await connect(`ws://127.0.0.1:${host.port}/ws?token=bad${i}`, goodHeaders);
    const after = core.services.logger
      .recent(500)
      .filter((e) => e.message.includes('refused a WebSocket upgrade')).length;
    expect(after - before).toBeLessThanOrEqual(1);
    expect((await validCall()).result?.ok).toBe(true);
  });

  it('closes a socket that sends a frame over the inbound limit (4 MiB) and keeps serving others', async () => {
    const { ws } = await connect(wsUrl, goodHeaders);
    const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
    ws!.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        channel: 'app:info',
        input: { pad: 'x'.repeat(5 * 1024 * 1024) },
      }),
    );
    expect(await closed).toBe(1009);
    expect((await validCall()).result?.ok).toBe(true);
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
    const frame = new Promise<Frame>((resolve) =>
      ws!.on('message', (d) => {
        const f = JSON.parse(d.toString()) as Frame & { payload?: { source?: string } };
        if (f.payload?.source === 'test') resolve(f);
      }),
    );
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
