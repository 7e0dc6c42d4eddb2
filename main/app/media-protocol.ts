import { MEDIA_CACHE, readMedia, resolveMedia, type MediaSource } from '../host/media-route';

/**
 * Answers `app://renderer/media/{image|thumb}/<id>` inside Electron: the same id-only lookup as
 * the browser host's media route (only the app's own pages can load app://, so no token).
 */
export const handleMediaRequest = async (
  source: MediaSource | null,
  pathname: string,
  headers: Record<string, string>,
): Promise<Response> => {
  const resolved = await resolveMedia(source, pathname).catch(() => null);
  if (!resolved) return new Response('Media failed', { status: 500, headers });
  // The bytes come from readMedia: a regular file opened without following links, never a path read blindly.
  const read = resolved.ok ? await readMedia(resolved).catch(() => null) : resolved;
  if (!read) return new Response('Media failed', { status: 500, headers });
  if (!read.ok)
    return new Response(JSON.stringify({ ok: false, error: { code: read.code, message: read.message } }), {
      status: read.status,
      headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
    });
  return new Response(read.bytes, {
    status: 200,
    headers: { ...headers, 'Content-Type': resolved.ok ? resolved.type : '', 'Cache-Control': MEDIA_CACHE },
  });
};
