import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogService } from '../../../../main/catalog/catalog-service';
import { AppError } from '../../../../shared/contract/result';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

/** 6 images in folder "a" (labelled a by the import) and a second task "view" where none is labelled. */
const setup = async () => {
  const root = tempDir('sonofuse-jobs-');
  for (let i = 1; i <= 6; i++) writeFile(root, `a/${i}.png`, await makeImage(6, 6, 800 + i));
  const { catalog } = freshCatalog();
  const report = await catalog.import(importOptions({ source: root, dataset: 'j', thumbnails: false }));
  catalog.defineTask({
    datasetId: report.datasetId,
    name: 'view',
    kind: 'single',
    classes: [
      { name: 'axial', parent: null },
      { name: 'sagittal', parent: null },
    ],
  });
  const ids = catalog
    .images({ task: 'view', sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 10 })
    .items.map((i) => i.id);
  return { catalog, datasetId: report.datasetId, ids };
};

describe('labeling batches (work split)', () => {
  let catalog: CatalogService;
  let datasetId: number;
  let ids: number[];
  beforeEach(async () => {
    ({ catalog, datasetId, ids } = await setup());
  });

  it('gives each labeler unlabeled images no other batch holds; the queue follows the batch', () => {
    const ana = catalog.createLabelJob({ datasetId, task: 'view', assignee: 'ana', size: 4, user: 'lead' });
    expect(ana).toMatchObject({ task: 'view', assignee: 'ana', createdBy: 'lead', images: 4, labelled: 0 });
    const ben = catalog.createLabelJob({ datasetId, task: 'view', assignee: 'ben', size: 4, user: 'lead' });
    expect(ben.images).toBe(2); // only 2 images are left outside ana's batch
    expect(catalog.labelJobQueue(ana.id)).toEqual(ids.slice(0, 4));
    expect(catalog.labelJobQueue(ben.id)).toEqual(ids.slice(4, 6));

    catalog.setLabels({ imageId: ids[1]!, task: 'view', labels: ['axial'], user: 'ana', reason: '' });
    expect(catalog.labelJobQueue(ana.id)).toEqual([ids[0], ids[2], ids[3]]);
    expect(catalog.labelJobs({ datasetId, assignee: 'ana' })).toEqual([
      expect.objectContaining({ id: ana.id, images: 4, labelled: 1 }),
    ]);
    expect(catalog.labelJobs({ datasetId, task: 'view' }).map((j) => j.assignee)).toEqual(['ben', 'ana']);
  });

  it('leaves out images already labelled in the task; refuses when nothing is left', () => {
    // In task "label" every image carries the import's folder label: nothing to hand out.
    expect(() =>
      catalog.createLabelJob({ datasetId, task: 'label', assignee: 'ana', size: 3, user: 'lead' }),
    ).toThrow(AppError);
    expect(() =>
      catalog.createLabelJob({ datasetId, task: 'nope', assignee: 'ana', size: 3, user: 'lead' }),
    ).toThrow(/no label task/);
    expect(() => catalog.labelJobQueue(999)).toThrow(/no batch/);
  });
});
