import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { openPgCatalogStore } from '../../../../main/catalog-store/pg-catalog-store';
import { createPgLabelJobs } from '../../../../main/catalog-store/pg-label-jobs';
import { createPgPool } from '../../../../main/catalog-store/pg-pool';
import { captureIo } from '../../../support/capture-io';
import { labelWorkloadImages } from '../../../support/label-workstations';
import { pgSkipReason, startPgCluster, type PgCluster } from '../../../support/pg-cluster';

describe.skipIf(pgSkipReason !== null)(`labeling batches on PostgreSQL ${pgSkipReason ?? ''}`, () => {
  let cluster: PgCluster | null = null;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('hands out unlabeled images once, even to two leads assigning at the same moment; queue and progress', async () => {
    const url = await cluster!.createDatabase();
    const store = await openPgCatalogStore({ url });
    const pool = createPgPool(url, { max: 4 });
    try {
      const datasetId = await store.ensureDataset('d');
      await store.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['a', 'b'] });
      // 40 images; every 10th (4 of them) unlabeled in "label"; none labelled in "view".
      const { inserted } = await store.addImages(labelWorkloadImages(datasetId, 40, ['a', 'b']));
      await store.defineTask({ datasetId, name: 'view', kind: 'single', classes: ['x'] });
      const jobs = createPgLabelJobs(pool, async () => 'lead');

      const [one, two] = await Promise.all([
        jobs.create({ datasetId, task: 'view', assignee: 'ana', size: 25 }),
        jobs.create({ datasetId, task: 'view', assignee: 'ben', size: 25 }),
      ]);
      expect([one.images, two.images].sort((x, y) => x - y)).toEqual([15, 25]);
      const a = await jobs.queue(one.id, 1000);
      const b = await jobs.queue(two.id, 1000);
      expect(new Set([...a, ...b]).size).toBe(40); // no image in both batches
      expect([...a, ...b].sort((x, y) => x - y)).toEqual([...inserted].sort((x, y) => x - y));

      const first = a[0]!;
      await store.setLabels({ imageId: first, task: 'view', labels: ['x'], user: 'ana', reason: '' });
      expect(await jobs.queue(one.id, 1000)).toEqual(a.slice(1));
      expect(await jobs.list({ datasetId, assignee: one.assignee })).toEqual([
        expect.objectContaining({
          id: one.id,
          task: 'view',
          createdBy: 'lead',
          images: one.images,
          labelled: 1,
        }),
      ]);
      // In "label" only the 4 unlabeled images can be handed out; then nothing is left.
      expect((await jobs.create({ datasetId, task: 'label', assignee: 'cy', size: 10 })).images).toBe(4);
      await expect(jobs.create({ datasetId, task: 'label', assignee: 'cy', size: 10 })).rejects.toMatchObject(
        {
          code: 'CONFLICT',
        },
      );
      await expect(jobs.queue(9999, 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await pool.end();
      await store.close();
    }
  }, 60_000);

  it('sonofuse catalog assign-batch / batches on a postgres:// catalog', async () => {
    const url = await cluster!.createDatabase();
    const store = await openPgCatalogStore({ url });
    try {
      const datasetId = await store.ensureDataset('d');
      await store.defineTask({ datasetId, name: 'label', kind: 'single', classes: ['x'] });
      await store.defineTask({ datasetId, name: 'view', kind: 'single', classes: ['x'] });
      await store.addImages(labelWorkloadImages(datasetId, 5, ['x']));
    } finally {
      await store.close();
    }
    const args = ['--db', url, '--dataset', 'd', '--task', 'view'];
    const io = captureIo();
    expect(
      await runCli(['catalog', 'assign-batch', ...args, '--assignee', 'ana', '--size', '3', '--json'], io),
    ).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({
      assignee: 'ana',
      createdBy: cluster!.superuser,
      images: 3,
    });
    const list = captureIo();
    expect(await runCli(['catalog', 'batches', ...args, '--assignee', 'ana'], list)).toBe(0);
    expect(list.stdout).toEqual([expect.stringMatching(/^batch \d+ {2}view {2}ana {2}0\/3 labelled/)]);
  }, 60_000);
});
