import { describe, expect, it } from 'vitest';
import { buildRunManifest } from '../../../../main/runs/build-run-manifest';
import { fromSnapshot, snapshotChanges, toSnapshot } from '../../../../main/runs/run-snapshot';
import { labelRuleNotice } from '../../../../main/runs/run-summary';
import { RunConfig } from '../../../../shared/run/run-config';
import {
  freshCatalog,
  importOptions,
  makeImage,
  tempDir,
  writeFile,
} from '../catalog/support/catalog-fixtures';

/**
 * 20 images; task `plane` (x, y) asks for 3 raters. Images 0-15: three raters, 2-1 majorities
 * (even images x, odd y); image 16: two raters tied; image 17: majority x but adjudicated y;
 * images 18-19: nobody rated them.
 */
const setup = async () => {
  const root = tempDir('sonofuse-rule-');
  for (let i = 0; i < 20; i++)
    writeFile(root, `all/${String(i).padStart(2, '0')}.png`, await makeImage(6, 6, 900 + i));
  const { catalog } = freshCatalog();
  const { datasetId } = await catalog.import(
    importOptions({ source: root, dataset: 'd', thumbnails: false }),
  );
  const ids = catalog
    .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 50 })
    .items.map((i) => i.id);
  catalog.defineTask({
    datasetId,
    name: 'plane',
    kind: 'single',
    classes: [
      { name: 'x', parent: null },
      { name: 'y', parent: null },
    ],
  });
  catalog.setRole('reviewer');
  catalog.setRaters({ datasetId, task: 'plane', raters: 3 });
  const rate = (i: number, user: string, label: string) =>
    catalog.setLabels({ imageId: ids[i]!, task: 'plane', labels: [label], user, reason: '' });
  const majority = new Map<number, string>();
  for (let i = 0; i < 16; i++) {
    const [win, lose] = i % 2 === 0 ? ['x', 'y'] : ['y', 'x'];
    rate(i, 'ann', win);
    rate(i, 'bo', i % 3 === 0 ? lose : win);
    rate(i, 'cy', i % 3 === 0 ? win : lose);
    majority.set(ids[i]!, win);
  }
  rate(16, 'ann', 'x');
  rate(16, 'bo', 'y');
  rate(17, 'ann', 'x');
  rate(17, 'bo', 'x');
  rate(17, 'cy', 'y');
  catalog.setRole('reviewer');
  catalog.adjudicate({ imageId: ids[17]!, task: 'plane', label: 'y', user: 'rev', reason: '' });
  return { catalog, ids, majority };
};

describe('runs on a multi-rater task', () => {
  it('train on the adjudicated label, else the majority, leave ties and unrated images out, and say so', async () => {
    const { catalog, ids, majority } = await setup();
    const prepared = buildRunManifest(catalog, RunConfig.parse({ dataset: 'd', task: 'plane' }));
    const { classes, items } = prepared.manifest;
    expect(classes).toEqual(['x', 'y']);
    const label = new Map(items.map((i) => [i.imageId, classes[i.label]]));
    // The adjudication wins over the raters' 2-1 majority for x.
    expect(label.get(ids[17]!)).toBe('y');
    for (const [id, win] of majority) expect(label.get(id)).toBe(win);
    // The tie and the two unrated images are not in the run.
    expect([16, 18, 19].map((i) => label.has(ids[i]!))).toEqual([false, false, false]);
    expect(items).toHaveLength(17);
    expect(prepared.labelRule).toEqual({
      rule: 'adjudicated-else-majority',
      raters: 3,
      adjudicated: 1,
      majority: 16,
      ties: 1,
      unrated: 2,
    });
    expect(prepared.unlabeled).toBe(3);
    expect(labelRuleNotice(prepared.labelRule!)).toBe(
      "labels from 3 raters per image: the adjudicated label, else the raters' majority — 1 adjudicated, 16 by majority, 1 tie(s) and 2 unrated image(s) left out",
    );
    // Stored with the snapshot, and a run is not stale just because its labels are majorities.
    const snapshot = toSnapshot(prepared, '2026-12-04T00:00:00Z');
    expect(fromSnapshot(snapshot).labelRule).toEqual(prepared.labelRule);
    expect(snapshotChanges(catalog, snapshot).total).toBe(0);
    // A rater changing their mind flips a 2-1 majority: the snapshot sees a relabel.
    const flipped = [...majority.keys()][1]!;
    const voter = catalog.image(flipped, 'plane');
    expect(voter.decided).toBe(false);
    const loser = majority.get(flipped) === 'x' ? 'y' : 'x';
    catalog.setLabels({ imageId: flipped, task: 'plane', labels: [loser], user: 'ann', reason: '' });
    expect(snapshotChanges(catalog, snapshot).relabelled).toBe(1);
  });

  it('leaves single-rater tasks as they were (no rule stated)', async () => {
    const { catalog } = await setup();
    catalog.setRaters({ datasetId: catalog.datasets()[0]!.id, task: 'plane', raters: 1 });
    // With one rater asked, only decided labels count: image 17 alone is labelled -> one class.
    expect(() => buildRunManifest(catalog, RunConfig.parse({ dataset: 'd', task: 'plane' }))).toThrow(
      /1 labelled class/,
    );
  });
});
