import { buildApi } from '../../shared/contract/build-api';
import type { SonoFuseApi } from '../../shared/contract/index';
import { createMediaUrl, type MediaUrl } from '../catalog/media-url';
import { exchangeLaunchCode, takeLaunchCode } from './launch-session';
import { createWsTransport, keepToken, takeToken } from './ws-transport';

declare global {
  interface Window {
    /** Present only inside Electron, exposed by the preload. */
    sonofuse?: SonoFuseApi;
  }
}

export type TransportKind = 'electron-ipc' | 'browser-ws';

export type PickedApi =
  { ok: true; kind: TransportKind; api: SonoFuseApi; mediaUrl: MediaUrl } | { ok: false; message: string };

const NEEDS_ADDRESS =
  'This page needs the address printed by `npm start` (it carries a one-time access code). Open that address again.';

/**
 * Uses the preload's bridge inside Electron; otherwise the loopback host's WebSocket with this
 * launch's token: traded for the one-time launch code in the address (which then stops working),
 * or kept by this tab from an earlier load.
 */
export const pickApi = async (onStatus?: Parameters<typeof createWsTransport>[2]): Promise<PickedApi> => {
  if (window.sonofuse)
    return { ok: true, kind: 'electron-ipc', api: window.sonofuse, mediaUrl: createMediaUrl(null) };
  const launch = takeLaunchCode(window.location, window.history);
  let token: string | null = null;
  let refusal: string | null = null;
  if (launch) {
    const traded = await exchangeLaunchCode(window.location.origin, launch);
    if (traded.ok) {
      token = traded.token;
      keepToken(window.sessionStorage, token);
    } else refusal = `${traded.message} Run \`npm start\` again for a new address.`;
  }
  token ??= takeToken(window.location, window.sessionStorage, window.history);
  if (!token) return { ok: false, message: refusal ?? NEEDS_ADDRESS };
  return {
    ok: true,
    kind: 'browser-ws',
    api: buildApi(createWsTransport(window.location.origin, token, onStatus)),
    mediaUrl: createMediaUrl(token),
  };
};
