import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppCore, type AppCore } from '../../../../main/contract-server/create-app-core';
import { createLogger } from '../../../../main/core/logger';
import { startHost, type RunningHost } from '../../../../main/host/http-host';
import { catalogMediaSource, createMediaRoute } from '../../../../main/host/media-route';
import { fakeProbe } from '../../../support/test-core';

const fetch = (url: string) =>
  new Promise<{ status: number; cache: string; code?: string }>((resolve, reject) =>
    get(url, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => (body += c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          cache: String(res.headers['cache-control']),
          code: res.statusCode === 200 ? undefined : JSON.parse(body).error.code,
        }),
      );
    }).on('error', reject),
  );

const png = (background: string) =>
  sharp({ create: { width: 8, height: 8, channels: 3, background } })
    .png()
    .toBuffer();

/**
 * Issue 14 item 13 (media part) through the real catalog: originals referenced in place are shown
 * only while they are still the regular file, with the content hash, that was imported.
 */
describe('media route over originals referenced in place', () => {
  let core: AppCore;
  let host: RunningHost;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sonofuse-inplace-'));
    const folder = join(dir, 'images', 'cls');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'linked.png'), await png('#100'));
    writeFileSync(join(folder, 'edited.png'), await png('#200'));
    writeFileSync(join(folder, 'intact.png'), await png('#300'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    const dbPath = join(dir, 'catalog.db');
    core = createAppCore({
      shell: 'browser-host',
      probe: fakeProbe,
      version: '9.9.9',
      logger: createLogger({ minLevel: 'debug' }),
      catalogDbPath: dbPath,
    });
    const report = await core.dispatcher.dispatch(
      'catalog:import',
      { source: join(dir, 'images'), dataset: 'd', referenceInPlace: true },
      { transport: 'test', peer: 't' },
    );
    expect(report).toMatchObject({ ok: true });
    const db = new Database(dbPath, { readonly: true });
    for (const r of db.prepare('SELECT id, file FROM images').all() as { id: number; file: string }[])
      ids.set(r.file.replace(/^.*\//, ''), r.id);
    db.close();
    // After the import, someone replaces one original by a link to another patient's image and
    // overwrites another with different pixels.
    rmSync(join(folder, 'linked.png'));
    writeFileSync(join(dir, 'other-patient.png'), await png('#abc'));
    symlinkSync(join(dir, 'other-patient.png'), join(folder, 'linked.png'));
    writeFileSync(join(folder, 'edited.png'), await png('#def'));
    host = await startHost({
      core,
      rendererDir: dir,
      routes: [createMediaRoute(() => catalogMediaSource(core.services))],
    });
  });

  afterAll(async () => {
    await host?.close();
    await core?.dispose();
  });

  const image = (name: string) => fetch(`${host.origin}/media/image/${ids.get(name)}?token=${host.token}`);

  it('serves the intact original (never cached by the browser)', async () => {
    expect(await image('intact.png')).toEqual({ status: 200, cache: 'no-store', code: undefined });
  });

  it('refuses an original replaced by a symlink, and one whose bytes no longer hash to the catalog', async () => {
    expect(await image('linked.png')).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await image('edited.png')).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
