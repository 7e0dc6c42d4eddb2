import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL } from './app-protocol';

/** The hardened options of every SonoFuse window; exported so a test can assert each one. */
export const mainWindowOptions = (
  preloadPath: string,
  devTools: boolean,
): BrowserWindowConstructorOptions => ({
  width: 1440,
  height: 900,
  minWidth: 1024,
  minHeight: 680,
  backgroundColor: '#0f1216',
  title: 'SonoFuse',
  show: false,
  webPreferences: {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    devTools,
  },
});

export const createMainWindow = (preloadPath: string, devTools: boolean): BrowserWindow => {
  const window = new BrowserWindow(mainWindowOptions(preloadPath, devTools));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
};
