import { describe, expect, it } from 'vitest';
import { kCenterGreedy, squaredDistance } from '../../../../../main/assistant/strategies/k-center';

// Points on a line (dim 1): 0, 0.1, 0.2 (a tight cluster: one sweep), 5, 10.
const x = Float32Array.from([0, 0.1, 0.2, 5, 10]);

describe('k-center greedy', () => {
  it('squared distance', () => {
    expect(squaredDistance(Float32Array.from([0, 0, 3, 4]), 2, 0, 1)).toBe(25);
  });
  it('from a labeled row at 0, picks the farthest (10) then the middle (5), not the near duplicates', () => {
    expect(kCenterGreedy(x, 1, [1, 2, 3, 4], [0], 2)).toEqual([4, 3]);
  });
  it('without labels starts at the point closest to the mean (3.06 → row 3 at 5), then 0, then 10', () => {
    expect(kCenterGreedy(x, 1, [0, 1, 2, 3, 4], [], 3)).toEqual([3, 0, 4]);
  });
  it('k larger than the pool returns the whole pool once', () => {
    expect(kCenterGreedy(x, 1, [1, 4], [0], 9).sort()).toEqual([1, 4]);
  });
});
