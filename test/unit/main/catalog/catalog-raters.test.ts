import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogService } from '../../../../main/catalog/catalog-service';
import { AppError } from '../../../../shared/contract/result';
import { freshCatalog, importOptions, makeImage, tempDir, writeFile } from './support/catalog-fixtures';

/**
 * 6 images (a/1-3, b/4-6 in the folder task `label`) and a second single-label task `plane`
 * (classes x, y, z) asking for 3 raters per image, so every image is undecided there.
 */
const setup = async () => {
  const root = tempDir('sonofuse-raters-');
  for (let i = 1; i <= 6; i++)
    writeFile(root, `${i <= 3 ? 'a' : 'b'}/${i}.png`, await makeImage(6, 6, 700 + i));
  const { catalog } = freshCatalog();
  const report = await catalog.import(importOptions({ source: root, dataset: 'r', thumbnails: false }));
  const ids = catalog
    .images({ task: 'label', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
    .items.map((i) => i.id);
  const datasetId = report.datasetId;
  catalog.defineTask({
    datasetId,
    name: 'plane',
    kind: 'single',
    classes: ['x', 'y', 'z'].map((name) => ({ name, parent: null })),
  });
  catalog.setRole('reviewer');
  catalog.setRaters({ datasetId, task: 'plane', raters: 3 });
  catalog.setRole('labeler');
  return { catalog, datasetId, ids };
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
};

describe('multiple raters per image', () => {
  let catalog: CatalogService;
  let datasetId: number;
  let ids: number[];
  const rate = (imageId: number, user: string, label: string) =>
    catalog.setLabels({ imageId, task: 'plane', labels: [label], user, reason: '' });
  const page = () =>
    new Map(
      catalog
        .images({ task: 'plane', sort: { by: 'file', dir: 'asc' }, offset: 0, limit: 10 })
        .items.map((i) => [i.id, i.labels]),
    );
  beforeEach(async () => {
    ({ catalog, datasetId, ids } = await setup());
  });

  it('is a task setting: single-label tasks only, 1 to 20', () => {
    expect(catalog.tasks(datasetId).map((t) => [t.name, t.raters])).toEqual([
      ['label', 1],
      ['plane', 3],
    ]);
    catalog.defineTask({ datasetId, name: 'multi', kind: 'multi', classes: [{ name: 'm', parent: null }] });
    // Only a reviewer sets it: a labeler lowering it to 1 would decide images unadjudicated.
    expect(codeOf(() => catalog.setRaters({ datasetId, task: 'plane', raters: 1 }))).toBe('FORBIDDEN');
    catalog.setRole('reviewer');
    expect(codeOf(() => catalog.setRaters({ datasetId, task: 'multi', raters: 2 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => catalog.setRaters({ datasetId, task: 'plane', raters: 21 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => catalog.setRaters({ datasetId, task: 'nope', raters: 2 }))).toBe('NOT_FOUND');
  });

  it("keeps each rater's label apart: a labeler sees only their own in the grid and the detail", () => {
    catalog.setUserName('ann');
    expect(rate(ids[0]!, 'ann', 'x')).toMatchObject({ labels: ['x'], batchId: null });
    rate(ids[0]!, 'bo', 'y');
    rate(ids[1]!, 'bo', 'z');
    // ann: her own label on image 1, nothing on image 2 (only bo rated it).
    expect(page().get(ids[0]!)).toEqual(['x']);
    expect(page().get(ids[1]!)).toEqual([]);
    const detail = catalog.image(ids[0]!, 'plane');
    expect(detail.labels).toEqual(['x']);
    expect(detail.ratings!.map((r) => [r.rater, r.label])).toEqual([['ann', 'x']]);
    expect(detail).toMatchObject({ decided: false, raters: 3 });
    // No rater label is in the shared history (every workstation reads it).
    expect(catalog.history(ids[0]!, 50).filter((h) => h.task === 'plane')).toEqual([]);
    catalog.setUserName('bo');
    expect(page().get(ids[0]!)).toEqual(['y']);
    expect(page().get(ids[1]!)).toEqual(['z']);
    // A reviewer sees every rater's label.
    catalog.setRole('reviewer');
    expect(catalog.image(ids[0]!, 'plane').ratings!.map((r) => [r.rater, r.label])).toEqual([
      ['ann', 'x'],
      ['bo', 'y'],
    ]);
    // The single-rater task is untouched.
    expect(catalog.image(ids[0]!, 'label')).not.toHaveProperty('ratings');
  });

  it('queues disagreements and incomplete images for reviewers; labelers are refused (FORBIDDEN)', () => {
    rate(ids[0]!, 'ann', 'x');
    rate(ids[0]!, 'bo', 'y'); // disagreement
    rate(ids[1]!, 'ann', 'z');
    rate(ids[1]!, 'bo', 'z'); // agree, 2 of 3
    rate(ids[2]!, 'ann', 'x');
    rate(ids[2]!, 'bo', 'x');
    rate(ids[2]!, 'cy', 'x'); // complete and unanimous: in neither list
    rate(ids[3]!, 'cy', 'y'); // 1 of 3
    expect(catalog.whoAmI()).toMatchObject({ role: 'labeler', roleSource: 'setting' });
    expect(codeOf(() => catalog.adjudicationQueue({ datasetId, task: 'plane', limit: 100 }))).toBe(
      'FORBIDDEN',
    );
    catalog.setRole('reviewer');
    const q = catalog.adjudicationQueue({ datasetId, task: 'plane', limit: 100 });
    expect(q.disagreements.map((d) => [d.imageId, d.ratings.map((r) => `${r.rater}=${r.label}`)])).toEqual([
      [ids[0], ['ann=x', 'bo=y']],
    ]);
    expect(q.incomplete.map((d) => d.imageId)).toEqual([ids[1], ids[3]]);
    expect(q).toMatchObject({ raters: 3, classes: ['x', 'y', 'z'], unrated: 2, decided: 0 });
    expect(q.disagreementTotal).toBe(1);
    expect(q.incompleteTotal).toBe(2);
  });

  it('lets only a reviewer adjudicate; the decision is the label, attributed in the history', () => {
    rate(ids[0]!, 'ann', 'x');
    rate(ids[0]!, 'bo', 'y');
    const decide = () =>
      catalog.adjudicate({
        imageId: ids[0]!,
        task: 'plane',
        label: 'y',
        user: 'rev',
        reason: 'septum visible',
      });
    expect(codeOf(decide)).toBe('FORBIDDEN');
    catalog.setRole('reviewer');
    expect(
      codeOf(() =>
        catalog.adjudicate({ imageId: ids[0]!, task: 'plane', label: 'q', user: 'rev', reason: '' }),
      ),
    ).toBe('INVALID_INPUT');
    expect(decide()).toMatchObject({ labels: ['y'] });
    const [entry] = catalog.history(ids[0]!, 10).filter((h) => h.task === 'plane');
    expect(entry).toMatchObject({
      kind: 'label',
      from: [],
      to: ['y'],
      user: 'rev',
      adjudication: true,
      reason: 'adjudication of 2 rater label(s) (ann: x, bo: y); septum visible',
    });
    // Decided: every viewer sees the decision; raters can no longer change it.
    catalog.setRole('labeler');
    catalog.setUserName('ann');
    expect(page().get(ids[0]!)).toEqual(['y']);
    expect(catalog.image(ids[0]!, 'plane')).toMatchObject({
      labels: ['y'],
      decided: true,
      labelVersion: 1,
      labelledBy: 'rev',
    });
    expect(codeOf(() => rate(ids[0]!, 'ann', 'z'))).toBe('CONFLICT');
    // Nor can a bulk relabel decide images over the raters' heads.
    expect(
      codeOf(() =>
        catalog.bulkRelabel({
          datasetId,
          task: 'plane',
          imageIds: [ids[1]!],
          to: ['x'],
          user: 'ann',
          reason: '',
        }),
      ),
    ).toBe('INVALID_INPUT');
    catalog.setRole('reviewer');
    expect(catalog.adjudicationQueue({ datasetId, task: 'plane', limit: 100 })).toMatchObject({
      disagreementTotal: 0,
      decided: 1,
    });
  });

  it("reports agreement: Cohen's kappa for two people, Fleiss' for more", () => {
    // ann: x x y y ; bo: x y y y -> p_o 3/4; ann (1/2, 1/2), bo (1/4, 3/4) -> p_e 1/8 + 3/8 = 1/2;
    // kappa = (0.75 - 0.5) / 0.5 = 0.5.
    const ann = ['x', 'x', 'y', 'y'];
    const bo = ['x', 'y', 'y', 'y'];
    ann.forEach((l, i) => rate(ids[i]!, 'ann', l));
    bo.forEach((l, i) => rate(ids[i]!, 'bo', l));
    rate(ids[4]!, 'ann', 'z'); // one rating: incomplete
    const two = catalog.agreement(datasetId, 'plane');
    expect(two).toMatchObject({
      method: 'cohen',
      items: 4,
      incomplete: 1,
      unanimous: 3,
      people: ['ann', 'bo'],
    });
    expect(two.kappa).toBeCloseTo(0.5, 12);
    expect(two.perClass.map((c) => c.label)).toEqual(['x', 'y', 'z']);
    expect(two.perClass[2]!.kappa).toBeNull(); // nobody both-rated z
    rate(ids[0]!, 'cy', 'x');
    const three = catalog.agreement(datasetId, 'plane');
    expect(three.method).toBe('fleiss');
    expect(three.people).toEqual(['ann', 'bo', 'cy']);
  });
});
