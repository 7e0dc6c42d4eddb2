/**
 * Electron entry (bundled to out/main/electron-main.cjs). Composition root of the desktop shell:
 * creates the app core (services, dispatcher, events), serves the renderer over app://, registers
 * the IPC handlers and opens one hardened window. All product logic lives in plain-TS services.
 */
import { app, BrowserWindow, dialog, session } from 'electron';
import { join } from 'node:path';
import { createAppCore } from '../contract-server/create-app-core';
import { projectRoot } from '../runtime/package-info';
import { catalogMediaSource } from '../host/media-route';
import { storeMediaSource } from '../contract-server/store-catalog-handlers';
import { departmentFromSwitches, type DepartmentWorkspace } from '../catalog-store/department-workspace';
import { redactUrl } from '../catalog-store/workspace-location';
import { createLogger } from '../core/logger';
import { APP_ORIGIN, registerAppProtocol, registerAppSchemePrivileges } from './app-protocol';
import { createNativeFileChooser } from './file-dialog';
import { hardenApp } from './harden';
import { createSafeStorageSecrets } from './safe-storage-secrets';
import { defaultCatalogPath } from '../catalog/catalog-paths';
import { keyDirFor } from '../catalog/pseudonym-keys';
import { createUtilityProcessTransport } from './utility-process-transport';
import { createMainWindow } from './main-window';
import { forwardEvents, registerIpc } from '../ipc/register-ipc';
import { restrictUmask } from '../security/private-files';

// Owner-only files and folders for everything the app (and the trainer it starts) writes.
restrictUmask();

const root = projectRoot();
registerAppSchemePrivileges();

/**
 * A department workspace from `--db postgres://… --store DIR` (or SONOFUSE_DB/SONOFUSE_STORE, as
 * `sonofuse start --db` passes them); undefined = the local catalog. Invalid options: an error box, then quit.
 */
const departmentOrQuit = (): DepartmentWorkspace | undefined | null => {
  try {
    return departmentFromSwitches((name) => app.commandLine.getSwitchValue(name));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void app.whenReady().then(() => {
      dialog.showErrorBox('SonoFuse: shared workspace', message);
      app.quit();
    });
    return null;
  }
};

const department = departmentOrQuit();

if (department === null || !app.requestSingleInstanceLock()) {
  if (department !== null) app.quit();
} else {
  // The catalog lives in the user's data folder (SONOFUSE_DATA_DIR overrides it, as in the CLI).
  const catalogDbPath = process.env.SONOFUSE_DATA_DIR
    ? undefined
    : join(app.getPath('userData'), 'workspaces', 'default', 'catalog.db');
  const log = createLogger({ write: (line) => process.stderr.write(`${line}\n`) });
  if (department)
    log.info('app', `Shared catalog ${redactUrl(department.url)}, images in ${department.storeDir}`);
  const core = createAppCore({
    shell: 'electron',
    catalogDbPath,
    department,
    files: createNativeFileChooser(),
    // Training runs in a utilityProcess: a crash or OOM there never takes the window down.
    trainerTransport: () =>
      createUtilityProcessTransport({ entry: join(root, 'out', 'trainer', 'trainer-entry.js') }), // built by electron.config.ts
    logger: log,
    // The pseudonym key, encrypted with the OS keystore, beside the workspace folder (never in the catalog).
    secrets: createSafeStorageSecrets(keyDirFor(catalogDbPath ?? defaultCatalogPath())),
  });

  const openWindow = (): void => {
    const window = createMainWindow(join(root, 'out', 'preload', 'preload.cjs'), !app.isPackaged);
    forwardEvents(core, window.webContents);
  };

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(() => {
    hardenApp(app, session.defaultSession);
    registerAppProtocol(join(root, 'out', 'renderer'), () =>
      core.store && department
        ? storeMediaSource(core.store, department.storeDir)
        : catalogMediaSource(core.services),
    );
    registerIpc(core, (url) => typeof url === 'string' && url.startsWith(`${APP_ORIGIN}/`));
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    void core.dispose();
  });
}
