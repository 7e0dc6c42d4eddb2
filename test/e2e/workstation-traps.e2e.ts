import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, screenshotPath } from './support/browser';

/**
 * Issue #16 items 1-5 and 13, driven as a sonographer would in Chromium: the traps that cost
 * labels. Each step failed on the code before the fix (named in its comment).
 */

const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 30_000, interval: 100, ...options });

const axeViolations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );

const IMAGES = 12;

/** 12 tiny distinct images twice: by class (a/, b/) and flat next to a manifest with patient ids. */
const makeFixture = async (root: string): Promise<void> => {
  mkdirSync(join(root, 'classes', 'head'), { recursive: true });
  mkdirSync(join(root, 'classes', 'thorax'), { recursive: true });
  mkdirSync(join(root, 'flat', 'images'), { recursive: true });
  const rows = ['file,label,patient_id'];
  for (let i = 0; i < IMAGES; i++) {
    const png = await sharp({
      create: { width: 48, height: 40, channels: 3, background: { r: 20 * i, g: 90, b: 255 - 15 * i } },
    })
      .png()
      .toBuffer();
    const name = `frame-${String(i + 1).padStart(2, '0')}.png`;
    writeFileSync(join(root, 'classes', i % 2 ? 'thorax' : 'head', name), png);
    writeFileSync(join(root, 'flat', 'images', name), png);
    rows.push(`images/${name},${i % 2 ? 'thorax' : 'head'},P${Math.floor(i / 3)}`);
  }
  writeFileSync(join(root, 'flat', 'manifest.csv'), `${rows.join('\n')}\n`);
};

describe('workstation traps (issue #16 items 1-5, 13) in browser mode', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-traps-'));
  const fixture = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-traps-src-'));
  const consoleErrors: string[] = [];
  const shoot = async (name: string): Promise<void> => {
    await page.screenshot({ path: screenshotPath(`traps-${name}`) });
    expect((await axeViolations(page)).join('\n')).toBe('');
  };

  beforeAll(async () => {
    await makeFixture(fixture);
    host = await startAppHost([], { SONOFUSE_DATA_DIR: dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(fixture, { recursive: true, force: true });
  });

  it("13: asks the labeller's name once (old: a free-text field defaulting to 'sonographer')", async () => {
    const dialog = page.getByRole('dialog', { name: 'Who is labelling?' });
    await dialog.waitFor({ timeout: 60_000 });
    await shoot('name-prompt');
    await page.keyboard.press('Escape'); // cannot be dismissed without a name
    expect(await dialog.count()).toBe(1);
    await dialog.getByRole('textbox', { name: 'Your name' }).fill('Dr Ana Reis');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await poll(() => page.getByTestId('status-labeller').textContent()).toContain('Labeller: Dr Ana Reis');
    expect(await page.getByRole('textbox', { name: 'Labeller' }).count()).toBe(0);
  });

  it('4: import needs a dataset name, copies by default, and reports files another dataset has and the manifest beside the folder', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByRole('radio', { name: 'Folder' }).check();
    await page.getByRole('textbox', { name: /^Folder/ }).fill(join(fixture, 'classes'));
    // Old: an empty name imported into "dataset", and "Reference images in place" was ticked.
    expect(await page.getByRole('button', { name: 'Start import' }).isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /Reference images in place/ }).isChecked()).toBe(false);
    await page.getByRole('textbox', { name: 'Dataset name' }).fill('planes');
    await page.getByRole('button', { name: 'Start import' }).click();
    await poll(() => page.getByTestId('import-status').textContent(), { timeout: 120_000 }).toBe('done');
    expect(await page.getByTestId('report-imported').textContent()).toBe(String(IMAGES));

    await page.getByRole('textbox', { name: /^Folder/ }).fill(join(fixture, 'flat', 'images'));
    await page.getByRole('textbox', { name: 'Dataset name' }).fill('flat');
    await page.getByRole('button', { name: 'Start import' }).click();
    await poll(() => page.getByTestId('report-elsewhere').textContent(), { timeout: 120_000 }).toBe(
      String(IMAGES),
    );
    const notices = (await page.getByTestId('import-notice').allTextContents()).join('\n');
    // Old: "Duplicates 0" and nothing else.
    expect(notices).toContain(
      `${IMAGES} imported images are already in another dataset (same content): planes ${IMAGES}.`,
    );
    expect(notices).toContain('A manifest lies next to this folder (manifest.csv, with patient ids)');
    expect(notices).toContain('has no classes yet');
    expect(await page.getByTestId('import-no-classes').count()).toBe(1);
    await shoot('import-report');
  });

  it('3: a task without classes says so and links to the task editor; the task is remembered per dataset', async () => {
    await page.keyboard.press('Alt+1');
    await poll(() => page.getByTestId('no-classes').textContent()).toContain(
      'The task "label" has no classes yet, so class keys label nothing.',
    );
    await shoot('catalog-no-classes');
    await page.keyboard.press('Alt+2');
    await poll(() => page.getByTestId('no-classes').count()).toBe(1);
    await page.keyboard.press('1'); // old: nothing happened, silently
    await poll(() => page.getByTestId('labeling-notice').textContent()).toContain('has no classes yet');
    await page.getByRole('button', { name: 'Add classes in Label tasks' }).click();
    await poll(() => page.getByRole('heading', { level: 2, name: 'Label tasks' }).count()).toBe(1);
    await page.keyboard.press('Alt+1');
    await page.getByRole('combobox', { name: 'Dataset' }).selectOption({ label: `planes (${IMAGES})` });
    // The sub-folders (head/, thorax/) labelled every image.
    await poll(() => page.getByTestId('task-progress').textContent()).toBe(`${IMAGES} of ${IMAGES} labelled`);
    expect(await page.getByTestId('no-classes').count()).toBe(0);
  });

  it('1: Ctrl+A then a digit asks first, shows Undo beside the message, and Ctrl+Z from the note filter undoes it', async () => {
    await poll(() => page.getByTestId('result-count').textContent()).toBe(`${IMAGES} images`);
    await page.getByRole('listbox', { name: 'Images' }).focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('1');
    // Old: "Labelled 12 images as head." at once.
    const confirm = page.getByRole('dialog', { name: `Label ${IMAGES} images as head?` });
    await poll(() => confirm.count()).toBe(1);
    await shoot('bulk-confirm');
    await confirm.getByRole('button', { name: `Label ${IMAGES} images` }).click();
    const half = IMAGES / 2; // the thorax half changes
    await poll(() => page.getByTestId('catalog-notice').textContent()).toBe(
      `Labelled ${half} images as head.`,
    );
    await poll(() => page.getByRole('button', { name: `head ${IMAGES}` }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Undo', exact: true }).count()).toBe(1);
    await shoot('bulk-undo-offer');
    // Old: Ctrl+Z ran the browser's text undo in this field and emptied the grid.
    await page.getByRole('searchbox', { name: 'Note contains' }).fill('x');
    await page.getByRole('searchbox', { name: 'Note contains' }).fill('');
    await page.getByRole('searchbox', { name: 'Note contains' }).focus();
    await page.keyboard.press('Control+z');
    await poll(() => page.getByRole('button', { name: `thorax ${half}` }).count()).toBe(1);
    await poll(() => page.getByTestId('status-undo').textContent()).toBe(
      `Undid: Labelled ${half} images as head (${half} changes).`,
    );
    await poll(() => page.getByTestId('result-count').textContent()).toBe(`${IMAGES} images`);
    expect(await page.getByRole('searchbox', { name: 'Note contains' }).inputValue()).toBe('');
  });

  it('2: Esc on the "?" sheet closes it and stays in Labeling, so the next class key labels', async () => {
    await page.keyboard.press('Alt+2');
    await poll(() => page.getByTestId('position').textContent()).toBe(`1 / ${IMAGES}`);
    await page.keyboard.press('?');
    await poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(1);
    await shoot('labeling-help');
    await page.keyboard.press('Escape');
    await poll(() => page.getByRole('dialog').count()).toBe(0);
    // Old: Escape also left Labeling for the Catalog (3 of 3 tries).
    expect(await page.getByRole('heading', { level: 2, name: 'Labeling' }).count()).toBe(1);
    expect(await page.getByTestId('current-file').textContent()).toBe('head/frame-01.png');
    await page.keyboard.press('2');
    await poll(() =>
      page
        .getByRole('button', { name: /thorax/ })
        .first()
        .getAttribute('aria-pressed'),
    ).toBe('true');
  });

  it('5: a reload returns to Labeling on the same image, with the progress and the active filter shown', async () => {
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await poll(() => page.getByTestId('position').textContent()).toBe(`3 / ${IMAGES}`);
    const file = await page.getByTestId('current-file').textContent();
    await page.reload();
    // Old: back to the Catalog, and Labeling restarted at 1 / N.
    await poll(() => page.getByTestId('position').textContent()).toBe(`3 / ${IMAGES}`);
    expect(await page.getByTestId('current-file').textContent()).toBe(file);
    await poll(() => page.getByTestId('task-progress').textContent()).toBe(`${IMAGES} of ${IMAGES} labelled`);
    await shoot('labeling-after-reload');
    await page.keyboard.press('Alt+1');
    await page.getByRole('checkbox', { name: 'Unlabeled only' }).check();
    await page.keyboard.press('Alt+2');
    await poll(() => page.getByTestId('filter-active').textContent()).toContain('Filtered: unlabeled only');
    await shoot('labeling-filtered');
    await page.getByRole('button', { name: 'Show all' }).click();
    await poll(() => page.getByTestId('filter-active').count()).toBe(0);
  });

  it('5: a restart of the app (new port, so an empty localStorage) returns to the same screen, task and image', async () => {
    // "Show all" above returned to the saved image (3 / 12); one more step.
    await poll(() => page.getByTestId('position').textContent()).toBe(`3 / ${IMAGES}`);
    await page.keyboard.press('ArrowRight');
    await poll(() => page.getByTestId('position').textContent()).toBe(`4 / ${IMAGES}`);
    const file = await page.getByTestId('current-file').textContent();
    await page.waitForTimeout(1000); // the view is saved 400 ms after the last move
    await page.close();
    await host.stop();
    host = await startAppHost([], { SONOFUSE_DATA_DIR: dataDir });
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(host.url);
    await poll(() => page.getByTestId('position').textContent(), { timeout: 60_000 }).toBe(`4 / ${IMAGES}`);
    expect(await page.getByTestId('current-file').textContent()).toBe(file);
    expect(await page.getByRole('dialog').count()).toBe(0); // the labeller's name is known
  });

  it('4: renames a dataset and deletes one, asking twice', async () => {
    await page.keyboard.press('Alt+1');
    await page.getByRole('combobox', { name: 'Dataset' }).selectOption({ label: `flat (${IMAGES})` });
    await page.getByRole('button', { name: 'Rename…' }).click();
    await page.getByRole('textbox', { name: 'New name' }).fill('flat-copy');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await poll(() => page.getByRole('option', { name: `flat-copy (${IMAGES})` }).count()).toBe(1);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await poll(() => page.getByRole('dialog', { name: 'Delete dataset “flat-copy”?' }).count()).toBe(1);
    await shoot('delete-first');
    await page.getByRole('button', { name: 'Continue…' }).click();
    await page.getByRole('textbox', { name: 'Dataset name' }).fill('flat-copy');
    await shoot('delete-second');
    await page.getByRole('button', { name: 'Delete dataset' }).click();
    await poll(() => page.getByRole('option', { name: /^flat-copy/ }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: 'Dataset' }).inputValue()).not.toBe('');
    await shoot('catalog-after-delete');
    expect(consoleErrors).toEqual([]);
  });
});
