import { describe, expect, it } from 'vitest';
import type { RunPrediction } from '../../../../shared/contract/run';
import {
  bootstrapIntervals,
  quantile,
  runIntervals,
  runMetricIntervals,
} from '../../../../main/runs/metric-intervals';

/** n predictions of two balanced classes with the first `wrong` of them wrong. */
const part = (n: number, wrong: number) => {
  const truth = Array.from({ length: n }, (_, i) => i % 2);
  return { truth, predicted: truth.map((t, i) => (i < wrong ? 1 - t : t)) };
};

describe('bootstrap intervals', () => {
  it('quantile interpolates as numpy.quantile (linear)', () => {
    // numpy.quantile([1, 2, 3, 4], [0.025, 0.5, 0.975]) = [1.075, 2.5, 3.925]
    const q = [0.025, 0.5, 0.975].map((x) => quantile([1, 2, 3, 4], x));
    [1.075, 2.5, 3.925].forEach((v, k) => expect(q[k]).toBeCloseTo(v, 12));
  });

  it('accuracy 18/20: the binomial quantiles [0.75, 1.00] (golden values)', () => {
    // Resampled accuracy is Binomial(20, 0.9)/20. Its CDF (exact sums of C(20,k)·0.9^k·0.1^(20-k)):
    // P(X≤14) = 0.0113, P(X≤15) = 0.0432, P(X≤19) = 0.8784 → 2.5% quantile 15/20, 97.5% 20/20.
    const { truth, predicted } = part(20, 2);
    const r = bootstrapIntervals(truth, predicted, 2, { resamples: 20000, seed: 1 });
    expect(r.n).toBe(20);
    expect(r.accuracy).toEqual({ value: 0.9, lo: 0.75, hi: 1 });
    // The case of issue 16: 100.0 against 90.0 on 20 images. The perfect method's interval is
    // [1, 1]: it contains the other's upper bound, so neither is "best".
    const perfect = bootstrapIntervals(truth, truth, 2, { resamples: 2000 });
    expect(perfect.accuracy).toEqual({ value: 1, lo: 1, hi: 1 });
    expect(perfect.macroF1).toEqual({ value: 1, lo: 1, hi: 1 });
  });

  it('is seeded (same seed, same numbers), narrows with n, and brackets the point estimate', () => {
    const small = part(20, 4);
    const a = bootstrapIntervals(small.truth, small.predicted, 2, { seed: 7 });
    expect(bootstrapIntervals(small.truth, small.predicted, 2, { seed: 7 })).toEqual(a);
    // Pinned with seed 7, 2000 resamples (first recorded by this test, kept to catch drift).
    expect(a.accuracy.value).toBe(0.8);
    expect([a.accuracy.lo, a.accuracy.hi]).toEqual([0.6, 0.95]);
    const large = part(400, 80);
    const b = bootstrapIntervals(large.truth, large.predicted, 2, { seed: 7 });
    expect(b.accuracy.value).toBe(0.8);
    expect(b.accuracy.hi - b.accuracy.lo).toBeLessThan((a.accuracy.hi - a.accuracy.lo) / 3);
    for (const m of [a, b])
      for (const k of ['accuracy', 'balancedAccuracy', 'macroF1'] as const) {
        expect(m[k].lo).toBeLessThanOrEqual(m[k].value);
        expect(m[k].hi).toBeGreaterThanOrEqual(m[k].value);
      }
  });

  it('runs per method on the chosen part from stored predictions; run:intervals refuses unfinished runs', () => {
    const rows: RunPrediction[] = [];
    for (let i = 0; i < 10; i++)
      for (const [method, split] of [
        ['stage1_image', 'test'],
        ['proposed', 'test'],
        ['proposed', 'validation'],
      ] as const) {
        const actual = i % 2 ? 'b' : 'a';
        const predicted = method === 'proposed' || i > 1 ? actual : actual === 'a' ? 'b' : 'a';
        rows.push({
          imageId: i + 1,
          file: `${i}.png`,
          method,
          split,
          probs: [0.5, 0.5],
          predicted,
          actual,
          correct: predicted === actual,
          confidence: 0.5,
        });
      }
    const out = runMetricIntervals(rows, ['a', 'b'], 'test', { resamples: 500 });
    expect(Object.keys(out).sort()).toEqual(['proposed', 'stage1_image']);
    expect([out.stage1_image!.n, out.stage1_image!.accuracy.value]).toEqual([10, 0.8]);
    expect(out.proposed!.accuracy).toEqual({ value: 1, lo: 1, hi: 1 });

    const source = (summary: { classes: string[] } | null) => ({
      get: () => ({ summary, status: summary ? 'succeeded' : 'running' }),
      predictions: (q: { split: string; offset: number }) =>
        q.offset === 0 ? rows.filter((r) => r.split === q.split) : [],
    });
    const answer = runIntervals(source({ classes: ['a', 'b'] }), {
      runId: 3,
      split: 'validation',
      resamples: 200,
      seed: 1,
    });
    expect(answer).toMatchObject({ runId: 3, split: 'validation', level: 0.95 });
    expect(Object.keys(answer.methods)).toEqual(['proposed']);
    expect(() => runIntervals(source(null), { runId: 3, split: 'test', resamples: 200, seed: 1 })).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
  });
});
