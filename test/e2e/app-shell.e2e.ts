import AxeBuilder from '@axe-core/playwright';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, screenshotPath } from './support/browser';
import { nameLabeller } from './support/labeller';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;

describe('app shell in browser mode (Debian Chromium)', () => {
  let host: HostProcess;
  let browser: Browser;

  beforeAll(async () => {
    host = await startAppHost();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('loads, shows the version and the backend list, and writes a screenshot', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(host.url);
    await nameLabeller(page); // a fresh workspace asks once who is labelling
    await page.getByRole('button', { name: 'System' }).click(); // the app opens on the catalog
    await expect.poll(() => page.getByTestId('app-version').textContent()).toBe(version);
    for (const name of ['electron', 'tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']) {
      await expect.poll(() => page.getByTestId(`backend-${name}`).count()).toBe(1);
    }
    // This machine has the wasm backend and no Electron binary: the page must say so.
    expect(await page.getByTestId('backend-wasm').textContent()).toContain('available');
    expect(await page.getByTestId('backend-electron').textContent()).toContain('unavailable');
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Connected');
    // The host's own log arrives through app:recentLogs / app:onLog.
    await expect.poll(() => page.locator('.log li').count()).toBeGreaterThan(0);
    const file = screenshotPath('app-shell-system');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('survives a reload (token kept for the tab) and passes an axe accessibility scan', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.url);
    await page.getByRole('button', { name: 'System' }).click();
    await expect.poll(() => page.getByTestId('app-version').textContent()).toBe(version);
    await page.reload();
    await page.getByRole('button', { name: 'System' }).click();
    await expect.poll(() => page.getByTestId('app-version').textContent()).toBe(version);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.close();
  });

  it('without the token the page explains what to do instead of showing a blank screen', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${host.origin}/`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('npm start');
    await page.close();
  });

  it('a page from another origin cannot open the contract socket', async () => {
    const page = await (await browser.newContext()).newPage();
    // about:blank has an opaque origin; the host must refuse its WebSocket even with the right token.
    const outcome = await page.evaluate(
      (wsUrl) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(wsUrl);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `${host.origin.replace('http', 'ws')}/ws?token=${host.token}`,
    );
    expect(outcome).toBe('refused');
    await page.close();
  });
});

describe('launch address (one-time code instead of the token)', () => {
  let host: HostProcess;
  let browser: Browser;

  beforeAll(async () => {
    host = await startAppHost([], {}, { keepLaunch: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('opens the app once, keeps working on reload, and is refused the second time', async () => {
    expect(host.launchUrl).toMatch(/#launch=[0-9a-f]{32}$/);
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.launchUrl);
    await expect.poll(() => page.locator('.conn').textContent()).toContain('Connected');
    expect(page.url()).not.toContain('launch=');
    await page.reload();
    await expect.poll(() => page.locator('.conn').textContent()).toContain('Connected');
    // The same address in a fresh tab (or copied from a command line) no longer works.
    const second = await (await browser.newContext()).newPage();
    await second.goto(host.launchUrl);
    await expect.poll(() => second.getByRole('alert').textContent()).toContain('already used');
    await page.close();
    await second.close();
  });
});
