import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ErrorCode, ServerFrame } from '../../../../shared/contract/index';
import type { AppCore } from '../../../../main/contract-server/create-app-core';
import { startHost, type RunningHost } from '../../../../main/host/http-host';
import { catalogMediaSource, createMediaRoute } from '../../../../main/host/media-route';
import { fuzzMessages, fuzzRequests, type FuzzMessage } from '../../../support/host-fuzz';
import { createTestCore } from '../../../support/test-core';

/** Fixed seed: a failure replays exactly (`fuzzMessages(SEED, n)[i]` is the frame that broke it). */
const SEED = 20261204;
const MESSAGES = 3000;
const REQUESTS = 1000;
/** Frames in flight at once: enough to overlap handlers, below the host's per-socket limit. */
const WINDOW = 16;

const httpGet = (port: number, path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

/** Sends one raw request on its own connection; resolves with the response head (or '' if none came). */
const rawRequest = (port: number, text: string) =>
  new Promise<string>((resolve) => {
    let out = '';
    const socket = netConnect(port, '127.0.0.1', () => socket.write(text));
    const done = (): void => {
      socket.destroy();
      resolve(out);
    };
    socket.setTimeout(5000, done);
    socket.on('data', (chunk) => {
      out += chunk.toString('latin1');
      if (out.includes('\r\n\r\n')) done();
    });
    socket.on('close', done);
    socket.on('error', done);
  });

describe('host fuzz (fixed seed, bounded)', () => {
  let core: AppCore;
  let host: RunningHost;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-fuzz-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    core = createTestCore();
    host = await startHost({
      core,
      rendererDir: dir,
      routes: [createMediaRoute(() => catalogMediaSource(core.services))],
    });
  });

  afterAll(async () => {
    await host.close();
    await core.dispose();
  });

  const call = async (ws: WebSocket, id: number) => {
    const answer = new Promise<{ type: string; result?: { ok: boolean } }>((resolve) => {
      const on = (d: WebSocket.RawData): void => {
        const f = JSON.parse(d.toString());
        if (f.id !== id) return;
        ws.off('message', on);
        resolve(f);
      };
      ws.on('message', on);
    });
    ws.send(JSON.stringify({ type: 'call', id, channel: 'app:info', input: {} }));
    return answer;
  };

  it(`answers ${MESSAGES} mutated WebSocket messages with typed frames, one each, and keeps serving`, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      headers: { Origin: host.origin },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers: unknown[] = [];
    let waiting: (() => void) | null = null;
    let closed: number | null = null;
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      if (frame.type === 'event') return;
      answers.push(frame);
      waiting?.();
    });
    ws.on('close', (code) => {
      closed = code;
      waiting?.();
    });
    const messages: FuzzMessage[] = fuzzMessages(SEED, MESSAGES);
    for (let at = 0; at < messages.length && closed === null; at += WINDOW) {
      const batch = messages.slice(at, at + WINDOW);
      const expected = answers.length + batch.length;
      for (const m of batch) ws.send('text' in m ? m.text : m.binary, { binary: !('text' in m) });
      while (answers.length < expected && closed === null)
        await new Promise<void>((resolve) => (waiting = resolve));
    }
    expect(closed).toBeNull();
    expect(answers).toHaveLength(MESSAGES);
    const codes = new Map<string, number>();
    for (const answer of answers) {
      const frame = ServerFrame.parse(answer);
      const error =
        frame.type === 'error'
          ? frame.error
          : frame.type === 'result' && !frame.result.ok
            ? frame.result.error
            : null;
      const code = error ? ErrorCode.parse(error.code) : 'ok';
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // Hostile input is refused by validation, never by a handler crashing.
    expect(codes.get('INTERNAL') ?? 0).toBe(0);
    expect(codes.get('MALFORMED_MESSAGE')).toBeGreaterThan(MESSAGES / 10);
    expect(codes.get('INVALID_INPUT')).toBeGreaterThan(MESSAGES / 10);
    expect(await call(ws, 424242)).toMatchObject({ type: 'result', result: { ok: true } });
    ws.close();
  });

  it(`answers ${REQUESTS} hostile request lines and headers, and still serves pages and sockets`, async () => {
    const statuses = new Map<number, number>();
    for (const raw of fuzzRequests(SEED, REQUESTS)) {
      const head = await rawRequest(host.port, raw.replace('Host: HOST', `Host: 127.0.0.1:${host.port}`));
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1];
      const key = status ? Number(status) : 0;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    // Every request got an HTTP answer (0 would be a silent drop or a hang), none of them a 5xx.
    expect([...statuses.keys()].sort()).not.toContain(0);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(await httpGet(host.port, '/')).toBe(200);
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      headers: { Origin: host.origin },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    expect(await call(ws, 1)).toMatchObject({ result: { ok: true } });
    ws.close();
  });
});
