import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createBackendProbe } from '../../main/runtime/backend-probe';
import { ensureBuilt } from '../../main/runtime/build-output';
import { screenshotPath } from './support/browser';

const electronStatus = createBackendProbe()
  .probe()
  .find((b) => b.name === 'electron')!;

/**
 * Drives the real desktop shell with Playwright's Electron launcher. On machines without the
 * Electron binary (ours: it cannot be downloaded offline) this is skipped with the probe's reason;
 * the shell's adapters are covered by the unit tests in test/unit/main/app and test/unit/main/ipc.
 */
describe.skipIf(!electronStatus.available)(`Electron shell (${electronStatus.detail})`, () => {
  it('opens a hardened window that shows the version through IPC', async () => {
    await ensureBuilt(process.cwd(), { renderer: true, electron: true });
    const app = await electron.launch({ args: ['.'], cwd: process.cwd() });
    try {
      const window = await app.firstWindow();
      await expect.poll(() => window.getByTestId('app-version').textContent()).toMatch(/^\d+\.\d+\.\d+/);
      expect(window.url()).toBe('app://renderer/index.html');
      // No Node in the page, and the bridge exposes the contract only.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(
        await window.evaluate(() => Object.keys((window as unknown as { sonofuse: object }).sonofuse)),
      ).toContain('app');
      await window.screenshot({ path: screenshotPath('electron-shell') });
    } finally {
      await app.close();
    }
  });
});
