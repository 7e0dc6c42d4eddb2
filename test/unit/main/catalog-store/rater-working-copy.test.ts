import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunConfig } from '../../../../shared/run/run-config';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { buildRunWorkingCopy } from '../../../../main/catalog-store/run-working-copy';
import { createSqliteCatalogStore } from '../../../../main/catalog-store/sqlite-catalog-store';
import { buildRunManifest } from '../../../../main/runs/build-run-manifest';
import { tempDir } from '../catalog/support/catalog-fixtures';

describe("a run's working copy of a multi-rater task", () => {
  it('carries decided labels and rater labels, so the run states the same rule and counts', async () => {
    const source = createCatalogService({ dbPath: join(tempDir(), 'catalog.db') });
    const store = createSqliteCatalogStore(source);
    source.setUserName('import');
    const datasetId = await store.ensureDataset('dept');
    await store.defineTask({ datasetId, name: 'plane', kind: 'single', classes: ['head', 'femur'] });
    // 24 images, one patient each.
    const { inserted: ids } = await store.addImages(
      Array.from({ length: 24 }, (_, i) => ({
        datasetId,
        sha256: (i + 500).toString(16).padStart(64, '0'),
        frame: 0,
        file: `${i}.png`,
        originalPath: `${i}.png`,
        storedPath: `aa/${i}.png`,
        format: 'png',
        sourceFormat: 'png',
        width: 8,
        height: 8,
        bytes: 10,
        patient: `p${i}`,
        user: 'import',
      })),
    );
    source.setRole('reviewer');
    source.setRaters({ datasetId, task: 'plane', raters: 3 });
    const rate = (i: number, user: string, label: string) =>
      source.setLabels({ imageId: ids[i]!, task: 'plane', labels: [label], user, reason: '' });
    // 0-19: 2-1 majorities (even head, odd femur); 20: 1-1 tie; 21: adjudicated femur over a head
    // majority; 22-23 unrated.
    for (let i = 0; i < 20; i++) {
      const [win, lose] = i % 2 === 0 ? ['head', 'femur'] : ['femur', 'head'];
      rate(i, 'ann', win);
      rate(i, 'bo', win);
      rate(i, 'cy', lose);
    }
    rate(20, 'ann', 'head');
    rate(20, 'bo', 'femur');
    rate(21, 'ann', 'head');
    rate(21, 'bo', 'head');
    source.setRole('reviewer');
    source.adjudicate({ imageId: ids[21]!, task: 'plane', label: 'femur', user: 'rev', reason: '' });
    const expected = {
      rule: 'adjudicated-else-majority',
      raters: 3,
      adjudicated: 1,
      majority: 20,
      ties: 1,
      unrated: 2,
    };
    const config = RunConfig.parse({ dataset: 'dept', task: 'plane' });
    expect(buildRunManifest(source, config).labelRule).toEqual(expected);

    const { catalog: copy } = await buildRunWorkingCopy({
      store,
      storeDir: tempDir('sonofuse-shared-'),
      dataset: 'dept',
      task: 'plane',
      dir: tempDir('sonofuse-run-copy-'),
    });
    try {
      const prepared = buildRunManifest(copy, config);
      expect(prepared.labelRule).toEqual(expected);
      const labels = new Map(
        prepared.manifest.items.map((i) => [i.sha256, prepared.manifest.classes[i.label]]),
      );
      expect(labels.get((521).toString(16).padStart(64, '0'))).toBe('femur');
      expect(labels.get((500).toString(16).padStart(64, '0'))).toBe('head');
      expect(labels.size).toBe(21);
    } finally {
      copy.close();
      source.close();
    }
  });
});
