import { describe, expect, it } from 'vitest';
import {
  curveArea,
  labelsToReach,
  runSimulation,
  simulateStrategy,
  type SimData,
} from '../../../../main/assistant/assist-sim';
import { createRandom } from '../../../../shared/random/seeded-random';

/** Three Gaussian classes in 4-d with one dense near-duplicate clump of class 0 (a long sweep). */
const synthetic = (): SimData => {
  const r = createRandom(5);
  const rows: number[][] = [];
  const y: number[] = [];
  const centers = [
    [2, 0, 0, 0],
    [0, 2, 0, 0],
    [0, 0, 2, 0],
  ];
  for (let i = 0; i < 150; i++) {
    const c = i % 3;
    rows.push(centers[c]!.map((m) => m + r.normal()));
    y.push(c);
  }
  for (let i = 0; i < 60; i++) {
    rows.push([2 + 0.01 * r.normal(), 0, 0, 0.01 * r.normal()]);
    y.push(0);
  }
  const n = rows.length;
  const test = Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 === 0 && i < 150);
  const testSet = new Set(test);
  return {
    x: Float32Array.from(rows.flat()),
    dim: 4,
    classes: 3,
    y: Int32Array.from(y),
    pool: Array.from({ length: n }, (_, i) => i).filter((i) => !testSet.has(i)),
    test,
  };
};

describe('assist-sim', () => {
  it('curve area is the trapezoidal mean; labels to 95% is the first point over the bar', () => {
    expect(curveArea([10, 20, 30], [0.5, 0.7, 0.9])).toBeCloseTo(0.7, 12); // (0.6·10+0.8·10)/20
    expect(labelsToReach([10, 20, 30], [0.5, 0.86, 0.9], 0.9)).toBe(20); // 0.95·0.9 = 0.855
    expect(labelsToReach([10, 20], [0.5, 0.6], 0.9)).toBeNull();
  });
  it('simulates every strategy and seed to the whole pool, deterministic', () => {
    const data = synthetic();
    const o = {
      strategies: ['random', 'uncertainty', 'diverse-uncertainty'] as const,
      seeds: [1, 2],
      start: 6,
      batch: 20,
    };
    const a = runSimulation(data, o);
    const b = runSimulation(data, o);
    expect(a).toEqual(b);
    expect(a.curves).toHaveLength(6);
    for (const c of a.curves) {
      expect(c.labels[0]).toBe(6);
      expect(c.labels.at(-1)).toBe(data.pool.length);
      // The last round trains on every pool label too, warm-started from the previous round, so it
      // lands within a test image or two (30 test rows: 1/30 each) of the from-scratch reference.
      expect(Math.abs(c.accuracy.at(-1)! - a.allLabelsAccuracy)).toBeLessThanOrEqual(2 / 30 + 1e-9);
      expect(c.suggestionAccuracy).toBeGreaterThan(0.3);
    }
    expect(a.allLabelsAccuracy).toBeGreaterThan(0.8);
  });
  it('a random cold start labels what random order labels first; explore 1 makes every batch random', () => {
    const data = synthetic();
    const base = { seed: 3, start: 6, batch: 20 };
    const rnd = simulateStrategy(data, { ...base, strategy: 'random' });
    const cold = simulateStrategy(data, {
      ...base,
      strategy: 'diverse-uncertainty',
      active: { coldStart: 'random' },
    });
    const kmeansStart = simulateStrategy(data, { ...base, strategy: 'diverse-uncertainty' });
    // Same six first labels, same head: the same first accuracy (the k-means start differs).
    expect(cold.accuracy[0]).toBe(rnd.accuracy[0]);
    expect(kmeansStart.accuracy[0]).not.toBe(rnd.accuracy[0]);
    // With the whole batch explored the strategy no longer matters: identical curves.
    const all = { ...base, active: { explore: 1 } };
    const a = simulateStrategy(data, { ...all, strategy: 'uncertainty' });
    const b = simulateStrategy(data, { ...all, strategy: 'diverse-uncertainty' });
    expect(b.accuracy).toEqual(a.accuracy);
    expect(b.accuracy).not.toEqual(kmeansStart.accuracy);
  });
});
