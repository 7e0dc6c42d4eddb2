import { describe, expect, it } from 'vitest';
import {
  argmax,
  classificationMetrics,
  confusionMatrix,
  expectedCalibrationError,
  meanAndSpread,
} from '../../../../shared/metrics/classification-metrics';

const oneHotish = (cls: number, conf: number, k = 3): number[] =>
  Array.from({ length: k }, (_, i) => (i === cls ? conf : (1 - conf) / (k - 1)));

describe('classification metrics', () => {
  // 8 samples, 3 classes. truth:     0 0 0 0 1 1 2 2
  //                        predicted: 0 0 0 1 1 2 2 2
  const truth = [0, 0, 0, 0, 1, 1, 2, 2];
  const predicted = [0, 0, 0, 1, 1, 2, 2, 2];
  const probs = predicted.map((p) => oneHotish(p, 0.8));

  it('counts the confusion matrix as [true][predicted]', () => {
    expect(confusionMatrix(truth, predicted, 3)).toEqual([
      [3, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow('out of range');
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow('truth has 1');
  });

  it('matches hand-computed accuracy, balanced accuracy, per-class P/R/F1 and macro-F1', () => {
    const m = classificationMetrics(truth, probs, 3);
    // accuracy = 6/8. Recalls 3/4, 1/2, 2/2 → balanced = (0.75 + 0.5 + 1) / 3 = 0.75.
    expect(m.accuracy).toBe(0.75);
    expect(m.balancedAccuracy).toBeCloseTo(0.75, 12);
    // Precisions: class0 3/3, class1 1/2, class2 2/3.
    // F1: c0 2·1·0.75/1.75 = 0.857142857; c1 0.5; c2 2·(2/3)·1/(5/3) = 0.8.
    expect(m.perClass.map((p) => p.precision)).toEqual([1, 0.5, 2 / 3]);
    expect(m.perClass.map((p) => p.recall)).toEqual([0.75, 0.5, 1]);
    expect(m.perClass[0]!.f1).toBeCloseTo(0.857142857, 9);
    expect(m.perClass[2]!.f1).toBeCloseTo(0.8, 12);
    expect(m.macroF1).toBeCloseTo((0.857142857142857 + 0.5 + 0.8) / 3, 12);
    expect(m.perClass.map((p) => p.support)).toEqual([4, 2, 2]);
  });

  it('computes ECE: confidence 0.8 everywhere with 75 % accuracy gives |0.75 - 0.8| = 0.05', () => {
    expect(expectedCalibrationError(truth, probs)).toBeCloseTo(0.05, 12);
    // Two bins: four at conf 0.95 all right (gap 0.05), four at conf 0.55 half right (gap 0.05).
    const t = [0, 0, 0, 0, 1, 1, 1, 1];
    const p = [
      ...[0, 0, 0, 0].map(() => oneHotish(0, 0.95, 2)),
      ...[1, 1, 0, 0].map((c) => oneHotish(c, 0.55, 2)),
    ];
    expect(expectedCalibrationError(t, p, 10)).toBeCloseTo(0.05, 12);
    expect(expectedCalibrationError([], [])).toBe(0);
  });

  it('leaves classes without support out of balanced accuracy', () => {
    const m = classificationMetrics([0, 0, 1], [oneHotish(0, 0.9), oneHotish(1, 0.9), oneHotish(1, 0.9)], 3);
    expect(m.balancedAccuracy).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(m.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('argmax takes the first of ties; meanAndSpread uses the sample SD', () => {
    expect(argmax([0.2, 0.4, 0.4])).toBe(1);
    const spread = meanAndSpread([0.8, 0.9, 1.0]);
    // mean 0.9; deviations ±0.1 → sample variance (0.01 + 0 + 0.01) / 2 = 0.01 → sd 0.1.
    expect(spread.mean).toBeCloseTo(0.9, 12);
    expect(spread.sd).toBeCloseTo(0.1, 12);
    expect(spread.n).toBe(3);
    expect(meanAndSpread([0.7])).toEqual({ mean: 0.7, sd: 0, n: 1 });
  });
});
