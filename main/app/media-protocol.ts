import { readFile } from 'node:fs/promises';
import { MEDIA_CACHE, resolveMedia, type MediaSource } from '../host/media-route';

/**
 * Answers `app://renderer/media/{image|thumb}/<id>` inside Electron: the same id-only lookup as
 * the browser host's media route (only the app's own pages can load app://, so no token).
 */
export const handleMediaRequest = async (
  source: MediaSource | null,
  pathname: string,
  headers: Record<string, string>,
): Promise<Response> => {
  const answer = await resolveMedia(source, pathname).catch(() => null);
  if (!answer) return new Response('Media failed', { status: 500, headers });
  if (!answer.ok)
    return new Response(
      JSON.stringify({ ok: false, error: { code: answer.code, message: answer.message } }),
      {
        status: answer.status,
        headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
      },
    );
  const body = await readFile(answer.path);
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'Content-Type': answer.type, 'Cache-Control': MEDIA_CACHE },
  });
};
