import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ServerResponse } from 'node:http';
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

export type MediaRefusal = { ok: false; status: number; code: ErrorCode; message: string };

export type MediaAnswer = { ok: true; path: string; type: string; size: number } | MediaRefusal;

/** Largest image served (a browser-viewable ultrasound frame is a few MB). */
export const MEDIA_MAX_BYTES = 256 * 1024 * 1024;

const missing = (message: string): MediaAnswer => ({ ok: false, status: 404, code: 'NOT_FOUND', message });

const notRegular = (id: number | string): MediaRefusal => ({
  ok: false,
  status: 409,
  code: 'CONFLICT',
  message: `Image ${id} is no longer a regular file (a link or folder took its place); not served.`,
});

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
    const info = await lstat(path).catch(() => null);
    if (!info) return missing(`Image ${parsed.id} is not on disk.`);
    if (!info.isFile()) return notRegular(parsed.id);
    return { ok: true, path, type, size: info.size };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return missing(error.message);
    throw error;
  }
};

/**
 * Patient images are never kept by the browser: not in its disk cache (where the token-bearing
 * URL would key them) nor in its memory cache across navigations.
 */
export const MEDIA_CACHE = 'no-store';

/**
 * Reads the file of a resolved answer without following a link at its last component (O_NOFOLLOW;
 * O_NONBLOCK so a FIFO cannot stall it; checked again on the open descriptor, so a swap after the
 * lookup is caught) and only when it is a regular file. The content-hash check of an original referenced in place is the catalog's
 * (`viewPath`/`thumbnailPath` verify it before making the copy that is shown).
 */
export const readMedia = async (
  answer: Extract<MediaAnswer, { ok: true }>,
  id: number | string = 'media',
): Promise<{ ok: true; bytes: Buffer<ArrayBuffer> } | MediaRefusal> => {
  const handle = await open(
    answer.path,
    constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
  ).catch((error: NodeJS.ErrnoException) => error);
  if (handle instanceof Error)
    return handle.code === 'ELOOP'
      ? notRegular(id)
      : { ok: false, status: 404, code: 'NOT_FOUND', message: `Image ${id} is not on disk.` };
  try {
    const info = await handle.stat();
    if (!info.isFile()) return notRegular(id);
    if (info.size > MEDIA_MAX_BYTES)
      return {
        ok: false,
        status: 413,
        code: 'RESPONSE_TOO_LARGE',
        message: `Image ${id} is too large to show.`,
      };
    // readFile allocates a fresh buffer of its own (never a pooled slice).
    return { ok: true, bytes: (await handle.readFile()) as Buffer<ArrayBuffer> };
  } finally {
    await handle.close();
  }
};

const sendJsonError = (res: ServerResponse, headers: Record<string, string>, answer: MediaRefusal): void => {
  res.writeHead(answer.status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify({ ok: false, error: { code: answer.code, message: answer.message } }));
};

/**
 * The loopback host's `/media/{image|thumb}/<id>` route (the host checks the launch token before
 * calling it). Sends the checked bytes with their type and `no-store`; errors answer the
 * contract's JSON error shape.
 */
export const createMediaRoute = (getSource: () => MediaSource | null): HostRoute => ({
  prefix: MEDIA_PREFIX,
  async handle(req, res, url, headers) {
    const answer = await resolveMedia(getSource(), url.pathname);
    if (!answer.ok) return sendJsonError(res, headers, answer);
    const read = await readMedia(answer, parseMediaPath(url.pathname)?.id);
    if (!read.ok) return sendJsonError(res, headers, read);
    res.writeHead(200, {
      ...headers,
      'Content-Type': answer.type,
      'Content-Length': String(read.bytes.length),
      'Cache-Control': MEDIA_CACHE,
    });
    res.end(req.method === 'HEAD' ? undefined : read.bytes);
  },
});

/** The catalog service of a services object, when it is wired and offers file paths by id. */
export const catalogMediaSource = (services: object): MediaSource | null => {
  const catalog = (services as { catalog?: Partial<MediaSource> }).catalog;
  return catalog && typeof catalog.filePath === 'function' && typeof catalog.thumbnailPath === 'function'
    ? (catalog as MediaSource)
    : null;
};
