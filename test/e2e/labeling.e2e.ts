import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, screenshotPath } from './support/browser';
import { nameLabeller } from './support/labeller';

/** The real BUSI manifest (780 images), read in place from ../shared. */
const MANIFEST = resolve('..', 'shared', 'datasets', 'busi', 'manifest.csv');
const NOTE = 'Irregular hypoechoic mass with posterior shadowing; review with the radiologist.';

/** Polls up to 30 s: the host may share its CPUs with other work. */
const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 30_000, interval: 100, ...options });

const axeViolations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );

describe('labeling workstation in browser mode (Debian Chromium, generated catalog)', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-labeling-'));
  const consoleErrors: string[] = [];
  const labelled = new Map<string, string>();
  let imported = 0;

  beforeAll(async () => {
    host = await startAppHost([], { SONOFUSE_DATA_DIR: dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(host.url);
    await nameLabeller(page);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the BUSI manifest in place, mapping its label column to metadata so images start unlabeled', async () => {
    await poll(() => page.getByText('The catalog has no datasets yet.').count()).toBe(1);
    await page.keyboard.press('Alt+3');
    await page.getByRole('textbox', { name: /Manifest file/ }).fill(MANIFEST);
    await page.getByRole('textbox', { name: 'Dataset name' }).fill('busi');
    // Copying is the default now (issue 16); this test references the shared files in place.
    await page.getByRole('checkbox', { name: /Reference images in place/ }).check();
    await page.getByRole('button', { name: 'Add a column mapping' }).click();
    await page.getByRole('textbox', { name: 'Column in the file' }).fill('label');
    await page.getByRole('combobox', { name: 'Means' }).fill('diagnosis');
    await page.getByRole('button', { name: 'Start import' }).click();
    await poll(() => page.getByTestId('import-status').textContent(), { timeout: 120_000 }).toBe('done');
    // BUSI lists 780 files; the importer keeps one copy of byte-identical files (it has one such pair).
    imported = Number(await page.getByTestId('report-imported').textContent());
    expect(imported).toBeGreaterThan(770);
    await page.screenshot({ path: screenshotPath('labeling-import'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('creates the label task with its classes', async () => {
    await page.keyboard.press('Alt+4');
    await page.getByRole('textbox', { name: 'Name' }).fill('label');
    await page.getByRole('textbox', { name: /^Classes, one per line/ }).fill('benign\nmalignant\nnormal');
    await page.getByRole('button', { name: 'Create task' }).click();
    await poll(() => page.getByRole('table', { name: 'Classes of label' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('labeling-tasks'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the catalog grid with thumbnails served by id, and filters unlabeled', async () => {
    await page.keyboard.press('Alt+1');
    await poll(() => page.getByTestId('result-count').textContent()).toBe(`${imported} images`);
    await page.getByRole('checkbox', { name: 'Unlabeled only' }).check();
    await poll(() => page.getByTestId('count-unlabeled').textContent()).toBe(String(imported));
    // Thumbnails come from /media/thumb/<id>?token=… and actually decode.
    await poll(() =>
      page.evaluate(
        () =>
          [...document.querySelectorAll<HTMLImageElement>('.thumb img')].filter(
            (i) => i.complete && i.naturalWidth > 0,
          ).length,
      ),
    ).toBeGreaterThan(10);
    const src = await page.locator('.thumb img').first().getAttribute('src');
    expect(src).toMatch(/^media\/thumb\/\d+\?token=[0-9a-f]+$/);
    await page.screenshot({ path: screenshotPath('labeling-catalog') });
    expect(await axeViolations(page)).toEqual([]);
  });

  it('labels 20 images by keyboard only, undoes one and edits a note', async () => {
    await page.getByRole('listbox', { name: 'Images' }).focus();
    await page.keyboard.press('Enter');
    const file = () => page.getByTestId('current-file').textContent();
    await poll(file).toMatch(/\.png$/);
    await poll(() =>
      page.locator('.viewer-stage img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth),
    ).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) {
      const before = (await file())!;
      const key = String((i % 3) + 1);
      await page.keyboard.press(key);
      labelled.set(before, ['benign', 'malignant', 'normal'][i % 3]!);
      await poll(file).not.toBe(before);
    }
    const last = [...labelled.keys()].at(-1)!;
    await page.keyboard.press('Control+z');
    await poll(file).toBe(last);
    await poll(() => page.getByTestId('labeling-notice').textContent()).toMatch(/^Undid: .+ \(1 change\)\.$/);
    labelled.delete(last);
    await page.keyboard.press('Control+e');
    await page.keyboard.type(NOTE);
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('note-status').textContent()).toBe('Saved');
    await poll(() => page.getByTestId('note-history').textContent()).toContain('Irregular hypoechoic');
    await page.screenshot({ path: screenshotPath('labeling-view') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('?');
    await poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('labeling-help') });
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('after a reload every edit is still there', async () => {
    await page.reload();
    // A reload returns to the section the user was in (Labeling; issue 16 item 5).
    await poll(() => page.getByRole('heading', { level: 2, name: 'Labeling' }).count()).toBe(1);
    await page.keyboard.press('Alt+1');
    await poll(() => page.getByTestId('result-count').textContent()).toMatch(/images/);
    await poll(() => page.getByTestId('count-unlabeled').textContent()).toBe(String(imported - 19));
    expect(await page.getByRole('button', { name: /^benign 7$/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^malignant 6$/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^normal 6$/ }).count()).toBe(1);
    // Each labelled file shows its class in the grid (label filter per class).
    for (const cls of ['benign', 'malignant', 'normal']) {
      await page.getByRole('combobox', { name: 'Label', exact: true }).selectOption(cls);
      const expected = [...labelled]
        .filter(([, c]) => c === cls)
        .map(([f]) => f)
        .sort();
      await poll(() => page.getByTestId('result-count').textContent()).toBe(`${expected.length} images`);
      const names = await page
        .locator('.vgrid-cell')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      expect(names.map((n) => n!.split(':')[0]).sort()).toEqual(expected);
    }
    await page.getByRole('combobox', { name: 'Label', exact: true }).selectOption('');
    await page.getByRole('searchbox', { name: 'Note contains' }).fill('hypoechoic shadowing');
    await poll(() => page.getByTestId('result-count').textContent()).toBe('1 image');
    await page.getByRole('listbox', { name: 'Images' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.getByRole('textbox', { name: 'Clinical note' }).inputValue()).toBe(NOTE);
    expect(consoleErrors).toEqual([]);
  });

  it('previews augmentations with the pipeline and re-draws when a parameter changes', async () => {
    await page.keyboard.press('Alt+5');
    const captions = () => page.getByTestId('tile-params').allTextContents();
    // Six renderings of each previewed image (the one found by the note search above).
    await poll(async () => (await captions()).length, { timeout: 90_000 }).toBeGreaterThan(0);
    expect((await captions()).length % 6).toBe(0);
    await poll(() =>
      page
        .locator('.tile img')
        .evaluateAll((imgs) =>
          imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
        ),
    ).toBe(true);
    const before = (await captions()).join('|');
    await page.getByRole('spinbutton', { name: 'degrees' }).fill('45');
    await page.getByRole('spinbutton', { name: 'degrees' }).press('Tab');
    await poll(async () => (await captions()).join('|'), { timeout: 90_000 }).not.toBe(before);
    // Issue 16 (6, 7): the screen names the dataset, shows the source beside its renderings and
    // captions them in words; a save makes the edit the config the dataset's runs train with.
    expect(await page.getByRole('heading', { name: /^Augmentation/ }).textContent()).toBe(
      'Augmentation · busi',
    );
    expect(await page.getByRole('img', { name: /, source$/ }).count()).toBeGreaterThan(0);
    expect((await page.getByTestId('tile-caption').allTextContents()).join(' ')).toMatch(/rotated [−+]\d/);
    await page.getByRole('button', { name: 'Save for busi' }).click();
    await poll(() => page.getByTestId('trains-with').textContent()).toMatch(/\(edited\) · version 1$/);
    await page.screenshot({ path: screenshotPath('labeling-augment') });
    await page.keyboard.press('Alt+6');
    await poll(() => page.getByTestId('run-augmentation').textContent()).toMatch(/\(edited\) · version 1/);
    await page.keyboard.press('Alt+5');
    expect(await axeViolations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
  it('flags an image for review with a reason, filters the catalog by flag, and clears the flag with F', async () => {
    const count = () => page.getByTestId('result-count').textContent();
    const flagFilter = page.getByRole('combobox', { name: 'Review flag' });
    await page.keyboard.press('Alt+1');
    await poll(count).toBe('1 image'); // the note search from above still applies
    await page.getByRole('listbox', { name: 'Images' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Reason for flagging' }).fill('check the margin');
    await page.getByRole('button', { name: 'Flag', exact: true }).click();
    await poll(() => page.getByTestId('flag-state').textContent()).toContain('check the margin');
    await poll(() => page.getByTestId('flag-history').textContent()).toContain('— → check the margin');
    const flaggedFile = (await page.getByTestId('current-file').textContent())!;
    await page.screenshot({ path: screenshotPath('labeling-flag') });
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.press('Alt+1');
    await page.getByRole('searchbox', { name: 'Note contains' }).fill('');
    await poll(count).toBe(`${imported} images`);
    await flagFilter.selectOption('yes');
    await poll(count).toBe('1 image');
    const names = await page
      .locator('.vgrid-cell')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names.map((n) => n!.split(':')[0])).toEqual([flaggedFile]);
    await flagFilter.selectOption('no');
    await poll(count).toBe(`${imported - 1} images`);
    await flagFilter.selectOption('yes');
    await poll(count).toBe('1 image');
    await page.getByRole('listbox', { name: 'Images' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('flag-state').textContent()).toContain('check the margin');
    await page.keyboard.press('f');
    await poll(() => page.getByTestId('flag-state').textContent()).toBe('Not flagged.');
    await poll(() => page.getByTestId('flag-history').textContent()).toContain('check the margin → —');

    await page.keyboard.press('Alt+1');
    await flagFilter.selectOption('');
    await flagFilter.selectOption('yes');
    await poll(count).toBe('0 images');
    // The status bar names the catalog file (shortened; the full path in its title).
    const path = page.getByTestId('status-catalog-path');
    expect(await path.getAttribute('title')).toBe(
      `Catalog database: ${join(dataDir, 'default', 'catalog.db')}`,
    );
    expect(await path.textContent()).toMatch(/^default · .*catalog\.db$/);
    expect(await axeViolations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
