import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogService } from '../../../../main/catalog/catalog-service';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

/** 6 images: a/1-3 labelled "a", b/4-6 labelled "b". */
const setup = async (): Promise<{ catalog: CatalogService; datasetId: number; ids: number[] }> => {
  const root = tempDir('sonofuse-edits-');
  for (let i = 1; i <= 6; i++)
    writeFile(root, `${i <= 3 ? 'a' : 'b'}/${i}.png`, await makeImage(6, 6, 500 + i));
  const { catalog } = freshCatalog();
  const report = await catalog.import(importOptions({ source: root, dataset: 'e', thumbnails: false }));
  const ids = catalog
    .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
    .items.map((i) => i.id);
  return { catalog, datasetId: report.datasetId, ids };
};

describe('labels and notes with history', () => {
  let catalog: CatalogService;
  let datasetId: number;
  let ids: number[];
  beforeEach(async () => {
    ({ catalog, datasetId, ids } = await setup());
  });

  it('sets and clears a single label, recording who, when, from → to and why', () => {
    expect(
      catalog.setLabels({
        imageId: ids[0]!,
        task: 'label',
        labels: ['b'],
        user: 'ana',
        reason: 'wall visible',
      }),
    ).toEqual({ labels: ['b'], batchId: expect.any(Number), version: 1 });
    expect(
      catalog.setLabels({ imageId: ids[0]!, task: 'label', labels: ['b'], user: 'ana', reason: '' }).batchId,
    ).toBeNull(); // no change, no history
    catalog.setLabels({ imageId: ids[0]!, task: 'label', labels: [], user: 'ben', reason: 'unsure' });
    expect(() =>
      catalog.setLabels({ imageId: ids[0]!, task: 'label', labels: ['a', 'b'], user: 'ben', reason: '' }),
    ).toThrow(/one label/);
    const history = catalog.history(ids[0]!, 10);
    expect(history.map((h) => [h.kind, h.from, h.to, h.user, h.reason, h.origin])).toEqual([
      ['label', ['b'], [], 'ben', 'unsure', 'edit'],
      ['label', ['a'], ['b'], 'ana', 'wall visible', 'edit'],
      ['label', [], ['a'], 'import', `import 1`, 'import'],
    ]);
    expect(Date.parse(history[0]!.at)).not.toBeNaN();
  });

  it('handles multi-label tasks with ordered classes and a hierarchy', () => {
    const task = catalog.defineTask({
      datasetId,
      name: 'plane',
      kind: 'multi',
      classes: [
        { name: 'brain', parent: null },
        { name: 'trans-thalamic', parent: 'brain' },
        { name: 'femur', parent: null },
      ],
    });
    expect(task.classes).toEqual([
      { name: 'brain', parent: null, colour: null },
      { name: 'trans-thalamic', parent: 'brain', colour: null },
      { name: 'femur', parent: null, colour: null },
    ]);
    expect(
      catalog.setLabels({
        imageId: ids[1]!,
        task: 'plane',
        labels: ['femur', 'trans-thalamic'],
        user: 'ana',
        reason: '',
      }).labels,
    ).toEqual(['trans-thalamic', 'femur']);
    expect(
      catalog.setLabels({ imageId: ids[1]!, task: 'plane', labels: ['femur'], user: 'ana', reason: '' })
        .labels,
    ).toEqual(['femur']);
    expect(catalog.image(ids[1]!, 'plane').labels).toEqual(['femur']);
  });

  it('edits notes with history and finds them by full-text search', () => {
    catalog.setNote({ imageId: ids[2]!, text: 'Échogenic bowel, follow up', user: 'ana', reason: '' });
    catalog.setNote({ imageId: ids[2]!, text: 'Echogenic bowel resolved', user: 'ben', reason: 'rescan' });
    expect(
      catalog
        .history(ids[2]!, 10)
        .filter((h) => h.kind === 'note')
        .map((h) => [h.from, h.to, h.user]),
    ).toEqual([
      ['Échogenic bowel, follow up', 'Echogenic bowel resolved', 'ben'],
      [null, 'Échogenic bowel, follow up', 'ana'],
    ]);
    const search = (text: string) =>
      catalog
        .images({ task: 'label', text, sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 10 })
        .items.map((i) => i.id);
    expect(search('echogen')).toEqual([ids[2]]);
    expect(search('follow')).toEqual([]); // the old text is no longer indexed
    expect(search('bowel" resolv* (')).toEqual([ids[2]]); // quotes and operators never reach FTS5 as syntax
  });

  it('undoes the last change, a whole bulk relabel at once, and per user', () => {
    catalog.setLabels({ imageId: ids[0]!, task: 'label', labels: ['b'], user: 'ana', reason: '' });
    const bulk = catalog.bulkRelabel({
      datasetId,
      task: 'label',
      from: 'b',
      to: ['c'],
      user: 'ben',
      reason: 'merge',
    });
    expect(bulk.changed).toBe(4); // image 1 (now b) + images 4-6
    expect(catalog.stats(datasetId, 'label')[0]!.labels).toEqual([
      { label: 'a', count: 2 },
      { label: 'b', count: 0 },
      { label: 'c', count: 4 },
    ]);
    catalog.setNote({ imageId: ids[3]!, text: 'ana note', user: 'ana', reason: '' });
    expect(catalog.undo('ben', 'ben')).toEqual({ batchId: expect.any(Number), undone: 4 });
    expect(
      catalog.images({
        datasetId,
        task: 'label',
        labels: ['b'],
        sort: { by: 'id', dir: 'asc' },
        offset: 0,
        limit: 10,
      }).total,
    ).toBe(4);
    expect(catalog.image(ids[3]!).note).toBe('ana note'); // ana's later note is untouched
    expect(catalog.undo(undefined, 'ana').undone).toBe(1); // the note
    expect(catalog.image(ids[3]!).note).toBeNull();
    expect(catalog.undo(undefined, 'ana').undone).toBe(1); // ana's first relabel
    expect(catalog.image(ids[0]!).labels).toEqual(['a']);
    expect(catalog.undo(undefined, 'ana')).toEqual({ batchId: null, undone: 0 }); // import batches are not undone
    const undoRows = catalog.history(undefined, 100).filter((h) => h.origin === 'undo');
    expect(undoRows).toHaveLength(6);
    expect(undoRows.every((h) => h.undoesBatch !== null)).toBe(true);
  });

  it('bulk relabels chosen ids in one transaction and rejects unknown images', () => {
    expect(
      catalog.bulkRelabel({
        datasetId,
        task: 'label',
        imageIds: [ids[0]!, ids[4]!, 99_999],
        to: ['z'],
        user: 'ana',
        reason: '',
      }).changed,
    ).toBe(2);
    expect(() =>
      catalog.setLabels({ imageId: 99_999, task: 'label', labels: ['a'], user: 'ana', reason: '' }),
    ).toThrow(/no image/);
  });
});

describe('accepted assistant suggestions in the history', () => {
  it('records model and probability on an accepted label, none on a typed one, and keeps them apart per image in a bulk confirm', async () => {
    const { catalog, datasetId, ids } = await setup();
    catalog.setLabels({
      imageId: ids[0]!,
      task: 'label',
      labels: ['b'],
      user: 'ana',
      reason: '',
      suggestion: { modelId: 'features-7', p: 0.87 },
    });
    catalog.setLabels({ imageId: ids[1]!, task: 'label', labels: ['b'], user: 'ana', reason: '' });
    expect(catalog.history(ids[0]!, 1)[0]).toMatchObject({
      to: ['b'],
      origin: 'edit',
      suggestion: { modelId: 'features-7', p: 0.87 },
    });
    expect(catalog.history(ids[1]!, 1)[0]!.suggestion).toBeNull();
    // Imported labels carry no suggestion either.
    expect(catalog.history(ids[5]!, 1)[0]).toMatchObject({ origin: 'import', suggestion: null });

    const bulk = catalog.bulkRelabel({
      datasetId,
      task: 'label',
      imageIds: [ids[2]!, ids[3]!],
      to: ['a'],
      user: 'ana',
      reason: 'confirm suggestions',
      suggestions: [
        { imageId: ids[2]!, modelId: 'features-7', p: 0.99 },
        { imageId: ids[3]!, modelId: 'features-7', p: 0.91 },
      ],
    });
    expect(bulk.changed).toBe(1); // ids[2] was already "a": no change, no row
    const row = catalog.history(ids[3]!, 1)[0]!;
    expect([row.batchId, row.to, row.suggestion]).toEqual([
      bulk.batchId,
      ['a'],
      { modelId: 'features-7', p: 0.91 },
    ]);

    // The undo of a confirmed batch is not itself a suggestion.
    catalog.undo('ana', 'ana', bulk.batchId!);
    expect(catalog.history(ids[3]!, 1)[0]).toMatchObject({ origin: 'undo', to: ['b'], suggestion: null });
    catalog.close();
  });
});
