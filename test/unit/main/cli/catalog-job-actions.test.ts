import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../main/cli/cli-main';
import { runJobAction } from '../../../../main/cli/commands/catalog-job-actions';
import { createCatalogService } from '../../../../main/catalog/catalog-service';
import { UsageError } from '../../../../main/cli/command';
import { captureIo } from '../../../support/capture-io';
import { importOptions, makeImage, tempDir, writeFile } from '../catalog/support/catalog-fixtures';

describe('sonofuse catalog assign-batch / batches / batch-queue', () => {
  it('assigns a batch, lists my batches with progress, prints the queue', async () => {
    const root = tempDir('sonofuse-cli-jobs-');
    for (let i = 0; i < 3; i++) writeFile(root, `all/${i}.png`, await makeImage(5, 5, 60 + i));
    const catalog = createCatalogService({ dbPath: join(tempDir(), 'cli.db') });
    const { datasetId } = await catalog.import(
      importOptions({ source: root, dataset: 'd', thumbnails: false }),
    );
    catalog.defineTask({ datasetId, name: 'plane', kind: 'single', classes: [{ name: 'x', parent: null }] });
    const ids = catalog
      .images({ task: 'plane', sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 10 })
      .items.map((i) => i.id);
    const base = { dataset: datasetId, task: 'plane', user: 'lead', json: false };

    const assign = captureIo();
    await runJobAction('assign-batch', catalog, { ...base, assignee: 'ana', size: '2' }, assign);
    expect(assign.stdout[0]).toMatch(/^Assigned batch \d+ {2}plane {2}ana {2}0\/2 labelled {2}\(by lead, /);

    catalog.setLabels({ imageId: ids[0]!, task: 'plane', labels: ['x'], user: 'ana', reason: '' });
    const list = captureIo();
    await runJobAction('batches', catalog, { ...base, assignee: 'ana', json: true }, list);
    const jobs = JSON.parse(list.stdout[0]!) as Array<{ id: number; images: number; labelled: number }>;
    expect(jobs).toEqual([expect.objectContaining({ images: 2, labelled: 1 })]);

    const queue = captureIo();
    await runJobAction('batch-queue', catalog, { ...base, batch: String(jobs[0]!.id) }, queue);
    expect(queue.stdout).toEqual([String(ids[1])]);

    await expect(
      runJobAction('assign-batch', catalog, { ...base, assignee: 'ben', size: '0' }, captureIo()),
    ).rejects.toThrow(UsageError);
    catalog.close();
  });

  it('runs through sonofuse catalog with --db', async () => {
    const root = tempDir('sonofuse-cli-jobs2-');
    for (let i = 0; i < 2; i++) writeFile(root, `all/${i}.png`, await makeImage(5, 5, 70 + i));
    const db = join(tempDir(), 'cli2.db');
    const catalog = createCatalogService({ dbPath: db });
    const { datasetId } = await catalog.import(
      importOptions({ source: root, dataset: 'd', thumbnails: false }),
    );
    catalog.defineTask({ datasetId, name: 'plane', kind: 'single', classes: [{ name: 'x', parent: null }] });
    catalog.close();
    const io = captureIo();
    const args = ['--db', db, '--dataset', 'd', '--task', 'plane'];
    expect(
      await runCli(
        ['catalog', 'assign-batch', ...args, '--assignee', 'ana', '--size', '5', '--user', 'lead', '--json'],
        io,
      ),
    ).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ assignee: 'ana', createdBy: 'lead', images: 2 });
    const list = captureIo();
    expect(await runCli(['catalog', 'batches', ...args, '--assignee', 'ana'], list)).toBe(0);
    expect(list.stdout).toEqual([expect.stringMatching(/^batch \d+ {2}plane {2}ana {2}0\/2 labelled/)]);
  });
});
