import { describe, expect, it } from 'vitest';
import type { ImageDetail, ImagePage, RaterLabel } from '../../../../shared/contract/catalog';
import {
  adjudicationReason,
  buildAdjudicationQueue,
  chooseTrainingLabels,
  detailForViewer,
  groupRatings,
  pageForViewer,
} from '../../../../main/catalog/rater-rules';

const r = (rater: string, label: string): RaterLabel => ({ rater, label, at: 't' });

describe('multi-rater rules', () => {
  it('groups rating rows by image in row order', () => {
    const g = groupRatings([
      { image_id: 2, rater: 'a', label: 'x', at: 't' },
      { image_id: 1, rater: 'a', label: 'y', at: 't' },
      { image_id: 2, rater: 'b', label: 'z', at: 't' },
    ]);
    expect([...g]).toEqual([
      [2, [r('a', 'x'), r('b', 'z')]],
      [1, [r('a', 'y')]],
    ]);
  });

  it('trains on the decided label, else a strict majority; ties and unrated are left out', () => {
    const rated = new Map([
      [1, [r('a', 'x'), r('b', 'y')]], // decided below despite the tie
      [2, [r('a', 'x'), r('b', 'x'), r('c', 'y')]], // 2-1
      [3, [r('a', 'x'), r('b', 'y')]], // 1-1 tie
      [4, [r('a', 'x'), r('b', 'y'), r('c', 'z')]], // 1-1-1 tie
      [5, [r('a', 'z')]], // a single rating is its own majority
    ]);
    const t = chooseTrainingLabels([1, 2, 3, 4, 5, 6], new Map([[1, 'y']]), rated);
    expect([...t.labels]).toEqual([
      [1, { label: 'y', source: 'decided' }],
      [2, { label: 'x', source: 'majority' }],
      [5, { label: 'z', source: 'majority' }],
    ]);
    expect(t.ties).toEqual([3, 4]);
    expect(t.unrated).toEqual([6]);
  });

  it('queues disagreements and incomplete images apart, capped by limit with full totals', () => {
    const images = [1, 2, 3, 4, 5, 6].map((id) => ({ id, file: `${id}.png` }));
    const rated = new Map([
      [1, [r('a', 'x'), r('b', 'y')]],
      [2, [r('a', 'x')]],
      [3, [r('a', 'x'), r('b', 'x'), r('c', 'x')]],
      [4, [r('a', 'y'), r('b', 'x')]],
      [5, [r('a', 'y'), r('b', 'x')]],
    ]);
    const q = buildAdjudicationQueue({
      images,
      decided: new Set([5]),
      rated,
      raters: 3,
      classes: ['x', 'y'],
      limit: 1,
    });
    expect(q.disagreements.map((d) => d.imageId)).toEqual([1]);
    expect(q).toMatchObject({ disagreementTotal: 2, incompleteTotal: 1, unrated: 1, decided: 1 });
    expect(q.incomplete.map((d) => d.imageId)).toEqual([2]);
  });

  it('shows a labeler only their own label and rating; a reviewer every rating', () => {
    const detail = { id: 1, datasetId: 1, labels: [] } as unknown as ImageDetail;
    const all = [r('ann', 'x'), r('bo', 'y')];
    expect(detailForViewer(detail, 2, all, 'bo', 'labeler')).toMatchObject({
      labels: ['y'],
      ratings: [r('bo', 'y')],
      decided: false,
      raters: 2,
    });
    expect(detailForViewer(detail, 2, all, 'rev', 'reviewer')).toMatchObject({ labels: [], ratings: all });
    const decided = { ...detail, labels: ['x'] } as ImageDetail;
    expect(detailForViewer(decided, 2, all, 'bo', 'labeler')).toMatchObject({ labels: ['x'], decided: true });
    const page = {
      total: 2,
      offset: 0,
      items: [
        { id: 1, labels: [] },
        { id: 2, labels: ['x'] },
      ],
    } as unknown as ImagePage;
    expect(
      pageForViewer(
        page,
        new Map([
          [1, ['y']],
          [2, ['y']],
        ]),
      ).items.map((i) => i.labels),
    ).toEqual([['y'], ['x']]);
  });

  it('writes every rater label into the adjudication reason', () => {
    expect(adjudicationReason([r('ann', 'x'), r('bo', 'y')], '  clear view ')).toBe(
      'adjudication of 2 rater label(s) (ann: x, bo: y); clear view',
    );
    expect(adjudicationReason([], '')).toBe('adjudication of 0 rater label(s)');
  });
});
