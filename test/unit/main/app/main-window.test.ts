import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: Array<{ options: Record<string, unknown>; loadURL: ReturnType<typeof vi.fn> }> = [];
vi.mock('electron', () => ({
  BrowserWindow: class {
    loadURL = vi.fn(async () => {});
    once = vi.fn();
    constructor(options: Record<string, unknown>) {
      created.push({ options, loadURL: this.loadURL });
    }
  },
}));

const { createMainWindow, mainWindowOptions } = await import('../../../../main/app/main-window');

describe('main window', () => {
  beforeEach(() => {
    created.length = 0;
  });

  it('is hardened: isolation, sandbox, no Node, web security, no webviews', () => {
    const prefs = mainWindowOptions('/p/preload.cjs', false).webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/p/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });

  it('loads the renderer from app://, never file://', () => {
    createMainWindow('/p/preload.cjs', true);
    expect(created).toHaveLength(1);
    expect(created[0]!.loadURL).toHaveBeenCalledWith('app://renderer/index.html');
  });
});
