import { describe, expect, it } from 'vitest';
import {
  densityScores,
  diverseUncertaintyOrder,
} from '../../../../../main/assistant/strategies/diverse-uncertainty';
import { uncertaintyOrder } from '../../../../../main/assistant/strategies/uncertainty';

// Rows 0-2: three near-identical frames (x≈0), all maximally uncertain; row 3 at x=5 slightly less
// uncertain; row 4 at x=9 confident. Labeled: row 5 at x=20.
const x = Float32Array.from([0, 0.01, 0.02, 5, 9, 20]);
const probs = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.6, 0.4, 0.99, 0.01, 1, 0];

describe('diverse uncertainty', () => {
  it('plain uncertainty queues the three duplicates together', () => {
    expect(uncertaintyOrder(probs, 2, [0, 1, 2, 3, 4], 2)).toEqual([0, 1]);
  });
  it('mixing diversity takes one duplicate and the next uncertain region', () => {
    // pool = 4 most uncertain = rows 0,1,2,3. k-means (k=2) finds {0,1,2} and {3}; the most uncertain
    // of the first is a three-way tie (margin 1), broken by closeness to its centroid 0.01: row 1.
    expect(diverseUncertaintyOrder(x, 1, probs, 2, [0, 1, 2, 3, 4], [5], 2, { poolFactor: 2 })).toEqual([
      1, 3,
    ]);
  });
  it('k-center variant: from the labeled row at 20, row 0 (distance² 400), then row 3 (25 vs 0.0001)', () => {
    const o = { poolFactor: 2, diversity: 'kcenter' as const };
    expect(diverseUncertaintyOrder(x, 1, probs, 2, [0, 1, 2, 3, 4], [5], 2, o)).toEqual([0, 3]);
  });
  it('density weighting prefers a typical uncertain image to an uncertain outlier', () => {
    // Rows 0-2 at 0, 0.1, 0.2 (margin 0.8); row 3 at 10, a tie (margin 1). Mean squared distances
    // to all four: 25.0125, 24.5075, 24.0225, 73.5125, so density = 1/(1+m): 0.03844, 0.03920,
    // 0.03996, 0.01342; × margin: 0.0308, 0.0314, 0.0320, 0.0134 → row 2 (row 3 without density).
    const xd = Float32Array.from([0, 0.1, 0.2, 10]);
    const pd = [0.6, 0.4, 0.6, 0.4, 0.6, 0.4, 0.5, 0.5];
    const d = densityScores(xd, 1, [0, 1, 2, 3]);
    expect(d.get(0)).toBeCloseTo(1 / 26.0125, 10);
    expect(d.get(3)).toBeCloseTo(1 / 74.5125, 10);
    expect(diverseUncertaintyOrder(xd, 1, pd, 2, [0, 1, 2, 3], [], 1, { poolFactor: 1 })).toEqual([3]);
    expect(diverseUncertaintyOrder(xd, 1, pd, 2, [0, 1, 2, 3], [], 1, { poolFactor: 1, density: 1 })).toEqual(
      [2],
    );
  });
});
