import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../../shared/contract/result';
import type { MediaSource } from '../../../../main/host/media-route';

const registered: { handler?: (r: Request) => Promise<Response> } = {};
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: () => {},
    handle: (_scheme: string, h: (r: Request) => Promise<Response>) => (registered.handler = h),
  },
}));
const { registerAppProtocol } = await import('../../../../main/app/app-protocol');

describe('app://renderer/media/… inside Electron', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-eproto-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'scan.jpg'), 'JPEGDATA');
  writeFileSync(join(dir, 'scan.webp'), 'WEBP');
  const source: MediaSource = {
    filePath: (id) => {
      if (id !== 5) throw new AppError('NOT_FOUND', `no image ${id}`);
      return join(dir, 'scan.jpg');
    },
    thumbnailPath: (id) => {
      if (id !== 5) throw new AppError('NOT_FOUND', `no image ${id}`);
      return join(dir, 'scan.webp');
    },
  };

  it('serves images and thumbnails by catalog id through the app protocol, with the CSP', async () => {
    registerAppProtocol(dir, () => source);
    const image = await registered.handler!(new Request('app://renderer/media/image/5'));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(await image.text()).toBe('JPEGDATA');
    expect(image.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const thumb = await registered.handler!(new Request('app://renderer/media/thumb/5'));
    expect([thumb.status, thumb.headers.get('content-type'), await thumb.text()]).toEqual([
      200,
      'image/webp',
      'WEBP',
    ]);
    // The renderer itself is still served.
    expect((await registered.handler!(new Request('app://renderer/index.html'))).status).toBe(200);
  });

  it.each([
    'app://renderer/media/image/6',
    'app://renderer/media/image/..%2Fscan.jpg',
    'app://renderer/media/scan.jpg',
  ])('refuses %s with 404', async (url) => {
    registerAppProtocol(dir, () => source);
    expect((await registered.handler!(new Request(url))).status).toBe(404);
  });

  it('answers 503 while no catalog is open', async () => {
    registerAppProtocol(dir, () => null);
    expect((await registered.handler!(new Request('app://renderer/media/image/5'))).status).toBe(503);
  });
});
