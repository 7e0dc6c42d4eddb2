import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract/result';
import type { AppCore } from '../../../../main/contract-server/create-app-core';
import { startHost, type RunningHost } from '../../../../main/host/http-host';
import {
  catalogMediaSource,
  createMediaRoute,
  MEDIA_CACHE,
  parseMediaPath,
  readMedia,
  resolveMedia,
  type MediaSource,
} from '../../../../main/host/media-route';
import { createTestCore } from '../../../support/test-core';

const dir = mkdtempSync(join(tmpdir(), 'sonofuse-media-'));
const png = Buffer.from('89504e470d0a1a0a0000', 'hex');
writeFileSync(join(dir, 'a.png'), png);
writeFileSync(join(dir, 'a.webp'), 'RIFFwebp');
writeFileSync(join(dir, 'b.tif'), 'II*');
// An original that was replaced by a link to another file (another patient's image, /etc/passwd…).
writeFileSync(join(dir, 'other-patient.png'), png);
symlinkSync(join(dir, 'other-patient.png'), join(dir, 'swapped.png'));

/** Image 1 is a PNG, 2 a TIFF (shown by its thumbnail), 3 is gone from disk, 4 a symlink; others unknown. */
const source: MediaSource = {
  filePath: (id) => {
    if (id === 1) return join(dir, 'a.png');
    if (id === 2) return join(dir, 'b.tif');
    if (id === 3) return join(dir, 'deleted.png');
    if (id === 4) return join(dir, 'swapped.png');
    throw new AppError('NOT_FOUND', `no image ${id}`);
  },
  thumbnailPath: async (id) => {
    if (id > 4) throw new AppError('NOT_FOUND', `no image ${id}`);
    return join(dir, 'a.webp');
  },
};

const fetchBytes = (url: string) =>
  new Promise<{ status: number; type: string; cache: string; body: Buffer }>((resolve, reject) =>
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          cache: String(res.headers['cache-control']),
          body: Buffer.concat(chunks),
        }),
      );
    }).on('error', reject),
  );

describe('media paths', () => {
  it('accepts only /media/{image|thumb}/<positive id>', () => {
    expect(parseMediaPath('/media/thumb/42')).toEqual({ kind: 'thumb', id: 42 });
    expect(parseMediaPath('/media/image/7')).toEqual({ kind: 'image', id: 7 });
    for (const bad of [
      '/media/thumb/0',
      '/media/thumb/-1',
      '/media/thumb/1/..',
      '/media/file/1',
      '/media/image/%2e%2e',
      '/media/image/1.png',
    ])
      expect(parseMediaPath(bad)).toBeNull();
  });

  it('resolves through the source, falls back to the thumbnail for non-browser formats, 404s the rest', async () => {
    expect(await resolveMedia(source, '/media/image/1')).toMatchObject({
      ok: true,
      type: 'image/png',
      size: 10,
    });
    expect(await resolveMedia(source, '/media/image/2')).toMatchObject({ ok: true, type: 'image/webp' });
    expect(await resolveMedia(source, '/media/image/3')).toMatchObject({ ok: false, status: 404 });
    expect(await resolveMedia(source, '/media/image/9')).toMatchObject({
      ok: false,
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(await resolveMedia(null, '/media/image/1')).toMatchObject({
      ok: false,
      status: 503,
      code: 'UNAVAILABLE',
    });
  });

  it('refuses a path that is no longer a regular file (a symlink took its place)', async () => {
    expect(await resolveMedia(source, '/media/image/4')).toMatchObject({
      ok: false,
      status: 409,
      code: 'CONFLICT',
    });
  });

  it('reads without following a link swapped in after the lookup, and never blocks on a FIFO', async () => {
    const resolved = await resolveMedia(source, '/media/image/1');
    if (!resolved.ok) throw new Error('image 1 should resolve');
    expect(await readMedia(resolved, 1)).toMatchObject({ ok: true, bytes: png });
    // The same answer, but by the time it is read the path is a link: refused, not followed.
    expect(await readMedia({ ...resolved, path: join(dir, 'swapped.png') }, 1)).toMatchObject({
      ok: false,
      status: 409,
      code: 'CONFLICT',
    });
    const fifo = join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    expect(await readMedia({ ...resolved, path: fifo }, 1)).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await readMedia({ ...resolved, path: join(dir, 'gone.png') }, 1)).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('finds the catalog on a services object only when it offers paths by id', () => {
    expect(catalogMediaSource({ catalog: source })).toBe(source);
    expect(catalogMediaSource({})).toBeNull();
    expect(catalogMediaSource({ catalog: { filePath: () => '' } })).toBeNull();
  });
});

describe('media route on the loopback host', () => {
  let core: AppCore;
  let host: RunningHost;
  beforeAll(async () => {
    core = createTestCore();
    host = await startHost({ core, rendererDir: dir, routes: [createMediaRoute(() => source)] });
  });
  afterAll(async () => {
    await host.close();
    await core.dispose();
  });

  it('serves an image by id with the token, with type, caching and the security headers', async () => {
    const res = await fetchBytes(`${host.origin}/media/image/1?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('image/png');
    expect(res.body.equals(png)).toBe(true);
    // Patient images never go to the browser's cache (the old answer was `private, max-age=3600`).
    expect(res.cache).toBe('no-store');
    expect(MEDIA_CACHE).toBe('no-store');
    const thumb = await fetchBytes(`${host.origin}/media/thumb/1?token=${host.token}`);
    expect([thumb.status, thumb.type, thumb.body.toString()]).toEqual([200, 'image/webp', 'RIFFwebp']);
  });

  it('refuses without the token, and answers unknown ids and paths with typed 404s', async () => {
    const noToken = await fetchBytes(`${host.origin}/media/image/1`);
    expect(noToken.status).toBe(401);
    expect(JSON.parse(noToken.body.toString()).error.code).toBe('UNAUTHORIZED');
    const wrong = await fetchBytes(`${host.origin}/media/image/1?token=${'0'.repeat(host.token.length)}`);
    expect(wrong.status).toBe(401);
    const swapped = await fetchBytes(`${host.origin}/media/image/4?token=${host.token}`);
    expect(swapped.status).toBe(409);
    expect(JSON.parse(swapped.body.toString()).error.code).toBe('CONFLICT');
    for (const path of ['/media/image/999', '/media/image/..%2f..%2fetc%2fpasswd', '/media/a.png']) {
      const res = await fetchBytes(`${host.origin}${path}?token=${host.token}`);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString()).error.code).toBe('NOT_FOUND');
    }
  });
});
