import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { AppError, type ErrorCode } from '../../shared/contract/result';
import type { HostRoute } from './http-host';

/**
 * Where image files come from: the catalog service, asked by image id. The renderer only ever
 * names an id; the path is the catalog's (its managed store, or the original when referenced in
 * place), so no path from a page is ever trusted.
 */
export interface MediaSource {
  filePath(id: number): string;
  /**
   * The file to show for an image when it differs from `filePath`: the catalog's answers a copy
   * without embedded metadata (EXIF, XMP…) for an original referenced in place.
   */
  viewPath?(id: number): Promise<string>;
  thumbnailPath(id: number): string | Promise<string>;
}

export type MediaKind = 'image' | 'thumb';

export const MEDIA_PREFIX = '/media/';

/** Image types a browser can show; anything else (TIFF, raw DICOM) is shown by its thumbnail. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
};

/** `/media/thumb/42` → `{ kind: 'thumb', id: 42 }`; anything else → null. */
export const parseMediaPath = (pathname: string): { kind: MediaKind; id: number } | null => {
  const m = /^\/media\/(image|thumb)\/([1-9]\d{0,11})$/.exec(pathname);
  if (!m) return null;
  const id = Number(m[2]);
  return Number.isSafeInteger(id) ? { kind: m[1] as MediaKind, id } : null;
};

export type MediaAnswer =
  | { ok: true; path: string; type: string; size: number }
  | { ok: false; status: number; code: ErrorCode; message: string };

const missing = (message: string): MediaAnswer => ({ ok: false, status: 404, code: 'NOT_FOUND', message });

/** Resolves a media URL path to a file through the catalog, or says why not (never throws for expected cases). */
export const resolveMedia = async (source: MediaSource | null, pathname: string): Promise<MediaAnswer> => {
  if (!source) return { ok: false, status: 503, code: 'UNAVAILABLE', message: 'The catalog is not open.' };
  const parsed = parseMediaPath(pathname);
  if (!parsed) return missing('No such media.');
  try {
    let path =
      parsed.kind === 'thumb'
        ? await source.thumbnailPath(parsed.id)
        : ((await source.viewPath?.(parsed.id)) ?? source.filePath(parsed.id));
    let type = MEDIA_TYPES[extname(path).toLowerCase()];
    if (!type && parsed.kind === 'image') {
      path = await source.thumbnailPath(parsed.id);
      type = MEDIA_TYPES[extname(path).toLowerCase()];
    }
    if (!type) return { ok: false, status: 415, code: 'INVALID_INPUT', message: 'Not a displayable image.' };
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return missing(`Image ${parsed.id} is not on disk.`);
    return { ok: true, path, type, size: info.size };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return missing(error.message);
    throw error;
  }
};

/** Image files never change under an id, so the browser may keep them for the session. */
export const MEDIA_CACHE = 'private, max-age=3600';

/**
 * The loopback host's `/media/{image|thumb}/<id>` route (the host checks the launch token before
 * calling it). Streams the file with its type; errors answer the contract's JSON error shape.
 */
export const createMediaRoute = (getSource: () => MediaSource | null): HostRoute => ({
  prefix: MEDIA_PREFIX,
  async handle(req, res, url, headers) {
    const answer = await resolveMedia(getSource(), url.pathname);
    if (!answer.ok) {
      res.writeHead(answer.status, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: false, error: { code: answer.code, message: answer.message } }));
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': answer.type,
      'Content-Length': String(answer.size),
      'Cache-Control': MEDIA_CACHE,
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(answer.path)
      .on('error', () => res.destroy())
      .pipe(res);
  },
});

/** The catalog service of a services object, when it is wired and offers file paths by id. */
export const catalogMediaSource = (services: object): MediaSource | null => {
  const catalog = (services as { catalog?: Partial<MediaSource> }).catalog;
  return catalog && typeof catalog.filePath === 'function' && typeof catalog.thumbnailPath === 'function'
    ? (catalog as MediaSource)
    : null;
};
