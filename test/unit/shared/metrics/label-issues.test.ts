import { describe, expect, it } from 'vitest';
import { findLabelIssues, perClassThresholds } from '../../../../shared/metrics/label-issues';

// Six images, two classes. Rows 0-2 labelled 0, rows 3-5 labelled 1.
// Row 2 is labelled 0 but the model is sure it is 1; row 5 is labelled 1 but mildly looks like 0.
const given = [0, 0, 0, 1, 1, 1];
const probs = [
  [0.9, 0.1],
  [0.8, 0.2],
  [0.1, 0.9],
  [0.2, 0.8],
  [0.3, 0.7],
  [0.65, 0.35],
];

describe('confident-learning label issues', () => {
  it('computes per-class thresholds as the mean self-confidence', () => {
    // t0 = (0.9 + 0.8 + 0.1) / 3 = 0.6; t1 = (0.8 + 0.7 + 0.35) / 3 = 0.61666…
    const t = perClassThresholds(given, probs, 2);
    expect(t[0]).toBeCloseTo(0.6, 12);
    expect(t[1]).toBeCloseTo(1.85 / 3, 12);
    expect(perClassThresholds([0], [[1, 0, 0]], 3)[2]).toBe(1);
  });

  it('flags exactly the implausible labels, most suspicious first, with the suggested class', () => {
    // Row 2: p1 = 0.9 ≥ t1 → suggested 1 ≠ 0, margin 0.1 − 0.9 = −0.8.
    // Row 5: p0 = 0.65 ≥ t0 = 0.6 → suggested 0 ≠ 1, margin 0.35 − 0.65 = −0.3.
    // Row 4: p1 = 0.7 ≥ t1 and p0 = 0.3 < t0 → agrees with its label, not an issue.
    const issues = findLabelIssues(given, probs, 2);
    expect(issues.map((i) => [i.index, i.given, i.suggested])).toEqual([
      [2, 0, 1],
      [5, 1, 0],
    ]);
    expect(issues[0]!.normalizedMargin).toBeCloseTo(-0.8, 12);
    expect(issues[1]!.selfConfidence).toBeCloseTo(0.35, 12);
    expect(issues[1]!.normalizedMargin).toBeCloseTo(-0.3, 12);
  });

  it('finds nothing when predictions agree with every label, and checks lengths', () => {
    expect(
      findLabelIssues(
        [0, 1],
        [
          [0.9, 0.1],
          [0.2, 0.8],
        ],
        2,
      ),
    ).toEqual([]);
    expect(() => findLabelIssues([0], [], 2)).toThrow('1 labels but 0');
  });
});
