import { describe, expect, it } from 'vitest';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

/** Two datasets: `a` (folder with classes x/y, 3 images) and `b` (the same 3 files, flat). */
const twoDatasets = async () => {
  const fixture = freshCatalog();
  const { catalog } = fixture;
  const root = tempDir('sonofuse-ds-');
  const bytes = await Promise.all([1, 2, 3].map((i) => makeImage(6, 5, i * 40)));
  writeFile(root, 'classes/x/1.png', bytes[0]!);
  writeFile(root, 'classes/x/2.png', bytes[1]!);
  writeFile(root, 'classes/y/3.png', bytes[2]!);
  bytes.forEach((b, i) => writeFile(root, `flat/images/${i + 1}.png`, b));
  const a = await catalog.import(
    importOptions({ source: `${root}/classes`, dataset: 'a', thumbnails: false }),
  );
  return { ...fixture, root, a };
};

describe('catalog datasets: rename, delete, labeller name', () => {
  it('renames a dataset, refuses a taken name (CONFLICT) and logs the rename', async () => {
    const { catalog, a, root } = await twoDatasets();
    await catalog.import(importOptions({ source: `${root}/classes/x`, dataset: 'other', thumbnails: false }));
    expect(
      catalog.renameDataset({ datasetId: a.datasetId, name: ' fetal-brain ', user: 'ann' }),
    ).toMatchObject({
      id: a.datasetId,
      name: 'fetal-brain',
      images: 3,
    });
    expect(() => catalog.renameDataset({ datasetId: a.datasetId, name: 'other', user: 'ann' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(catalog.datasets().map((d) => d.name)).toEqual(['fetal-brain', 'other']);
    const log = catalog
      .db()
      .all<{ kind: string; from_value: string; to_value: string; user: string }>(
        'test',
        'SELECT kind, from_value, to_value, user FROM dataset_history',
      );
    expect(log).toEqual([{ kind: 'rename', from_value: 'a', to_value: 'fetal-brain', user: 'ann' }]);
  });

  it('deletes by marking: gone from lists and stats, name free again, history rows kept and the delete logged', async () => {
    const { catalog, a, root } = await twoDatasets();
    const image = catalog.images({
      datasetId: a.datasetId,
      task: 'label',
      offset: 0,
      limit: 10,
      sort: { by: 'id', dir: 'asc' },
    }).items[0]!;
    const { batchId } = catalog.setLabels({
      imageId: image.id,
      task: 'label',
      labels: ['y'],
      user: 'ann',
      reason: '',
    });
    expect(batchId).not.toBeNull();
    expect(() => catalog.deleteDataset({ datasetId: a.datasetId, confirmName: 'b', user: 'ann' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    const deleted = catalog.deleteDataset({ datasetId: a.datasetId, confirmName: 'a', user: 'ann' });
    expect(deleted).toMatchObject({ id: a.datasetId, name: 'a', user: 'ann' });
    expect(catalog.datasets()).toEqual([]);
    expect(catalog.stats(undefined, 'label')).toEqual([]);
    // A catalog-wide image list (no dataset chosen) no longer shows its images either.
    expect(
      catalog.images({ task: 'label', offset: 0, limit: 10, sort: { by: 'id', dir: 'asc' } }).total,
    ).toBe(0);
    // The audit trail stays: the label change and the import's history rows are all still there.
    const history = catalog.history(image.id, 50);
    expect(history.some((h) => h.batchId === batchId && h.user === 'ann')).toBe(true);
    const row = catalog
      .db()
      .get<{ deleted_by: string; name: string }>(
        'test',
        'SELECT deleted_by, name FROM datasets WHERE id = ?',
        a.datasetId,
      );
    expect(row).toEqual({ deleted_by: 'ann', name: `a [deleted ${a.datasetId}]` });
    expect(
      catalog
        .db()
        .all<{ kind: string; from_value: string }>('test', 'SELECT kind, from_value FROM dataset_history'),
    ).toEqual([{ kind: 'delete', from_value: 'a' }]);
    expect(() => catalog.db().run('test', 'DELETE FROM dataset_history')).toThrow(/append-only/);
    // A second delete of the same id finds nothing; the name can be imported again as a new dataset.
    expect(() => catalog.deleteDataset({ datasetId: a.datasetId, confirmName: 'a', user: 'ann' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    const again = await catalog.import(
      importOptions({ source: `${root}/classes`, dataset: 'a', thumbnails: false }),
    );
    expect(again.datasetId).not.toBe(a.datasetId);
    expect(again.imported).toBe(3);
    await expect(
      catalog.import(importOptions({ source: `${root}/classes`, dataset: `a [deleted ${a.datasetId}]` })),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it("remembers the labeller's name and where the user was, per catalog (null until given)", () => {
    const { catalog, dir } = freshCatalog();
    expect(catalog.settings()).toEqual({ userName: null, view: null });
    expect(catalog.setUserName('  Dr Ada Lovelace ')).toEqual({ userName: 'Dr Ada Lovelace', view: null });
    const view = {
      datasetId: 2,
      section: 'labeling',
      tasks: { '2': 'planes' },
      positions: { '2:planes': { index: 24, imageId: 25 } },
    };
    expect(catalog.setViewState(view).view).toEqual(view);
    catalog.close();
    const reopened = freshCatalog(dir).catalog;
    expect(reopened.settings()).toEqual({ userName: 'Dr Ada Lovelace', view });
    // A stored view that no longer fits the contract reads as none, not as an error.
    reopened.db().run('test', 'UPDATE settings SET value = \'{"datasetId":"x"}\' WHERE key = \'view_state\'');
    expect(reopened.settings().view).toBeNull();
  });

  it('undo of one given batch undoes exactly that change, and nothing once it is undone', async () => {
    const { catalog, a } = await twoDatasets();
    const [first, second] = catalog.images({
      datasetId: a.datasetId,
      task: 'label',
      offset: 0,
      limit: 10,
      sort: { by: 'id', dir: 'asc' },
    }).items;
    const bulk = catalog.bulkRelabel({
      datasetId: a.datasetId,
      task: 'label',
      imageIds: [first!.id, second!.id],
      to: ['y'],
      user: 'ann',
      reason: '',
    });
    catalog.setLabels({ imageId: first!.id, task: 'label', labels: ['x'], user: 'ann', reason: '' });
    // The bulk change is not the newest, but the Undo shown beside it undoes it and only it.
    expect(catalog.undo('ann', 'ann', bulk.batchId!).undone).toBe(2);
    expect(catalog.image(second!.id).labels).toEqual(['x']);
    expect(catalog.undo('ann', 'ann', bulk.batchId!).undone).toBe(0);
  });
});

describe('import hints', () => {
  it('reports images already in another dataset, a manifest beside the folder, and a task left without classes', async () => {
    const { catalog, root } = await twoDatasets();
    writeFile(root, 'flat/manifest.csv', 'file,label,patient_id\nimages/1.png,x,P1\n');
    const flat = await catalog.import(
      importOptions({ source: `${root}/flat/images`, dataset: 'b', thumbnails: false }),
    );
    expect(flat.imported).toBe(3);
    expect(flat.duplicates).toEqual([]);
    expect(flat.elsewhere).toEqual({
      images: 3,
      datasets: [{ name: 'a', images: 3 }],
      examples: [
        { file: '1.png', dataset: 'a' },
        { file: '2.png', dataset: 'a' },
        { file: '3.png', dataset: 'a' },
      ],
    });
    expect(flat.notices).toEqual([
      '3 imported images are already in another dataset (same content): a 3.',
      `A manifest lies next to this folder (manifest.csv, with patient ids): import ${root}/flat/manifest.csv instead to keep its labels, patient grouping (group-aware splits), notes and metadata.`,
      'The folder has no sub-folders, so its 3 images were imported unlabeled and the task "label" has no classes yet: add them under Label tasks before labelling.',
    ]);
    // The stored report (what "export report" writes) says the same.
    const stored = catalog
      .db()
      .get<{ report: string }>('test', 'SELECT report FROM import_jobs WHERE id = ?', flat.importId)!;
    expect(JSON.parse(stored.report).notices).toHaveLength(3);
  });

  it('a deleted dataset no longer counts as "elsewhere"', async () => {
    const { catalog, a, root } = await twoDatasets();
    catalog.deleteDataset({ datasetId: a.datasetId, confirmName: 'a', user: 'ann' });
    const flat = await catalog.import(
      importOptions({ source: `${root}/flat/images`, dataset: 'b', thumbnails: false }),
    );
    expect(flat.elsewhere).toBeUndefined();
  });
});
