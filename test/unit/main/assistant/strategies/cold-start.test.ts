import { describe, expect, it } from 'vitest';
import { coldStartOrder } from '../../../../../main/assistant/strategies/cold-start';

// Points on a line (dim 1): a sweep of three near-identical frames (0, 0.1, 0.2), one at 5, one
// at 10, and an outlier at 100 that farthest-first would pick first.
const x = Float32Array.from([0, 0.1, 0.2, 5, 10, 100]);

describe('cold start', () => {
  it('takes the most typical frame of each mode: one of the sweep (its centre 0.1), 5 and 10', () => {
    // k-means with k=4 over the six points: {0,.1,.2} {5} {10} {100}; each cluster's medoid.
    const picks = coldStartOrder(x, 1, [0, 1, 2, 3, 4, 5], 4, 1);
    expect([...picks].sort((a, b) => a - b)).toEqual([1, 3, 4, 5]);
  });
  it('never takes two frames of the sweep while other modes are unseen', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const picks = coldStartOrder(x, 1, [0, 1, 2, 3, 4, 5], 3, seed);
      expect(picks.filter((p) => p <= 2).length).toBeLessThanOrEqual(1);
    }
  });
  it('is deterministic per seed; nothing to pick gives nothing', () => {
    expect(coldStartOrder(x, 1, [0, 1, 2, 3, 4, 5], 3, 7)).toEqual(
      coldStartOrder(x, 1, [0, 1, 2, 3, 4, 5], 3, 7),
    );
    expect(coldStartOrder(x, 1, [], 3)).toEqual([]);
  });
});
