import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions } from '../../shared/contract/catalog';
import { classificationMetrics } from '../../shared/metrics/classification-metrics';
import { RunConfig } from '../../shared/run/run-config';
import type { RunSummary } from '../../shared/run/run-result';
import { defaultCatalogPath } from '../../main/catalog/catalog-paths';
import { createCatalogService } from '../../main/catalog/catalog-service';
import { buildRunManifest } from '../../main/runs/build-run-manifest';
import { toSnapshot } from '../../main/runs/run-snapshot';
import { createRunStore } from '../../main/runs/run-store';
import { createLogger } from '../../main/core/logger';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, screenshotPath, shootContent } from './support/browser';
import { nameLabeller } from './support/labeller';

const BUSI = resolve('..', 'shared', 'datasets', 'busi');
const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 30_000, interval: 100, ...options });

/**
 * A finished run seeded straight into the catalog (training is far too slow for an e2e test): 60
 * real BUSI images, the stored split, and a stage-1 method that calls every image "benign".
 */
const seedCatalog = async (
  dataDir: string,
): Promise<{
  runId: number;
  wrongImage: number;
  failedRunId: number;
  errors: { validation: number; test: number };
  testN: number;
}> => {
  const rows = readFileSync(join(BUSI, 'manifest.csv'), 'utf8').trim().split('\n');
  const pick = [
    rows[0],
    ...rows
      .slice(1)
      .filter((_, i) => i % 13 === 0)
      .slice(0, 60),
  ];
  const manifest = join(dataDir, 'subset.csv');
  writeFileSync(
    manifest,
    pick.map((r, i) => (i === 0 ? r : r!.replace(/^([^,]+)/, (f) => join(BUSI, 'images', f)))).join('\n'),
  );
  const catalog = createCatalogService({
    dbPath: defaultCatalogPath('default', { SONOFUSE_DATA_DIR: dataDir }),
    logger: createLogger({ minLevel: 'error' }),
  });
  try {
    await catalog.import(ImportOptions.parse({ source: manifest, dataset: 'busi', allowOutsidePaths: true }));
    const config = RunConfig.parse({ dataset: 'busi', methods: ['stage1_image'] });
    const prepared = buildRunManifest(catalog, config);
    const classes = prepared.manifest.classes;
    const store = createRunStore(catalog.db());
    const record = store.create({
      datasetId: prepared.datasetId,
      splitId: prepared.splitId,
      task: prepared.task,
      config,
      runDir: (id) => join(dataDir, `run-${id}`),
      snapshot: toSnapshot(prepared, new Date().toISOString()),
    });
    // A plausible, deterministic model: confidence varies by image; every other malignant image
    // (confidently) and some normal ones are called benign, the rest are right.
    const probsOf = (imageId: number, label: number): number[] => {
      const v = ((imageId * 37) % 100) / 100;
      const name = classes[label]!;
      const predicted =
        name === 'malignant' && imageId % 2 === 0 ? 'benign' : name === 'normal' && v < 0.3 ? 'benign' : name;
      // Malignant images called benign are confident errors: confident learning lists them.
      const confidence = predicted !== name && name === 'malignant' ? 0.9 + 0.08 * v : 0.5 + 0.45 * v;
      return classes.map((c) => (c === predicted ? confidence : (1 - confidence) / (classes.length - 1)));
    };
    const part = (p: 'validation' | 'test') => prepared.manifest.items.filter((i) => i.part === p);
    const metrics = (p: 'validation' | 'test') =>
      classificationMetrics(
        part(p).map((i) => i.label),
        part(p).map((i) => probsOf(i.imageId, i.label)),
        classes.length,
      );
    const summary: RunSummary = {
      runId: record.id,
      createdAt: record.createdAt,
      status: 'succeeded',
      dataset: 'busi',
      task: prepared.task,
      classes,
      config,
      backend: 'wasm (2 wasm replica threads)',
      labelVersion: record.labelVersion,
      split: {
        id: prepared.splitId,
        name: prepared.splitName,
        groupedBy: 'patient/exam/source group',
        counts: prepared.counts,
      },
      methods: {
        stage1_image: {
          validation: metrics('validation'),
          test: metrics('test'),
          bestEpoch: 4,
          seedSpread: null,
        },
      },
      skipped: { note_only: 'no image in this dataset has a clinical note' },
      notices: ['metadata column "source" left out: it names the class folder'],
      timing: { stage1: 120, total: 150 },
    };
    const predictions = (['validation', 'test'] as const).flatMap((p) =>
      part(p).map((i) => ({
        imageId: i.imageId,
        method: 'stage1_image' as const,
        split: p,
        probs: probsOf(i.imageId, i.label),
      })),
    );
    store.complete(
      record.id,
      summary,
      predictions,
      classes,
      new Map(prepared.manifest.items.map((i) => [i.imageId, classes[i.label]!])),
    );
    // A second run that failed part-way: the list offers to resume it (not clicked: no training here).
    const failed = store.create({
      datasetId: prepared.datasetId,
      splitId: prepared.splitId,
      task: prepared.task,
      config,
      runDir: (id) => join(dataDir, `run-${id}`),
      snapshot: toSnapshot(prepared, new Date().toISOString()),
    });
    store.setStatus(failed.id, 'failed', { error: 'TRAINER_CRASHED: the trainer process exited (code 137)' });
    const wrong = part('test').find((i) => classes[i.label] === 'malignant' && i.imageId % 2 === 0)!;
    const errors = (p: 'validation' | 'test') =>
      part(p).filter((i) => {
        const probs = probsOf(i.imageId, i.label);
        return probs.indexOf(Math.max(...probs)) !== i.label;
      }).length;
    return {
      runId: record.id,
      wrongImage: wrong.imageId,
      failedRunId: failed.id,
      errors: { validation: errors('validation'), test: errors('test') },
      testN: part('test').length,
    };
  } finally {
    catalog.close();
  }
};

describe('training and review in browser mode (Debian Chromium, seeded run)', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  let seeded: Awaited<ReturnType<typeof seedCatalog>>;
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-review-'));

  beforeAll(async () => {
    seeded = await seedCatalog(dataDir);
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

  it('lists the run, opens its review, lists a confusion cell, relabels with audit and exports the report', async () => {
    await page.getByRole('button', { name: 'Training' }).click();
    const failedRow = page.getByTestId(`run-row-${seeded.failedRunId}`);
    await poll(() => failedRow.textContent()).toContain('TRAINER_CRASHED');
    expect(await failedRow.getByRole('button', { name: `Resume run ${seeded.failedRunId}` }).count()).toBe(1);
    await page.getByText('Advanced').click();
    await shoot('training-screen');
    await page.getByText('Advanced').click();

    await page.getByRole('button', { name: `Review run ${seeded.runId}` }).click();
    const table = page.getByRole('table', { name: `Comparison of methods, run ${seeded.runId}` });
    await poll(() => table.count()).toBe(1);
    expect(await table.getByRole('row').count()).toBe(2); // header + the one trained method
    expect(await table.getByTestId('method-stage1_image').textContent()).toContain('image only');
    expect(await page.getByRole('list', { name: 'Skipped methods' }).textContent()).toContain(
      'no image in this dataset has a clinical note',
    );
    expect(await page.getByRole('list', { name: 'Notices' }).textContent()).toContain('"source" left out');

    // Issue 16 (8): the confident-error gallery follows the chosen split and tags every card:
    // the test errors only under Test, the validation errors only under Validation.
    const wrongList = page.getByRole('list', { name: 'Misclassified images' });
    const tags = () => wrongList.getByTestId('split-tag').allTextContents();
    await poll(tags).toEqual(new Array(seeded.errors.test).fill('test'));
    await page.getByRole('button', { name: 'Validation', exact: true }).click();
    await poll(tags).toEqual(new Array(seeded.errors.validation).fill('validation'));
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await poll(tags).toEqual(new Array(seeded.errors.test).fill('test'));
    // Issue 16 (9): n and a bootstrap interval beside the test figures, a small-test warning, no "best".
    const row = table.getByTestId('method-stage1_image');
    await poll(() => row.textContent()).toMatch(/\[\d+\.\d–\d+\.\d\]/);
    expect(await row.locator('td').nth(2).textContent()).toBe(String(seeded.testN));
    expect(await page.getByTestId('small-test-warning').textContent()).toContain(
      `only ${seeded.testN} images`,
    );
    expect(await table.locator('td.best').count()).toBe(0);

    await page.getByRole('button', { name: /images of malignant predicted as benign/ }).click();
    const cell = page.getByRole('list', { name: 'Images of the selected cell' });
    await poll(() => cell.locator(`[data-testid="gallery-${seeded.wrongImage}"]`).count()).toBe(1);
    // Exactly the test images of that cell: every one is malignant, called benign.
    const label = await page
      .getByRole('button', { name: /images of malignant predicted as benign/ })
      .getAttribute('aria-label');
    const count = Number(/^(\d+)/.exec(label!)![1]);
    expect(await cell.locator('li.gallery-item').count()).toBe(count);
    for (const text of await cell.locator('li.gallery-item').allTextContents())
      expect(text).toContain('true malignant · predicted benign');
    // Thumbnails load through the media route.
    await poll(() =>
      cell
        .locator(`[data-testid="gallery-${seeded.wrongImage}"] img`)
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    ).toBe(true);
    const issues = page.getByRole('list', { name: 'Likely label errors' });
    await poll(() => issues.locator(`[data-testid="gallery-${seeded.wrongImage}"]`).count()).toBe(1);
    expect(await issues.locator(`[data-testid="gallery-${seeded.wrongImage}"]`).textContent()).toContain(
      'given malignant · suggested benign',
    );
    await shoot('review-run');
    await page.evaluate(() => document.querySelector('#review-title')!.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('review-top') });
    await page.evaluate(() => document.querySelector('table.comparison')!.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('review-confusion-cell') });

    await cell.getByRole('button', { name: `Relabel image ${seeded.wrongImage} as benign` }).click();
    await poll(() => cell.getByRole('status').first().textContent()).toContain('relabelled benign');
    await poll(() => page.getByText(/Labels changed after this run started/).count()).toBe(1);
    await poll(() => page.getByTestId(`run-row-${seeded.runId}`).textContent()).toContain(
      'labels changed since',
    );

    // The change is in the image's label history, with the reviewer's reason.
    await cell.getByRole('button', { name: `Open image ${seeded.wrongImage}` }).click();
    const dialog = page.getByRole('dialog');
    await poll(() => dialog.getByTestId('label-history').textContent()).toContain(
      `review of run ${seeded.runId} (stage1_image)`,
    );
    await page.screenshot({ path: screenshotPath('review-image-history') });
    // Issue 16 (12): the saliency picker follows the dark theme (not the browser's light default).
    expect(
      await dialog.getByLabel('Saliency class').evaluate((el) => getComputedStyle(el).backgroundColor),
    ).toBe('rgb(11, 14, 17)');
    const dialogViolations = (
      await new AxeBuilder({ page }).include('[role="dialog"]').analyze()
    ).violations.map((v) => `${v.id}: ${v.help}`);
    expect(dialogViolations).toEqual([]);
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    // Focus returns to the thumbnail that opened the peek.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      `Open image ${seeded.wrongImage}`,
    );
    // The status bar stays one 28px row and the window never scrolls (the content area does).
    expect(await page.locator('footer.statusbar').evaluate((el) => el.getBoundingClientRect().height)).toBe(
      28,
    );
    expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);

    const report = join(dataDir, 'report.html');
    await page.getByLabel('Save to (path on this computer)').fill(report);
    await page.getByRole('button', { name: 'Export report' }).click();
    await poll(() => existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('<table');
    await poll(() => page.getByText(/^Report written:/).count()).toBe(1);
    const violations = (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.help}`);
    expect(violations).toEqual([]);

    // A reload re-reads the runs from the catalog: the review's relabel left the run stale.
    await page.reload();
    await page.getByRole('button', { name: 'Training' }).click();
    await poll(() => page.getByTestId(`run-row-${seeded.runId}`).textContent()).toContain(
      'labels changed since',
    );
    await page.getByRole('button', { name: `Review run ${seeded.runId}` }).click();
    await poll(() => page.getByText(/Labels changed after this run started/).count()).toBe(1);
    await page.evaluate(() =>
      document.querySelector('[aria-label="Likely label errors"]')!.scrollIntoView({ block: 'start' }),
    );
    await poll(() =>
      page
        .getByRole('list', { name: 'Likely label errors' })
        .locator(`[data-testid="gallery-${seeded.wrongImage}"]`)
        .textContent(),
    ).toContain('now labelled benign');
    await page.screenshot({ path: screenshotPath('review-label-errors') });
    // The relabel is in the catalog's history with the review reason.
    const catalog = createCatalogService({
      dbPath: defaultCatalogPath('default', { SONOFUSE_DATA_DIR: dataDir }),
      logger: createLogger({ minLevel: 'error' }),
    });
    try {
      const history = catalog.history(seeded.wrongImage, 10);
      expect(
        history.some(
          (h) =>
            h.reason === `review of run ${seeded.runId} (stage1_image)` &&
            JSON.stringify(h.to).includes('benign'),
        ),
      ).toBe(true);
    } finally {
      catalog.close();
    }
  }, 180_000);
});
