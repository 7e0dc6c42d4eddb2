import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunConfig } from '../../../../shared/run/run-config';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { buildRunWorkingCopy } from '../../../../main/catalog-store/run-working-copy';
import { buildRunManifest } from '../../../../main/runs/build-run-manifest';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';
import { tempDir } from '../catalog/support/catalog-fixtures';

describe.skipIf(pgSkipReason !== null)(`a run's snapshot from a shared catalog ${pgSkipReason ?? ''}`, () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('freezes the dataset through the store into a local catalog over the shared image store', async () => {
    const store = await openPgCatalogStore({ url: await cluster.createDatabase() });
    const storeDir = tempDir('sonofuse-shared-');
    try {
      const datasetId = await store.ensureDataset('dept');
      await store.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['head', 'femur'] });
      const user = await store.currentUser();
      // 40 images, 20 patients (two images each), alternating classes; image 39 unlabeled.
      const { inserted } = await store.addImages(
        Array.from({ length: 40 }, (_, i) => ({
          datasetId,
          sha256: (i + 1).toString(16).padStart(64, '0'),
          frame: 0,
          file: `${i}.png`,
          originalPath: `scans/${i}.png`,
          storedPath: `aa/${i}.png`,
          format: 'png',
          sourceFormat: 'png',
          width: 8,
          height: 8,
          bytes: 100,
          patient: `p${Math.floor(i / 2)}`,
          metadata: { ga_weeks: String(20 + (i % 5)) },
          note: i % 3 === 0 ? `note ${i}` : null,
          labels: (i === 39 ? {} : { label: [i % 2 === 0 ? 'head' : 'femur'] }) as Record<string, string[]>,
          user,
        })),
      );
      // A label changed on the shared catalog after import is what the copy sees.
      await store.setLabels({ imageId: inserted[0]!, task: 'label', labels: ['femur'], user, reason: 'fix' });
      const dir = tempDir('sonofuse-run-copy-');
      const { catalog, images } = await buildRunWorkingCopy({
        store,
        storeDir,
        dataset: 'dept',
        task: 'label',
        dir,
      });
      try {
        expect(images).toBe(40);
        expect(catalog.dbPath).toBe(join(dir, 'catalog.db'));
        const prepared = buildRunManifest(catalog, RunConfig.parse({ dataset: 'dept' }));
        const items = prepared.manifest.items;
        expect(items).toHaveLength(39);
        expect(prepared.manifest.classes).toEqual(['head', 'femur']);
        const first = items.find((i) => i.sha256 === '1'.padStart(64, '0'))!;
        expect(first.label).toBe(1); // femur, the shared catalog's current label
        expect(first.path).toBe(join(storeDir, 'aa', '0.png'));
        // Group-aware: both images of a patient on the same side.
        const copyDb = catalog.db();
        const sides = copyDb.all<{ key: string; parts: number }>(
          'test.sides',
          `SELECT g.key, count(DISTINCT a.part) AS parts FROM split_assignments a JOIN images i ON i.id = a.image_id
           JOIN groups g ON g.id = i.patient_group_id GROUP BY g.key`,
        );
        expect(sides).toHaveLength(20);
        expect(sides.every((s) => s.parts === 1)).toBe(true);
      } finally {
        catalog.close();
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
