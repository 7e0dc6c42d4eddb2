import type { App, Session, WebContents } from 'electron';
import { APP_ORIGIN } from './app-protocol';

/** True for URLs inside the app's own origin; everything else is foreign. */
export const isAppUrl = (url: string): boolean => {
  try {
    return new URL(url).origin === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
  } catch {
    return false;
  }
};

/** Denies new windows, foreign navigation, webviews and permission prompts for one WebContents. */
export const hardenWebContents = (contents: WebContents): void => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
};

/** Applies the hardening to every WebContents the app ever creates, and denies all permissions. */
export const hardenApp = (app: App, session: Session): void => {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // No network: refuse every request that is not for the app's own origin.
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !(isAppUrl(details.url) || details.url.startsWith('devtools://')) });
  });
};
