import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogService } from '../../../../main/catalog/catalog-service';
import { claimApplied, conflictMessage } from '../../../../main/catalog/label-versions';
import { AppError } from '../../../../shared/contract/result';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

const setup = async () => {
  const root = tempDir('sonofuse-versions-');
  for (let i = 1; i <= 3; i++) writeFile(root, `a/${i}.png`, await makeImage(6, 6, 700 + i));
  const { catalog } = freshCatalog();
  const report = await catalog.import(importOptions({ source: root, dataset: 'v', thumbnails: false }));
  catalog.defineTask({
    datasetId: report.datasetId,
    name: 'label',
    kind: 'single',
    classes: [{ name: 'b', parent: null }],
  });
  const ids = catalog
    .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
    .items.map((i) => i.id);
  return { catalog, datasetId: report.datasetId, ids };
};

const caught = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('versioned label writes (SQLite)', () => {
  let catalog: CatalogService;
  let datasetId: number;
  let ids: number[];
  beforeEach(async () => {
    ({ catalog, datasetId, ids } = await setup());
  });

  it('the image detail carries the version; each applied write moves it on by one', () => {
    const id = ids[0]!;
    expect(catalog.image(id)).toMatchObject({ labels: ['a'], labelVersion: 0, labelledBy: null });
    const first = catalog.setLabels({
      imageId: id,
      task: 'label',
      labels: ['b'],
      user: 'ana',
      reason: '',
      baseVersion: 0,
    });
    expect(first).toMatchObject({ labels: ['b'], version: 1 });
    expect(catalog.image(id)).toMatchObject({
      labelVersion: 1,
      labelledBy: 'ana',
      labelledAt: expect.any(String),
    });
    const second = catalog.setLabels({
      imageId: id,
      task: 'label',
      labels: ['a'],
      user: 'ben',
      reason: '',
      baseVersion: 1,
    });
    expect(second.version).toBe(2);
  });

  it('a stale write is refused with CONFLICT carrying the current labels, who and when; nothing is written', () => {
    const id = ids[0]!;
    catalog.setLabels({
      imageId: id,
      task: 'label',
      labels: ['b'],
      user: 'A. Rossi',
      reason: '',
      baseVersion: 0,
    });
    const historyBefore = catalog.history(id).length;
    const error = caught(() =>
      catalog.setLabels({ imageId: id, task: 'label', labels: [], user: 'ben', reason: '', baseVersion: 0 }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.conflicts).toEqual([
      { imageId: id, task: 'label', version: 1, labels: ['b'], by: 'A. Rossi', at: expect.any(String) },
    ]);
    expect(error.message).toContain('by A. Rossi');
    expect(catalog.image(id)).toMatchObject({ labels: ['b'], labelVersion: 1 });
    expect(catalog.history(id)).toHaveLength(historyBefore);
    // Replace: the same write on the version the conflict reported applies.
    expect(
      catalog.setLabels({ imageId: id, task: 'label', labels: [], user: 'ben', reason: '', baseVersion: 1 }),
    ).toMatchObject({ labels: [], version: 2 });
  });

  it('a write based on a version the state never had is refused too (no row yet, base 3)', () => {
    const error = caught(() =>
      catalog.setLabels({
        imageId: ids[1]!,
        task: 'label',
        labels: ['b'],
        user: 'x',
        reason: '',
        baseVersion: 3,
      }),
    );
    expect(error.conflicts?.[0]).toMatchObject({ version: 0, labels: ['a'], by: null });
    expect(catalog.image(ids[1]!).labelVersion).toBe(0);
  });

  it('a stale write asking for the labels already there is no conflict and no change', () => {
    const id = ids[0]!;
    catalog.setLabels({ imageId: id, task: 'label', labels: ['b'], user: 'ana', reason: '', baseVersion: 0 });
    expect(
      catalog.setLabels({
        imageId: id,
        task: 'label',
        labels: ['b'],
        user: 'ben',
        reason: '',
        baseVersion: 0,
      }),
    ).toEqual({ labels: ['b'], batchId: null, version: 1 });
  });

  it('bulk relabel: one stale image refuses the whole change and lists it; fresh bases apply', () => {
    catalog.setLabels({ imageId: ids[1]!, task: 'label', labels: [], user: 'cy', reason: '' });
    const bases = ids.map((imageId) => ({ imageId, version: 0 }));
    const error = caught(() =>
      catalog.bulkRelabel({
        datasetId,
        task: 'label',
        imageIds: ids,
        to: ['b'],
        user: 'dee',
        reason: '',
        baseVersions: bases.map((b) => ({ ...b })),
      }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.conflicts).toEqual([expect.objectContaining({ imageId: ids[1], version: 1, by: 'cy' })]);
    expect(ids.map((id) => catalog.image(id).labels)).toEqual([['a'], [], ['a']]);
    const fresh = ids.map((imageId) => ({ imageId, version: catalog.image(imageId).labelVersion }));
    expect(
      catalog.bulkRelabel({
        datasetId,
        task: 'label',
        imageIds: ids,
        to: ['b'],
        user: 'dee',
        reason: '',
        baseVersions: fresh,
      }),
    ).toMatchObject({ changed: 3 });
    expect(ids.map((id) => catalog.image(id).labelVersion)).toEqual([1, 2, 1]);
  });

  it('undo moves the version on (a write based on the pre-undo version is stale)', () => {
    const id = ids[0]!;
    catalog.setLabels({ imageId: id, task: 'label', labels: ['b'], user: 'ana', reason: '', baseVersion: 0 });
    catalog.undo('ana', 'ana');
    expect(catalog.image(id)).toMatchObject({ labels: ['a'], labelVersion: 2 });
    expect(
      caught(() =>
        catalog.setLabels({
          imageId: id,
          task: 'label',
          labels: ['b'],
          user: 'ben',
          reason: '',
          baseVersion: 1,
        }),
      ).code,
    ).toBe('CONFLICT');
  });
});

describe('claim arithmetic and messages', () => {
  it('applies only when the returned version is base + 1 (or any, unconditional)', () => {
    expect(claimApplied(4, 3)).toBe(true);
    expect(claimApplied(1, 3)).toBe(false); // a fresh row over a base the state never had
    expect(claimApplied(undefined, 0)).toBe(false);
    expect(claimApplied(7, null)).toBe(true);
  });
  it('names the first image and counts the rest', () => {
    const c = { imageId: 9, task: 'label', version: 4, labels: ['x'], by: 'A. Rossi', at: null };
    expect(conflictMessage([c, { ...c, imageId: 10 }])).toBe(
      'image 9 was labelled by A. Rossi since you saw it (now version 4) (and 1 more image(s))',
    );
  });
});
