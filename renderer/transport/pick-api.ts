import { buildApi } from '../../shared/contract/build-api';
import type { SonoFuseApi } from '../../shared/contract/index';
import { createMediaUrl, type MediaUrl } from '../catalog/media-url';
import { createWsTransport, takeToken } from './ws-transport';

declare global {
  interface Window {
    /** Present only inside Electron, exposed by the preload. */
    sonofuse?: SonoFuseApi;
  }
}

export type TransportKind = 'electron-ipc' | 'browser-ws';

export type PickedApi =
  { ok: true; kind: TransportKind; api: SonoFuseApi; mediaUrl: MediaUrl } | { ok: false; message: string };

/** Uses the preload's bridge inside Electron; otherwise the loopback host's WebSocket with its token. */
export const pickApi = (onStatus?: Parameters<typeof createWsTransport>[2]): PickedApi => {
  if (window.sonofuse)
    return { ok: true, kind: 'electron-ipc', api: window.sonofuse, mediaUrl: createMediaUrl(null) };
  const token = takeToken(window.location, window.sessionStorage, window.history);
  if (!token) {
    return {
      ok: false,
      message:
        'This page needs the address printed by `npm start` (it carries a one-time access token). Open that address again.',
    };
  }
  return {
    ok: true,
    kind: 'browser-ws',
    api: buildApi(createWsTransport(window.location.origin, token, onStatus)),
    mediaUrl: createMediaUrl(token),
  };
};
