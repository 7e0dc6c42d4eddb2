import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAppCore, type AppCore } from '../../../../main/contract-server/create-app-core';
import { createLogger } from '../../../../main/core/logger';
import { startHost, type RunningHost } from '../../../../main/host/http-host';
import { DEFAULT_SOCKET_LIMITS } from '../../../../main/host/ws-gateway';
import { fakeProbe } from '../../../support/test-core';

/**
 * Issue 14 item 3 through the real path (catalog → dispatcher → WebSocket): a note far larger than
 * the app allows, written straight into the database (an old catalog, another tool), must come back
 * as a typed RESPONSE_TOO_LARGE, not kill the host. The outbound limit is shrunk to 1 MiB so a 3 MB
 * note stands for the 300 MB one that made JSON.stringify throw.
 */
describe('an answer over the outbound limit', () => {
  let core: AppCore;
  let host: RunningHost;
  let ws: WebSocket;
  let imageId = 0;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-large-'));
    const images = join(dir, 'images', 'a');
    mkdirSync(images, { recursive: true });
    writeFileSync(
      join(images, 'one.png'),
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#345' } })
        .png()
        .toBuffer(),
    );
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const dbPath = join(dir, 'catalog.db');
    core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '9.9.9',
      logger: createLogger({ minLevel: 'debug' }),
      catalogDbPath: dbPath,
    });
    const imported = await core.dispatcher.dispatch(
      'catalog:import',
      { source: join(dir, 'images'), dataset: 'd' },
      { transport: 'test', peer: 't' },
    );
    expect(imported).toMatchObject({ ok: true });
    const db = new Database(dbPath);
    imageId = (db.prepare('SELECT id FROM images LIMIT 1').get() as { id: number }).id;
    db.prepare(
      `INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES (?, ?, '2026-01-01', 'x')
       ON CONFLICT(image_id) DO UPDATE SET text = excluded.text`,
    ).run(imageId, 'n'.repeat(3 * 1024 * 1024));
    db.close();
    host = await startHost({
      core,
      rendererDir: dir,
      socketLimits: { ...DEFAULT_SOCKET_LIMITS, maxOutboundBytes: 1024 * 1024 },
    });
    ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      headers: { Origin: host.origin },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  });

  afterAll(async () => {
    ws?.close();
    await host?.close();
    await core?.dispose();
  });

  const call = (id: number, channel: string, input: unknown) =>
    new Promise<{ result: { ok: boolean; error?: { code: string } } }>((resolve) => {
      const on = (d: WebSocket.RawData): void => {
        const frame = JSON.parse(d.toString());
        if (frame.id !== id) return;
        ws.off('message', on);
        resolve(frame);
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ type: 'call', id, channel, input }));
    });

  it('answers catalog:image with RESPONSE_TOO_LARGE and keeps serving the same socket', async () => {
    expect(await call(1, 'catalog:image', { id: imageId })).toMatchObject({
      result: { ok: false, error: { code: 'RESPONSE_TOO_LARGE' } },
    });
    expect(await call(2, 'app:info', {})).toMatchObject({ result: { ok: true } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});
