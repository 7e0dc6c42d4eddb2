import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { protocol } from 'electron';
import { buildCsp, securityHeaders } from '../security/csp';
import type { MediaSource } from '../host/media-route';
import { resolveInside } from '../security/path-guard';
import { handleMediaRequest } from './media-protocol';

/** The renderer's origin inside Electron. Pages never load from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Must run before `app.whenReady()`: makes app:// a secure, standard scheme. */
export const registerAppSchemePrivileges = (): void => {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
};

/**
 * Answers an app:// request from the built renderer folder, behind the path guard and with the
 * strict CSP. Exported separately from the registration so tests can call it with plain Requests.
 */
export const handleAppRequest = async (
  rendererDir: string,
  request: Request,
  media?: () => MediaSource | null,
): Promise<Response> => {
  const headers = securityHeaders(buildCsp());
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return new Response('Not found', { status: 404, headers });
  if (media && url.pathname.startsWith('/media/')) return handleMediaRequest(media(), url.pathname, headers);
  const relative = url.pathname === '/' ? 'index.html' : url.pathname.replace(/^\/+/, '');
  const file = resolveInside(rendererDir, relative);
  const type = file ? types[extname(file).toLowerCase()] : undefined;
  if (!file || !type) return new Response('Not found', { status: 404, headers });
  try {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': type } });
  } catch {
    return new Response('Not found', { status: 404, headers });
  }
};

/** Serves app:// from the renderer folder; `media` (the catalog, once open) answers `/media/…` by image id. */
export const registerAppProtocol = (rendererDir: string, media?: () => MediaSource | null): void => {
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(rendererDir, request, media));
};
