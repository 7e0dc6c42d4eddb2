import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A fake `electron` with command-line switches and error boxes: the shell's department options. */
const fake = vi.hoisted(() => ({
  switches: {} as Record<string, string>,
  handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
  errorBoxes: [] as string[][],
  quits: 0,
  windows: 0,
}));

vi.mock('electron', () => {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    commandLine: { getSwitchValue: (name: string) => fake.switches[name] ?? '' },
    requestSingleInstanceLock: () => true,
    getPath: (name: string) => `/fake/${name}`,
    whenReady: () => Promise.resolve(),
    quit: () => (fake.quits += 1),
  });
  class BrowserWindow {
    static getAllWindows = () => [];
    webContents = Object.assign(new EventEmitter(), { send: () => {}, isDestroyed: () => false, id: 1 });
    constructor() {
      fake.windows += 1;
    }
    once() {}
    loadURL() {
      return Promise.resolve();
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: (title: string, text: string) => fake.errorBoxes.push([title, text]) },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, input: unknown) => Promise<unknown>) =>
        fake.handlers.set(channel, fn),
      removeHandler: () => {},
    },
    protocol: { registerSchemesAsPrivileged: () => {}, handle: () => {} },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => {},
        setPermissionCheckHandler: () => {},
        webRequest: { onBeforeRequest: () => {} },
      },
    },
  };
});

const trusted = { senderFrame: { url: 'app://renderer/index.html' }, sender: { id: 1 } };
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('electron-main in a department workspace', () => {
  const saved = { ...process.env };
  const store = mkdtempSync(join(tmpdir(), 'sonofuse-dept-store-'));
  let stderr: string[];
  beforeEach(() => {
    vi.resetModules();
    fake.switches = {};
    fake.handlers.clear();
    fake.errorBoxes = [];
    fake.quits = 0;
    fake.windows = 0;
    stderr = [];
    process.env.SONOFUSE_DATA_DIR = mkdtempSync(join(tmpdir(), 'sonofuse-dept-data-'));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  it('serves app:info with the REDACTED shared catalog URL (from SONOFUSE_DB, as `sonofuse start --db` passes it)', async () => {
    process.env.SONOFUSE_DB = 'postgresql://ann:s3cr3t@/sonofuse?host=/nonexistent-socket-dir';
    fake.switches = { store };
    await import('../../../../main/app/electron-main');
    await settle();
    expect(fake.windows).toBe(1);
    const info = (await fake.handlers.get('app:info')!(trusted, {})) as {
      ok: boolean;
      value: { catalogPath: string };
    };
    expect(info).toMatchObject({ ok: true });
    expect(info.value.catalogPath).toBe('postgresql://ann:***@/sonofuse?host=/nonexistent-socket-dir');
    expect(stderr.join('')).toContain(`Shared catalog postgresql://ann:***@/sonofuse`);
    expect(stderr.join('')).not.toContain('s3cr3t');
  });

  it('without department options it shows the local catalog path', async () => {
    await import('../../../../main/app/electron-main');
    await settle();
    const info = (await fake.handlers.get('app:info')!(trusted, {})) as { value: { catalogPath: string } };
    expect(info.value.catalogPath).toBe(join(process.env.SONOFUSE_DATA_DIR!, 'default', 'catalog.db'));
  });

  it('a --db switch carrying a password: an error box (no password in it), quit, no window and no IPC', async () => {
    fake.switches = { db: 'postgres://ann:s3cr3t@db/sonofuse', store };
    await import('../../../../main/app/electron-main');
    await settle();
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]![1]).toMatch(/~\/\.pgpass/);
    expect(fake.errorBoxes[0]!.join(' ')).not.toContain('s3cr3t');
    expect(fake.quits).toBe(1);
    expect(fake.windows).toBe(0);
    expect(fake.handlers.size).toBe(0);
  });

  it('a store folder that does not exist is refused the same way', async () => {
    fake.switches = { db: 'postgres://ann@db/sonofuse', store: join(store, 'not-mounted') };
    await import('../../../../main/app/electron-main');
    await settle();
    expect(fake.errorBoxes[0]![1]).toMatch(/is not a folder \(is the share mounted\?\)/);
    expect(fake.windows).toBe(0);
  });
});
