import { createContext, useContext } from 'react';

/** What the main process serves per image id: the managed image, or its 256 px thumbnail. */
export type MediaKind = 'image' | 'thumb';

/** Builds the URL of an image by catalog id. The renderer never names a file path. */
export type MediaUrl = (id: number, kind: MediaKind) => string;

/**
 * Media URLs are relative to the page: `media/<kind>/<id>` resolves to the loopback host in the
 * browser mode (which wants the launch token as `?token=`) and to `app://renderer/media/…` inside
 * Electron (no token: only the app's own pages can load app://).
 */
export const createMediaUrl =
  (token: string | null): MediaUrl =>
  (id, kind) =>
    `media/${kind}/${id}${token ? `?token=${encodeURIComponent(token)}` : ''}`;

const MediaContext = createContext<MediaUrl>(createMediaUrl(null));

export const MediaProvider = MediaContext.Provider;

/** The media URL builder of this window. */
export const useMediaUrl = (): MediaUrl => useContext(MediaContext);
