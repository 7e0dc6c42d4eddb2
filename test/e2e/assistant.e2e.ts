import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportOptions } from '../../shared/contract/catalog';
import { defaultCatalogPath } from '../../main/catalog/catalog-paths';
import { createCatalogService } from '../../main/catalog/catalog-service';
import { generateDemoDataset } from '../../main/demo/demo-dataset';
import { phantomClasses } from '../../main/demo/phantom-anatomy';
import { createLogger } from '../../main/core/logger';
import { startAppHost, type HostProcess } from './support/app-host';
import { launchChromium, shootContent } from './support/browser';
import { nameLabeller } from './support/labeller';

const DATASET = 'assist-phantom (synthetic)';
/** The same images fully labelled, for `sonofuse assist-sim`. */
const SIM_DATASET = 'sim-phantom (synthetic)';
const poll = <T>(fn: () => Promise<T> | T, options: { timeout?: number } = {}) =>
  expect.poll(fn, { timeout: 30_000, interval: 200, ...options });

const axeViolations = async (page: Page): Promise<string[]> =>
  (await new AxeBuilder({ page }).analyze()).violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );

/** The true class of each image (by file name): the labeller's answers, kept out of the catalog. */
const truth = new Map<string, string>();

/**
 * A small synthetic set (5 views × 8 sweeps × 2 frames = 80 images of 64 px, grouped by sweep),
 * imported unlabeled (the manifest without its label column), with the task's classes and a stored
 * split, so the assistant can train on the training part as soon as labels come.
 */
const seedCatalog = async (dataDir: string): Promise<void> => {
  const folder = join(dataDir, 'assist-phantom');
  const { rows, manifestPath } = await generateDemoDataset({
    outDir: folder,
    seed: 11,
    sweepsPerClass: 8,
    framesPerSweep: 2,
    size: 64,
  });
  for (const r of rows) truth.set(basename(r.file), r.label);
  // Rows in a fixed shuffled order (the generator writes them class by class), so the first ten
  // images met in import order are of several classes, as in a real exam list.
  let state = 7;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const order = rows
    .map((r) => ({ r, k: random() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.r);
  const manifest = join(folder, 'unlabeled.csv');
  writeFileSync(manifest, ['file,patient_id', ...order.map((r) => `${r.file},${r.patient_id}`)].join('\n'));
  const catalog = createCatalogService({
    dbPath: defaultCatalogPath('default', { SONOFUSE_DATA_DIR: dataDir }),
    logger: createLogger({ minLevel: 'error' }),
  });
  try {
    const report = await catalog.import(
      ImportOptions.parse({ source: manifest, dataset: DATASET, user: 'e2e' }),
    );
    catalog.defineTask({
      datasetId: report.datasetId,
      name: 'label',
      kind: 'single',
      classes: phantomClasses.map((name) => ({ name, parent: null })),
    });
    catalog.createSplit({
      datasetId: report.datasetId,
      seed: 1,
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
      task: 'label',
    });
    const sim = await catalog.import(
      ImportOptions.parse({ source: manifestPath, dataset: SIM_DATASET, user: 'e2e' }),
    );
    catalog.createSplit({
      datasetId: sim.datasetId,
      seed: 1,
      ratios: { train: 0.7, validation: 0.15, test: 0.15 },
      task: 'label',
    });
  } finally {
    catalog.close();
  }
};

describe('the labeling assistant in browser mode (Debian Chromium, a real assistant)', () => {
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sonofuse-e2e-assistant-'));

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

  const file = async () => basename((await page.getByTestId('current-file').textContent()) ?? '');
  const classKey = (name: string) =>
    String(phantomClasses.indexOf(name as (typeof phantomClasses)[number]) + 1);
  /** The class the assistant suggests for the shown image, or null. */
  const suggested = async (): Promise<string | null> => {
    const button = page.locator('.class-button[data-suggested="true"] .class-name');
    return (await button.count()) > 0 ? await button.first().textContent() : null;
  };

  /** The workspace's dataset picker (the dataset bar of every screen). */
  const datasetPicker = () =>
    page
      .locator('label.field')
      .filter({ has: page.getByText('Dataset', { exact: true }) })
      .locator('select')
      .first();

  it('label 10 images, see suggestions appear, accept 5 by key, reload: the history shows them as accepted suggestions', async () => {
    await page.keyboard.press('Alt+2');
    await datasetPicker().selectOption({ label: `${DATASET} (80)` });
    await poll(file).toMatch(/\.png$/);
    await poll(() =>
      page.locator('.viewer-stage img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth),
    ).toBeGreaterThan(0);

    // Without suggestions: one class key per image.
    let keysWithout = 0;
    const startWithout = Date.now();
    for (let i = 0; i < 10; i++) {
      const before = await file();
      await page.keyboard.press(classKey(truth.get(before)!));
      keysWithout++;
      await poll(file)
        .not.toBe(before)
        .catch(async (e: unknown) => {
          const notice = await page.getByTestId('labeling-notice').textContent();
          const errors = await page.locator('.error-message').allTextContents();
          throw new Error(`${String(e)}; notice: ${notice}; errors: ${errors.join(' | ')}`);
        });
    }
    const msWithout = Date.now() - startWithout;

    // The assistant retrains in the background; a suggestion appears on the image shown.
    await poll(suggested, { timeout: 180_000 }).not.toBeNull();
    const status = await page.getByTestId('assistant-status').textContent();
    expect(status).toMatch(/^Assistant: model trained on \d+ labels/);
    await shootContent(page, 'assistant-labeling');
    expect(await axeViolations(page)).toEqual([]);

    // With suggestions: Enter where the suggestion is right, the class key where it is not.
    let keysWith = 0;
    let retrainsMissed = 0;
    let shown = 0;
    const accepted: string[] = [];
    const startWith = Date.now();
    let waited = 0;
    while (accepted.length < 5 && shown < 30) {
      const before = await file();
      await poll(suggested, { timeout: 60_000 }).not.toBeNull();
      const s = await suggested();
      shown++;
      if (s === truth.get(before)) {
        await page.keyboard.press('Enter');
        accepted.push(before);
      } else await page.keyboard.press(classKey(truth.get(before)!));
      keysWith++;
      await poll(file).not.toBe(before);
      // A person takes a few seconds per image: the assistant retrains meanwhile (debounced after
      // each label). Wait for the retrain that follows this label, up to 5 s, as that pace allows.
      const waitFrom = Date.now();
      const model = await page.getByTestId('assistant-status').getAttribute('data-model');
      await poll(() => page.getByTestId('assistant-status').getAttribute('data-model'), { timeout: 5_000 })
        .not.toBe(model)
        .catch(() => retrainsMissed++);
      waited += Date.now() - waitFrom;
    }
    // Labelling time only: the waits for a retrain stand for the person looking at the image.
    const msWith = Date.now() - startWith - waited;
    expect(accepted).toHaveLength(5);
    console.log(
      [
        `[assistant e2e] without suggestions: ${keysWithout} keys / 10 images = ${(keysWithout / 10).toFixed(2)} keys per image, ${((10 / msWithout) * 60_000).toFixed(1)} labels/min`,
        `[assistant e2e] with suggestions: ${keysWith} keys / ${shown} images = ${(keysWith / shown).toFixed(2)} keys per image (${accepted.length} by Enter), ${((shown / msWith) * 60_000).toFixed(1)} labels/min`,
        `[assistant e2e] acceptance rate (suggestion right): ${accepted.length} / ${shown} = ${((accepted.length / shown) * 100).toFixed(0)}%`,
        `[assistant e2e] status when suggestions appeared: ${status}; at the end: ${await page.getByTestId('assistant-status').textContent()} (${retrainsMissed} labels without a retrain within 5 s)`,
      ].join('\n'),
    );

    // After a reload, the images accepted by key show it in their history (model and probability).
    const where = await page.getByTestId('position').textContent();
    const last = await file();
    await page.reload();
    await page.keyboard.press('Alt+2');
    // The view comes back where it was (same image), once the saved position is restored.
    await poll(() => page.getByTestId('position').textContent()).toBe(where);
    await poll(file).toBe(last);
    const seen = new Map<string, string>();
    for (let i = 0; i < shown + 2 && seen.size < 5; i++) {
      await page.keyboard.press('p');
      await poll(async () => (await page.getByTestId('label-history').count()) > 0).toBe(true);
      const name = await file();
      const badge = page.getByTestId('accepted-suggestion');
      if (accepted.includes(name)) {
        await poll(() => badge.count()).toBe(1);
        seen.set(name, (await badge.textContent())!);
      } else expect(await badge.count()).toBe(0);
    }
    expect([...seen.keys()].sort()).toEqual([...accepted].sort());
    for (const text of seen.values()) expect(text).toMatch(/^accepted suggestion \(.+, \d+%\)$/);
    await shootContent(page, 'assistant-history');
  });

  it('confirms the sure suggestions of one class from the grid in one dialog, recorded as accepted suggestions', async () => {
    await page.keyboard.press('Alt+1');
    await poll(() => page.getByTestId('suggestion-badge').count()).toBeGreaterThan(0);
    // The class with the most unlabeled images suggested at p ≥ 0.9.
    const threshold = page.getByRole('spinbutton', { name: 'Minimum probability' });
    await threshold.fill('0.9');
    const classSelect = page.getByRole('combobox', { name: 'Suggested class' });
    let best = { name: '', n: -1 };
    for (const name of phantomClasses) {
      await classSelect.selectOption(name);
      const n = Number(/^(\d+)/.exec((await page.getByTestId('suggested-count').textContent()) ?? '')![1]);
      if (n > best.n) best = { name, n };
    }
    expect(best.n).toBeGreaterThan(0);
    await classSelect.selectOption(best.name);
    await page.getByRole('button', { name: 'Show them' }).click();
    await poll(() => page.getByTestId('result-count').textContent()).toBe(
      `${best.n} image${best.n === 1 ? '' : 's'}`,
    );
    const plural = best.n === 1 ? '' : 's';
    await page.getByRole('button', { name: `Confirm ${best.n} suggestion${plural}…` }).click();
    const dialog = page.getByRole('dialog', { name: `Label ${best.n} image${plural} as ${best.name}?` });
    await dialog.getByRole('button', { name: `Confirm ${best.n} suggestion${plural}` }).click();
    await poll(() => page.getByTestId('catalog-notice').textContent()).toBe(
      `Confirmed ${best.n} suggestion${plural} as ${best.name}.`,
    );
    // Read back from the catalog what the batch wrote: each row an accepted suggestion.
    const db = new Database(defaultCatalogPath('default', { SONOFUSE_DATA_DIR: dataDir }), {
      readonly: true,
    });
    const rows = db
      .prepare(
        `SELECT i.file, h.to_value, h.suggestion_model, h.suggestion_p FROM history h JOIN images i ON i.id = h.image_id
         WHERE h.batch_id = (SELECT max(batch_id) FROM history WHERE origin = 'edit')`,
      )
      .all() as Array<{
      file: string;
      to_value: string;
      suggestion_model: string | null;
      suggestion_p: number;
    }>;
    db.close();
    expect(rows).toHaveLength(best.n);
    for (const r of rows) {
      expect(JSON.parse(r.to_value)).toEqual([best.name]);
      expect(r.suggestion_model).not.toBeNull();
      expect(r.suggestion_p).toBeGreaterThanOrEqual(0.9);
    }
    const right = rows.filter((r) => truth.get(basename(r.file)) === best.name).length;
    // Actions: threshold, class, Show them, Confirm…, Confirm in the dialog.
    console.log(
      `[assistant e2e] grid bulk confirm: ${best.n} images of "${best.name}" at p ≥ 0.9 with 5 actions = ${(5 / best.n).toFixed(2)} actions per image; ${right} / ${best.n} right (${((right / best.n) * 100).toFixed(0)}%)`,
    );
    await shootContent(page, 'assistant-grid-confirmed');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('shows the stored assist-sim curves in the Training screen once the command has run', async () => {
    await page.keyboard.press('Alt+1');
    await datasetPicker().selectOption({ label: `${SIM_DATASET} (80)` });
    await page.keyboard.press('Alt+6');
    const panel = page.getByTestId('assistant-panel');
    const dbPath = defaultCatalogPath('default', { SONOFUSE_DATA_DIR: dataDir });
    await poll(() => panel.getByTestId('sim-command').textContent()).toBe(
      `sonofuse assist-sim --db ${JSON.stringify(dbPath)} --dataset ${JSON.stringify(SIM_DATASET)} --seeds 3`,
    );
    const cli = spawnSync(
      process.execPath,
      [
        'main/cli/bin.mjs',
        'assist-sim',
        '--db',
        dbPath,
        '--dataset',
        SIM_DATASET,
        '--start',
        '10',
        '--batch',
        '10',
        '--seeds',
        '1',
      ],
      { encoding: 'utf8', env: { ...process.env, SONOFUSE_DATA_DIR: dataDir }, timeout: 300_000 },
    );
    expect(cli.status, cli.stderr).toBe(0);
    await panel.getByRole('button', { name: 'Check again' }).click();
    const table = panel.getByTestId('sim-table');
    await poll(() => table.locator('tbody tr th').allTextContents()).toEqual([
      'Random order',
      'Uncertainty',
      'Diverse uncertainty',
    ]);
    expect(
      await panel
        .getByRole('img', { name: /^Test accuracy per number of labels, 1 seed, start 10, batch 10: / })
        .count(),
    ).toBe(1);
    console.log(
      `[assistant e2e] assist-sim (80 phantom images, 1 seed) as the panel shows it:\n${(await table.innerText()).trim()}`,
    );
    await shootContent(page, 'assistant-panel');
    expect(await axeViolations(page)).toEqual([]);
  });
});
