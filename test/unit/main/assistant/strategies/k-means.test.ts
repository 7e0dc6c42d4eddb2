import { describe, expect, it } from 'vitest';
import { bestPerCluster, kMeans } from '../../../../../main/assistant/strategies/k-means';

// Two obvious groups in 2-d: around (0,0) and around (10,10).
const x = Float32Array.from([0, 0, 1, 0, 0, 1, 10, 10, 11, 10, 10, 11]);
const rows = [0, 1, 2, 3, 4, 5];

describe('k-means', () => {
  it('finds the two groups and their centroids (1/3, 1/3) and (31/3, 31/3)', () => {
    const c = kMeans(x, 2, rows, 2, { seed: 3 });
    const a = Array.from(c.assignment);
    expect(new Set(a.slice(0, 3)).size).toBe(1);
    expect(new Set(a.slice(3)).size).toBe(1);
    expect(a[0]).not.toBe(a[3]);
    const low = a[0]!;
    expect(c.centroids[low * 2]).toBeCloseTo(1 / 3, 6);
    expect(c.centroids[(1 - low) * 2]).toBeCloseTo(31 / 3, 6);
  });
  it('best per cluster takes the highest score of each group, highest first', () => {
    const c = kMeans(x, 2, rows, 2, { seed: 3 });
    const score = [0.1, 0.9, 0.2, 0.5, 0.4, 0.3];
    expect(bestPerCluster(x, 2, rows, c, (r) => score[r]!)).toEqual([1, 3]);
  });
  it('k above the row count is capped', () => {
    expect(kMeans(x, 2, [0, 3], 5).k).toBe(2);
  });
});
