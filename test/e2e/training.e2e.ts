import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions } from '../../shared/contract/catalog';
import { defaultCatalogPath } from '../../main/catalog/catalog-paths';
import { createCatalogService } from '../../main/catalog/catalog-service';
import { generateDemoDataset } from '../../main/demo/demo-dataset';
import { createLogger } from '../../main/core/logger';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, screenshotPath, shootContent } from './support/browser';
import { nameLabeller } from './support/labeller';

const DATASET = 'tiny-phantom (synthetic)';
const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 30_000, interval: 200, ...options });

/**
 * A small synthetic set made by the demo generator (5 views × 4 sweeps × 2 frames = 40 images
 * of 64 px, grouped by sweep) imported into the host's catalog before it starts.
 */
const seedCatalog = async (dataDir: string): Promise<void> => {
  const { manifestPath } = await generateDemoDataset({
    outDir: join(dataDir, 'tiny-phantom'),
    seed: 7,
    sweepsPerClass: 4,
    framesPerSweep: 2,
    size: 64,
  });
  const catalog = createCatalogService({
    dbPath: defaultCatalogPath('default', { SONOFUSE_DATA_DIR: dataDir }),
    logger: createLogger({ minLevel: 'error' }),
  });
  try {
    await catalog.import(ImportOptions.parse({ source: manifestPath, dataset: DATASET, user: 'e2e' }));
  } finally {
    catalog.close();
  }
};

describe('training in browser mode (Debian Chromium, a real short run)', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-training-'));

  beforeAll(async () => {
    await seedCatalog(dataDir);
    host = await startAppHost([], { SONOFUSE_DATA_DIR: dataDir });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(host.url);
    await nameLabeller(page);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const shoot = (name: string) => shootContent(page, name);
  /** The input or select of a form field by its exact caption (its accessible name adds the value). */
  const field = (caption: string) =>
    page
      .locator('label.field')
      .filter({ has: page.getByText(caption, { exact: true }) })
      .locator('input, select');
  const lossChart = () => page.getByRole('img', { name: /^Loss per epoch/ });
  /** Train points drawn on the loss chart, over every method. */
  const trainPoints = async () => {
    if ((await lossChart().count()) === 0) return 0;
    const label = (await lossChart().first().getAttribute('aria-label')) ?? '';
    return [...label.matchAll(/· train (\d+) points/g)].reduce((n, m) => n + Number(m[1]), 0);
  };

  it('runs, cancels, resumes, reviews a confusion cell with saliency, relabels and exports the report', async () => {
    await page.getByRole('button', { name: 'Training' }).click();
    const dataset = field('Dataset');
    await poll(() => dataset.locator('option').allTextContents()).toEqual([`${DATASET} (40 images)`]);
    await page.getByText('Advanced').click();
    await field('Image size (px)').fill('64');
    await field('Batch size').fill('8');
    await field('Stage 1 epochs').fill('8');
    await field('Head epochs').fill('3');
    await field('Note encoder').selectOption('none');
    for (const name of [
      'Traditional multimodal (frozen backbone + note + metadata)',
      'Proposed: stage-1 backbone + note + metadata',
      'Note only',
      'Metadata only',
    ])
      await page.getByRole('checkbox', { name }).uncheck();
    await page.getByRole('button', { name: 'Run all methods' }).click();

    // Progress events arrive and the curves draw.
    const facts = page.getByTestId('run-progress');
    await poll(() => facts.count(), { timeout: 90_000 }).toBe(1);
    await poll(() => facts.textContent()).toMatch(/Backend.*wasm|Backend.*cpu/);
    await poll(trainPoints, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
    const runId = Number(
      /Run (\d+)/.exec((await page.locator('[id^="progress-title-"]').first().textContent())!)![1],
    );
    // The progress panel is on screen (above the form), the chart is a uPlot canvas.
    expect(await facts.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight)).toBe(true);
    await poll(() => page.locator('.curve-canvas canvas').count()).toBeGreaterThan(0);
    await shoot('training-progress');

    // Cancel at once (stage 1 has all its epochs ahead), reload the window, resume: the curve
    // drawn so far comes back from main's store, then the run goes on to the end.
    const before = await trainPoints();
    await page.getByRole('button', { name: `Cancel run ${runId}`, exact: true }).click();
    const row = page.getByTestId(`run-row-${runId}`);
    await poll(() => row.textContent(), { timeout: 90_000 }).toContain('Cancelled');
    // The curves stay after the cancel (issue 16, item 10).
    const stoppedPanel = page.getByRole('region', { name: `Run ${runId} stopped` });
    await poll(() => stoppedPanel.count()).toBe(1);
    await poll(async () => {
      const l =
        (await stoppedPanel.getByRole('img', { name: /^Loss per epoch/ }).getAttribute('aria-label')) ?? '';
      return [...l.matchAll(/· train (\d+) points/g)].reduce((n, m) => n + Number(m[1]), 0);
    }).toBeGreaterThanOrEqual(before);
    await shoot('training-cancelled');
    await page.reload();
    await page.getByRole('button', { name: 'Training' }).click();
    await page.getByRole('button', { name: `Resume run ${runId}` }).click();
    await poll(() => row.textContent()).toContain('Running');
    await poll(trainPoints).toBeGreaterThanOrEqual(before);
    await shoot('training-resumed');
    await poll(() => row.textContent(), { timeout: 240_000 }).toContain('Finished');

    // Results, after a reload: every epoch's curve point was kept, before the cancel and after the
    // resume (3 head epochs of the linear probe, 8 stage-1 epochs), each once.
    await page.reload();
    await page.getByRole('button', { name: 'Training' }).click();
    await page.getByRole('button', { name: `Review run ${runId}` }).click();
    const table = page.getByRole('table', { name: `Comparison of methods, run ${runId}` });
    await poll(() => table.count()).toBe(1);
    const curves = page.getByTestId('run-curves');
    await curves.locator('summary').click();
    const stored = async () =>
      (await curves.getByRole('img', { name: /^Loss per epoch/ }).getAttribute('aria-label'))!;
    // One stage at a time, each over its own epochs.
    expect(await stored()).toMatch(/^Loss per epoch, epochs 1–8: /);
    expect(await stored()).toContain('Stage 1: fine-tuned image model · train 8 points');
    await curves.screenshot({ path: screenshotPath('training-stored-curves') });
    await curves.getByRole('button', { name: 'Frozen-feature heads' }).click();
    await poll(stored).toMatch(/^Loss per epoch, epochs 1–3: /);
    expect(await stored()).toContain('Linear probe (frozen pretrained backbone) · train 3 points');
    await curves.getByRole('button', { name: 'Stage 1 (fine-tuning)' }).click();
    await curves.locator('summary').click();
    await table.getByRole('button', { name: 'Stage 1: fine-tuned image model' }).click();
    const cells = page.locator('table.confusion button[aria-label]');
    const labels = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!));
    const pickedLabel =
      labels.find((l) => !l.startsWith('0 ') && /of (\S+) predicted as (?!\1$)/.test(l)) ??
      labels.find((l) => !l.startsWith('0 '))!;
    const [, count, truth, predicted] = /^(\d+) images of (.+) predicted as (.+)$/.exec(pickedLabel)!;
    await page.getByRole('button', { name: pickedLabel, exact: true }).click();
    const cell = page.getByRole('list', { name: 'Images of the selected cell' });
    await poll(() => cell.locator('li.gallery-item').count()).toBe(Number(count));
    for (const text of await cell.locator('li.gallery-item').allTextContents())
      expect(text).toContain(`true ${truth} · predicted ${predicted}`);
    await page.evaluate(() => document.querySelector('table.comparison')!.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('training-review-cell') });

    // Saliency overlay on the first image of the cell.
    const first = cell.locator('li.gallery-item').first();
    const imageId = Number((await first.getAttribute('data-testid'))!.slice('gallery-'.length));
    await first.getByRole('button', { name: `Open image ${imageId}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Saliency' }).click();
    const heat = dialog.locator('img.saliency-heat');
    await poll(() => heat.count(), { timeout: 60_000 }).toBe(1);
    await poll(() => heat.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth === 64)).toBe(
      true,
    );
    expect(await dialog.getByTestId('saliency').textContent()).toContain(
      'Grad-CAM of the stage-1 image model',
    );
    const other = (await dialog.getByLabel('Saliency class').locator('option').allTextContents()).find(
      (c) => c !== 'Predicted class' && c !== predicted,
    )!;
    await dialog.getByLabel('Saliency class').selectOption({ label: other });
    await poll(() => dialog.getByTestId('saliency').textContent()).toContain(`for ${other}`);
    await dialog.getByLabel('Saliency class').selectOption({ label: 'Predicted class' });
    await poll(() => dialog.getByTestId('saliency').textContent()).toContain('(its prediction)');
    await page.screenshot({ path: screenshotPath('training-saliency') });
    const violations = (await new AxeBuilder({ page }).include('[role="dialog"]').analyze()).violations;
    expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    // Keyboard: the toggle is a focusable button; Space turns the overlay off again.
    await dialog.getByRole('button', { name: 'Saliency' }).focus();
    await page.keyboard.press('Space');
    await poll(() => dialog.getByTestId('saliency').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Saliency' }).getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);

    // Relabel that image from the review; the change is in its history with the review's reason.
    const relabelTo = truth === predicted ? other : predicted;
    await cell.getByRole('button', { name: `Relabel image ${imageId} as ${relabelTo}` }).click();
    await poll(() => first.getByRole('status').textContent()).toContain(`relabelled ${relabelTo}`);
    await poll(() => page.getByText(/Labels changed after this run started/).count()).toBe(1);
    await first.getByRole('button', { name: `Open image ${imageId}` }).click();
    await poll(() => dialog.getByTestId('label-history').textContent()).toContain(
      `review of run ${runId} (stage1_image)`,
    );
    await page.screenshot({ path: screenshotPath('training-relabel-history') });
    await page.keyboard.press('Escape');

    // Export the report.
    const report = join(dataDir, 'report.html');
    await page.getByLabel('Save to (path on this computer)').fill(report);
    await page.getByRole('button', { name: 'Export report' }).click();
    await poll(() => existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<table');
    expect(html).toContain(DATASET);
    await poll(() => page.getByText(/^Report written:/).count()).toBe(1);
    await shoot('training-review');
  }, 420_000);
});
