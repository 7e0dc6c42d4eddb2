import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssistSimResult } from '../../../../shared/contract/assistant';
import { createRandom } from '../../../../shared/random/seeded-random';
import { runCli } from '../../../../main/cli/cli-main';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import { createLogger } from '../../../../main/core/logger';
import { readAssistantPool } from '../../../../main/assistant/assistant-data';
import { readAssistSim } from '../../../../main/assistant/assist-sim-store';
import { featureCachePath, openFeatureCache } from '../../../../main/assistant/feature-cache';
import { featureKey } from '../../../../main/assistant/image-features';
import { MOBILENET_FEATURE_DIM } from '../../../../main/assistant/pool-features';
import { NOTE_DIM } from '../../../../main/assistant/note-features';
import { tempDir } from '../catalog/support/catalog-fixtures';
import { captureIo } from '../../../support/capture-io';

/**
 * A generated catalog (60 images, 5 classes) whose features are already in the workspace cache
 * (class centre + noise per content hash), so the command never loads the backbone.
 */
const fixture = async () => {
  const dir = tempDir('sonofuse-assist-sim-');
  const db = join(dir, 'catalog.db');
  const catalog = createCatalogService({ dbPath: db, logger: createLogger({ minLevel: 'error' }) });
  const datasetId = seedSyntheticCatalog(catalog.db(), { count: 60, seed: 5 });
  const pool = readAssistantPool(catalog, datasetId, 'label');
  catalog.close();
  const cache = await openFeatureCache(featureCachePath(dir, featureKey()), MOBILENET_FEATURE_DIM);
  const r = createRandom(2);
  for (const row of pool.rows) {
    const c = row.label ?? 0;
    cache.set(
      row.sha256,
      Float32Array.from({ length: MOBILENET_FEATURE_DIM }, (_, d) => (d % 5 === c ? 1 : 0) + r.normal()),
    );
  }
  await cache.save();
  // Note embeddings too (per note text), so no encoder is loaded either.
  const notes = await openFeatureCache(featureCachePath(dir, 'use-lite-notes'), NOTE_DIM);
  for (const row of pool.rows)
    if (row.note?.trim())
      notes.set(
        createHash('sha256').update(row.note).digest('hex'),
        Float32Array.from({ length: NOTE_DIM }, () => r.normal()),
      );
  await notes.save();
  return { dir, db, datasetId, pool };
};

describe('sonofuse assist-sim', () => {
  it('simulates every strategy over the seeds, prints JSON and stores the same result for the app', async () => {
    const f = await fixture();
    const io = captureIo();
    const code = await runCli(
      [
        'assist-sim',
        '--db',
        f.db,
        '--dataset',
        'synthetic',
        '--start',
        '5',
        '--batch',
        '15',
        '--seeds',
        '2',
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    const result = AssistSimResult.parse(JSON.parse(io.stdout.join('\n')));
    const train = f.pool.rows.filter((r) => r.part === 'train' && r.label !== null).length;
    const test = f.pool.rows.filter((r) => r.part === 'test' && r.label !== null).length;
    expect(result.n).toBe(train);
    expect(result.testSize).toBe(test);
    expect(result.curves.map((c) => `${c.strategy}/${c.seed}`)).toEqual([
      'random/1',
      'random/2',
      'uncertainty/1',
      'uncertainty/2',
      'diverse-uncertainty/1',
      'diverse-uncertainty/2',
    ]);
    for (const c of result.curves) {
      // 5, 20, 35, … then the whole pool.
      expect(c.labels.slice(0, 3)).toEqual([5, 20, 35]);
      expect(c.labels.at(-1)).toBe(train);
      expect(c.accuracy).toHaveLength(c.labels.length);
    }
    // Separable classes: the all-labels head is nearly perfect on the test part.
    expect(result.allLabelsAccuracy).toBeGreaterThan(0.9);
    expect(await readAssistSim(f.dir, f.datasetId, 'label')).toEqual(result);
  });

  it('prints the curves and the comparison with random; one strategy only with --strategy', async () => {
    const f = await fixture();
    const io = captureIo();
    const args = [
      'assist-sim',
      '--db',
      f.db,
      '--dataset',
      String(f.datasetId),
      '--batch',
      '60',
      '--seeds',
      '1',
    ];
    expect(await runCli([...args, '--strategy', 'random', '--strategy', 'diverse-uncertainty'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/All-labels test accuracy: \d+\.\d%/);
    expect(text).toMatch(
      /diverse-uncertainty vs random: labels to 95% .* of random's; area above random on \d\/1 seeds/,
    );
    expect(text).not.toMatch(/^uncertainty:/m);
  });

  it('refuses an unknown strategy (usage, exit 2) and an unknown dataset (NOT_FOUND, exit 1)', async () => {
    const f = await fixture();
    const io = captureIo();
    expect(
      await runCli(['assist-sim', '--db', f.db, '--dataset', 'synthetic', '--strategy', 'oracle'], io),
    ).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--strategy takes random\|uncertainty\|diverse-uncertainty/);
    const io2 = captureIo();
    expect(await runCli(['assist-sim', '--db', f.db, '--dataset', 'nope'], io2)).toBe(1);
    expect(io2.stderr.join('\n')).toMatch(/NOT_FOUND/);
  });
});
