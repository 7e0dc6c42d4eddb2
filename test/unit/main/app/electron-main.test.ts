import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { callChannels } from '../../../../shared/contract/index';

/** A fake `electron` module rich enough to run the composition root of the desktop shell. */
const fake = vi.hoisted(() => {
  const calls: string[] = [];
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((r) => (readyResolve = r));
  return {
    calls,
    ready,
    readyResolve,
    windows: [] as Array<{ options: { webPreferences: Record<string, unknown> }; url?: string }>,
  };
});

vi.mock('electron', () => {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    commandLine: { getSwitchValue: () => '' },
    requestSingleInstanceLock: () => true,
    getPath: (name: string) => `/fake/${name}`,
    whenReady: () => fake.ready,
    quit: vi.fn(),
  });
  class BrowserWindow {
    static getAllWindows = () => [];
    webContents = Object.assign(new EventEmitter(), { send: vi.fn(), isDestroyed: () => false, id: 1 });
    constructor(public options: { webPreferences: Record<string, unknown> }) {
      fake.windows.push(this as never);
    }
    once() {}
    loadURL(url: string) {
      (this as unknown as { url: string }).url = url;
      return Promise.resolve();
    }
  }
  return {
    app,
    BrowserWindow,
    ipcMain: { handle: (channel: string) => fake.calls.push(`handle ${channel}`), removeHandler: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: () => fake.calls.push('privileges'),
      handle: (scheme: string) => fake.calls.push(`protocol ${scheme}`),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => fake.calls.push('permissions'),
        setPermissionCheckHandler: () => fake.calls.push('permission-check'),
        webRequest: { onBeforeRequest: () => fake.calls.push('network-filter') },
      },
    },
  };
});

describe('electron-main composition root', () => {
  it('registers the scheme first, then on ready hardens, serves, wires IPC and opens one sandboxed window', async () => {
    await import('../../../../main/app/electron-main');
    expect(fake.calls).toEqual(['privileges']);
    fake.readyResolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(fake.calls.slice(0, 5)).toEqual([
      'privileges',
      'permissions',
      'permission-check',
      'network-filter',
      'protocol app',
    ]);
    const handled = fake.calls.filter((c) => c.startsWith('handle ')).map((c) => c.slice(7));
    expect(handled.sort()).toEqual(callChannels);
    expect(fake.windows).toHaveLength(1);
    const win = fake.windows[0]!;
    expect(win.url).toBe('app://renderer/index.html');
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String(win.options.webPreferences.preload)).toMatch(/out[\\/]preload[\\/]preload\.cjs$/);
  });
});
