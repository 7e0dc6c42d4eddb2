import { describe, expect, it } from 'vitest';
import { balancedWeights, predictSoftmax, trainSoftmax } from '../../../../main/assistant/softmax-head';

// Two separable 2-d blobs: class 0 near (-1, 0), class 1 near (1, 0).
const x = Float32Array.from([-1, 0.1, -1.2, -0.1, -0.8, 0, 1, 0.1, 1.1, -0.2, 0.9, 0]);
const rows = [0, 1, 2, 3, 4, 5];
const y = [0, 0, 0, 1, 1, 1];

describe('softmax head', () => {
  it('zero weights predict uniform probabilities', () => {
    const head = trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 0 });
    expect(Array.from(predictSoftmax(head, x, [0]))).toEqual([0.5, 0.5]);
  });
  it('learns separable blobs: every row right with p > 0.9, rows sum to 1', () => {
    const head = trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 100 });
    const p = predictSoftmax(head, x, rows);
    rows.forEach((_r, i) => {
      expect(p[i * 2 + y[i]!]!).toBeGreaterThan(0.9);
      expect(p[i * 2]! + p[i * 2 + 1]!).toBeCloseTo(1, 6);
    });
    // The class axis is x₀: its weight difference dominates x₁'s.
    expect(Math.abs(head.w[2]! - head.w[0]!)).toBeGreaterThan(5 * Math.abs(head.w[3]! - head.w[1]!));
  });
  it('is deterministic and a warm start continues (fewer iterations reach the same fit)', () => {
    const a = trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 30 });
    const b = trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 30 });
    expect(Array.from(a.w)).toEqual(Array.from(b.w));
    const warm = trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 5, warm: a });
    const cold = trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 5 });
    const loss = (h: typeof a) => {
      const p = predictSoftmax(h, x, rows);
      return rows.reduce((s, _r, i) => s - Math.log(p[i * 2 + y[i]!]!), 0);
    };
    expect(loss(warm)).toBeLessThan(loss(cold));
  });
  it('balanced weights: 3 of class 0 and 1 of class 1 → 4/(2·3), 4/(2·1); absent class 0', () => {
    expect(Array.from(balancedWeights([0, 0, 0, 1], 3)).map((v) => +v.toFixed(6))).toEqual([0.666667, 2, 0]);
  });
  it('mini-batches (batchRows) are seeded: same seed same head, another seed another; still learns', () => {
    const o = { classes: 2, iterations: 60, batchRows: 3 };
    const a = trainSoftmax(x, 2, rows, y, { ...o, seed: 1 });
    expect(Array.from(trainSoftmax(x, 2, rows, y, { ...o, seed: 1 }).w)).toEqual(Array.from(a.w));
    expect(Array.from(trainSoftmax(x, 2, rows, y, { ...o, seed: 2 }).w)).not.toEqual(Array.from(a.w));
    const p = predictSoftmax(a, x, rows);
    rows.forEach((_r, i) => expect(p[i * 2 + y[i]!]!).toBeGreaterThan(0.5));
    // batchRows ≥ the label count is the full batch, bit for bit.
    const full = trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 60 });
    expect(Array.from(trainSoftmax(x, 2, rows, y, { classes: 2, iterations: 60, batchRows: 99 }).w)).toEqual(
      Array.from(full.w),
    );
  });
});
