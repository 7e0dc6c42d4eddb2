import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogService } from '../../../../main/catalog/catalog-service';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

/** 4 images: a/1-2 labelled "a", b/3-4 labelled "b". */
const setup = async () => {
  const root = tempDir('sonofuse-flags-');
  for (let i = 1; i <= 4; i++)
    writeFile(root, `${i <= 2 ? 'a' : 'b'}/${i}.png`, await makeImage(6, 6, 700 + i));
  const { catalog } = freshCatalog();
  const report = await catalog.import(importOptions({ source: root, dataset: 'f', thumbnails: false }));
  const ids = catalog
    .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
    .items.map((i) => i.id);
  return { catalog, datasetId: report.datasetId, ids };
};

describe('review flags', () => {
  let catalog: CatalogService;
  let datasetId: number;
  let ids: number[];
  beforeEach(async () => {
    ({ catalog, datasetId, ids } = await setup());
  });

  it('sets, re-words and clears a flag, each step in the history with who, when and why', () => {
    const set = catalog.setFlag({ imageId: ids[0]!, flagged: true, user: 'ana', reason: 'shadowing' });
    expect(set).toEqual({
      flag: { reason: 'shadowing', user: 'ana', at: expect.any(String) },
      batchId: expect.any(Number),
    });
    // The same flag again changes nothing and writes no history.
    expect(
      catalog.setFlag({ imageId: ids[0]!, flagged: true, user: 'ana', reason: 'shadowing' }).batchId,
    ).toBeNull();
    catalog.setFlag({ imageId: ids[0]!, flagged: true, user: 'ben', reason: 'shadowing, check gain' });
    expect(catalog.image(ids[0]!).flag).toMatchObject({ reason: 'shadowing, check gain', user: 'ben' });
    const cleared = catalog.setFlag({
      imageId: ids[0]!,
      flagged: false,
      user: 'cleo',
      reason: 'reviewed: fine',
    });
    expect(cleared.flag).toBeNull();
    expect(catalog.image(ids[0]!).flag).toBeNull();
    const flags = catalog.history(ids[0]!, 10).filter((h) => h.kind === 'flag');
    expect(flags.map((h) => [h.from, h.to, h.user, h.reason])).toEqual([
      ['shadowing, check gain', null, 'cleo', 'reviewed: fine'],
      ['shadowing', 'shadowing, check gain', 'ben', 'shadowing, check gain'],
      [null, 'shadowing', 'ana', 'shadowing'],
    ]);
    // Clearing an image that has no flag is no change.
    expect(catalog.setFlag({ imageId: ids[1]!, flagged: false, user: 'ana', reason: '' }).batchId).toBeNull();
  });

  it('gives a flag without a reason the default one, and refuses unknown images', () => {
    expect(catalog.setFlag({ imageId: ids[1]!, flagged: true, user: 'ana', reason: '  ' }).flag?.reason).toBe(
      'flagged for review',
    );
    expect(() => catalog.setFlag({ imageId: 999_999, flagged: true, user: 'ana', reason: '' })).toThrow(
      /no image/,
    );
  });

  it('filters the image query by flagged / not flagged, combined with other filters', () => {
    catalog.setFlag({ imageId: ids[0]!, flagged: true, user: 'ana', reason: 'x' });
    catalog.setFlag({ imageId: ids[2]!, flagged: true, user: 'ana', reason: 'y' });
    const query = (extra: object) =>
      catalog
        .images({ task: 'label', datasetId, sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 10, ...extra })
        .items.map((i) => i.id)
        .sort((a, b) => a - b);
    expect(query({ flagged: true })).toEqual([ids[0]!, ids[2]!].sort((a, b) => a - b));
    expect(query({ flagged: false })).toEqual([ids[1]!, ids[3]!].sort((a, b) => a - b));
    expect(query({ flagged: true, labels: ['b'] })).toEqual([ids[2]!]);
    expect(
      catalog.images({ task: 'label', flagged: true, sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 1 })
        .total,
    ).toBe(2);
  });

  it('marks flagged images in the page rows the grid draws (flag marker)', () => {
    catalog.setFlag({ imageId: ids[1]!, flagged: true, user: 'ana', reason: 'x' });
    const rows = catalog.images({
      task: 'label',
      datasetId,
      sort: { by: 'id', dir: 'asc' },
      offset: 0,
      limit: 10,
    }).items;
    expect(rows.filter((r) => r.flagged).map((r) => r.id)).toEqual([ids[1]!]);
    catalog.setFlag({ imageId: ids[1]!, flagged: false, user: 'ana', reason: '' });
    expect(
      catalog
        .images({ task: 'label', datasetId, sort: { by: 'id', dir: 'asc' }, offset: 0, limit: 10 })
        .items.some((r) => r.flagged),
    ).toBe(false);
  });

  it('undoes a flag change like any other edit', () => {
    catalog.setFlag({ imageId: ids[3]!, flagged: true, user: 'ana', reason: 'blurred' });
    expect(catalog.undo('ana')).toMatchObject({ undone: 1 });
    expect(catalog.image(ids[3]!).flag).toBeNull();
    const [undo] = catalog.history(ids[3]!, 1);
    expect(undo).toMatchObject({ kind: 'flag', origin: 'undo', from: 'blurred', to: null });
  });

  it("returns one task's labels and label history with notes and flags in catalog:image", () => {
    catalog.defineTask({
      datasetId,
      name: 'quality',
      kind: 'single',
      classes: [{ name: 'good', parent: null }],
    });
    catalog.setLabels({ imageId: ids[0]!, task: 'quality', labels: ['good'], user: 'ana', reason: '' });
    catalog.setNote({ imageId: ids[0]!, text: 'fine', user: 'ana', reason: '' });
    catalog.setFlag({ imageId: ids[0]!, flagged: true, user: 'ana', reason: 'check' });
    const quality = catalog.image(ids[0]!, 'quality');
    expect(quality.labels).toEqual(['good']);
    expect(quality.history.map((h) => [h.kind, h.task])).toEqual([
      ['flag', null],
      ['note', null],
      ['label', 'quality'],
    ]);
    const label = catalog.image(ids[0]!, 'label');
    expect(label.labels).toEqual(['a']);
    expect(label.history.filter((h) => h.kind === 'label').map((h) => h.task)).toEqual(['label']);
  });
});
