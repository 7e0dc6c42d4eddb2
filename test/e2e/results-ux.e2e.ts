import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions } from '../../shared/contract/catalog';
import { defaultCatalogPath } from '../../main/catalog/catalog-paths';
import { createCatalogService } from '../../main/catalog/catalog-service';
import { generateDemoDataset } from '../../main/demo/demo-dataset';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, screenshotPath } from './support/browser';

/**
 * Issue #16 items 6, 7, 11 and 12 in Chromium at 1440×900 on a small synthetic phantom set (fan
 * sectors like fetal scans): the augmentation the dataset trains with, crop captions, catalog
 * markers and Shift+click, viewer values and zoom buttons, the System log. Screens are shot and
 * axe-checked.
 */

const DATASET = 'phantom-fans (synthetic)';
const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 30_000, interval: 100, ...options });
const axeViolations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );

/** 20 phantom images (5 views × 2 sweeps × 2 frames, 160 px, each with a note), two of them flagged. */
const seedCatalog = async (dataDir: string): Promise<void> => {
  const { manifestPath } = await generateDemoDataset({
    outDir: join(dataDir, 'phantom'),
    seed: 11,
    sweepsPerClass: 2,
    framesPerSweep: 2,
    size: 160,
  });
  const catalog = createCatalogService({
    dbPath: defaultCatalogPath('default', { SONOFUSE_DATA_DIR: dataDir }),
  });
  try {
    await catalog.import(ImportOptions.parse({ source: manifestPath, dataset: DATASET, user: 'e2e' }));
    catalog.setUserName('E2E Reviewer');
    const ids = catalog
      .images({ task: 'label', sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 5 })
      .items.map((i) => i.id);
    for (const id of ids.slice(1, 3))
      catalog.setFlag({ imageId: id, flagged: true, user: 'e2e', reason: 'check the plane' });
  } finally {
    catalog.close();
  }
};

describe('results and workstation polish (issue #16 items 6, 7, 11, 12) in browser mode', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-ux-'));

  beforeAll(async () => {
    await seedCatalog(dataDir);
    host = await startAppHost([], { SONOFUSE_DATA_DIR: dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(host.url);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('11: catalog tiles carry flag and note markers; Shift+click selects a range', async () => {
    await page.keyboard.press('Alt+1');
    const grid = page.getByRole('listbox', { name: 'Images' });
    await poll(() => grid.getByTestId('marker-flag').count()).toBe(2);
    expect(await grid.getByTestId('marker-note').count()).toBeGreaterThan(0);
    const options = grid.getByRole('option');
    await options.nth(4).locator('.cell-hit').click();
    await options
      .nth(8)
      .locator('.cell-hit')
      .click({ modifiers: ['Shift'] });
    await poll(() => page.getByTestId('result-count').textContent()).toContain('5 selected');
    // The filter row does not wrap at 1440×900: Sort sits on the same row as Label.
    const top = async (name: string) =>
      (await page.getByRole('combobox', { name, exact: true }).boundingBox())!.y;
    expect(await top('Sort')).toBe(await top('Label'));
    await page.screenshot({ path: screenshotPath('ux-catalog') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('12: the viewer shows window/level values and zooms with buttons', async () => {
    await page.getByRole('listbox', { name: 'Images' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('level-value').textContent()).toBe('1.00×');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await poll(() => page.getByTestId('zoom-value').textContent()).toBe('115%');
    await page.screenshot({ path: screenshotPath('ux-labeling-viewer') });
    await page.getByRole('button', { name: 'Zoom out' }).click();
  });

  it('6, 7: the Augmentation screen edits the config the dataset trains with, the source beside captioned renderings', async () => {
    await page.keyboard.press('Alt+5');
    await poll(() => page.getByRole('heading', { name: /^Augmentation/ }).textContent()).toBe(
      `Augmentation · ${DATASET}`,
    );
    await poll(() => page.getByTestId('trains-with').textContent()).toMatch(/built-in default, not saved$/);
    await page.getByRole('combobox', { name: 'Start from preset' }).selectOption('ultrasound-default');
    const captions = page.getByTestId('tile-caption');
    await poll(() => captions.count(), { timeout: 90_000 }).toBeGreaterThan(0);
    await poll(() =>
      page
        .locator('.tile img')
        .evaluateAll((imgs) =>
          imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
        ),
    ).toBe(true);
    expect(await page.getByRole('img', { name: /, source$/ }).count()).toBeGreaterThan(0);
    // Crops say how much of the sector they keep, never under the preset's 60%.
    const shares = (await captions.allTextContents()).flatMap((c) =>
      [...c.matchAll(/cropped to (\d+)% of the sector/g)].map((m) => Number(m[1])),
    );
    expect(shares.length).toBeGreaterThan(0);
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(60);
    await page.getByRole('button', { name: `Save for ${DATASET}` }).click();
    await poll(() => page.getByTestId('trains-with').textContent()).toBe(
      'Runs on this dataset train with: Ultrasound default · version 1',
    );
    await page.screenshot({ path: screenshotPath('ux-augmentation') });
    expect(await axeViolations(page)).toEqual([]);

    // The run form shows the same config.
    await page.keyboard.press('Alt+6');
    await poll(() => page.getByTestId('run-augmentation').textContent()).toContain(
      'Ultrasound default · version 1',
    );
    await page.screenshot({ path: screenshotPath('ux-training-form') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('12: the System log lists relabels; the status bar is one row', async () => {
    // A bulk relabel from the catalog (range selection + class key), then the System screen.
    await page.keyboard.press('Alt+1');
    const options = page.getByRole('listbox', { name: 'Images' }).getByRole('option');
    await options.nth(0).locator('.cell-hit').click();
    await options
      .nth(1)
      .locator('.cell-hit')
      .click({ modifiers: ['Shift'] });
    await page.getByRole('listbox', { name: 'Images' }).focus();
    await page.keyboard.press('2'); // the first images are "head" (class 1): relabel them as class 2
    await poll(() => page.getByRole('status').allTextContents()).toContainEqual(
      expect.stringMatching(/^Labelled 2 images/),
    );
    await page.keyboard.press('Alt+7');
    await poll(() => page.getByText(/relabelled in task "label"/).count()).toBeGreaterThan(0);
    expect(await page.locator('footer.statusbar').evaluate((el) => el.getBoundingClientRect().height)).toBe(
      28,
    );
    await page.screenshot({ path: screenshotPath('ux-system-log') });
  });
}, 240_000);

describe('an empty catalog (issue #16 item 11) in browser mode', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-empty-'));

  beforeAll(async () => {
    host = await startAppHost([], { SONOFUSE_DATA_DIR: dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(host.url);
    // A fresh workspace asks who is labelling first.
    const who = page.getByRole('dialog', { name: 'Who is labelling?' });
    await who.waitFor({ timeout: 60_000 });
    await who.getByRole('textbox', { name: 'Your name' }).fill('E2E Reviewer');
    await who.getByRole('button', { name: 'Save' }).click();
    await who.waitFor({ state: 'detached' });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows its two actions in the middle of the screen, not a banner over an empty grid', async () => {
    await page.keyboard.press('Alt+1');
    const importButton = page.getByRole('button', { name: 'Import images…' });
    const demo = page.getByRole('button', { name: 'Load the synthetic demo workspace' });
    await poll(() => importButton.count()).toBe(1);
    const main = (await page.locator('main').boundingBox())!;
    for (const b of [importButton, demo]) {
      const box = (await b.boundingBox())!;
      const y = box.y + box.height / 2;
      expect(Math.abs(y - (main.y + main.height / 2))).toBeLessThan(main.height / 4);
    }
    expect(await page.getByRole('listbox', { name: 'Images' }).isVisible()).toBe(false);
    await page.screenshot({ path: screenshotPath('ux-empty-catalog') });
    expect(await axeViolations(page)).toEqual([]);
  });
}, 120_000);
