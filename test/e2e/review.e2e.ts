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
import { createRunStore } from '../../main/runs/run-store';
import { createLogger } from '../../main/services/logger';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, screenshotPath } from './support/browser';

const BUSI = resolve('..', 'shared', 'datasets', 'busi');
const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 30_000, interval: 100, ...options });

/**
 * A finished run seeded straight into the catalog (training is far too slow for an e2e test): 60
 * real BUSI images, the stored split, and a stage-1 method that calls every image "benign".
 */
const seedCatalog = async (dataDir: string): Promise<{ runId: number; wrongImage: number }> => {
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
    await catalog.import(ImportOptions.parse({ source: manifest, dataset: 'busi' }));
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
    });
    const probs = classes.map((c) => (c === 'benign' ? 0.7 : 0.3 / (classes.length - 1)));
    const part = (p: 'validation' | 'test') => prepared.manifest.items.filter((i) => i.part === p);
    const metrics = (p: 'validation' | 'test') =>
      classificationMetrics(
        part(p).map((i) => i.label),
        part(p).map(() => probs),
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
      notices: [],
      timing: { stage1: 120, total: 150 },
    };
    const predictions = (['validation', 'test'] as const).flatMap((p) =>
      part(p).map((i) => ({ imageId: i.imageId, method: 'stage1_image' as const, split: p, probs })),
    );
    store.complete(
      record.id,
      summary,
      predictions,
      classes,
      new Map(prepared.manifest.items.map((i) => [i.imageId, classes[i.label]!])),
    );
    const wrong = part('test').find((i) => classes[i.label] === 'malignant')!;
    return { runId: record.id, wrongImage: wrong.imageId };
  } finally {
    catalog.close();
  }
};

describe('training and review in browser mode (Debian Chromium, seeded run)', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  let seeded: { runId: number; wrongImage: number };
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-review-'));

  beforeAll(async () => {
    seeded = await seedCatalog(dataDir);
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

  it('lists the run, opens its review, lists a confusion cell, relabels with audit and exports the report', async () => {
    await page.getByRole('button', { name: 'Training' }).click();
    await page.getByRole('button', { name: `Review run ${seeded.runId}` }).click();
    await poll(() =>
      page.getByRole('table', { name: `Comparison of methods, run ${seeded.runId}` }).count(),
    ).toBe(1);
    await page.getByRole('button', { name: /images of malignant predicted as benign/ }).click();
    const cell = page.getByRole('list', { name: 'Images of the selected cell' });
    await poll(() => cell.locator(`[data-testid="review-${seeded.wrongImage}"]`).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('review-run'), fullPage: true });
    await cell.getByRole('button', { name: `Relabel image ${seeded.wrongImage} as benign` }).click();
    await poll(() => cell.getByRole('status').first().textContent()).toContain('relabelled benign');
    const report = join(dataDir, 'report.html');
    await page.getByLabel('Save to (path on this computer)').fill(report);
    await page.getByRole('button', { name: 'Export report' }).click();
    await poll(() => existsSync(report)).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('<table');
    const violations = (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.help}`);
    expect(violations).toEqual([]);
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
