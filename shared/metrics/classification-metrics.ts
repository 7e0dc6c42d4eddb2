/**
 * Classification metrics shared by the trainer (to store them with a run) and the renderer (to
 * recompute them on a filtered subset). Pure functions over integer labels and probability rows.
 */

export interface PerClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationMetrics {
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  /** Expected calibration error over equal-width confidence bins. */
  ece: number;
  perClass: PerClassMetrics[];
  /** confusion[true][predicted] = count */
  confusion: number[][];
}

/** Index of the largest value (first one on ties), the predicted class of a probability row. */
export const argmax = (row: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
};

export const confusionMatrix = (
  truth: readonly number[],
  predicted: readonly number[],
  numClasses: number,
): number[][] => {
  if (truth.length !== predicted.length)
    throw new Error(`truth has ${truth.length} labels, predictions ${predicted.length}`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses))
      throw new Error(`label out of range at ${i}: ${t} / ${p}`);
    m[t]![p]!++;
  });
  return m;
};

/**
 * Expected calibration error: the support-weighted mean |accuracy - confidence| over `bins`
 * equal-width bins of the top-class probability (Guo et al. 2017).
 */
export const expectedCalibrationError = (
  truth: readonly number[],
  probs: readonly ArrayLike<number>[],
  bins = 15,
): number => {
  if (truth.length === 0) return 0;
  const count = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  const confidence = new Array<number>(bins).fill(0);
  probs.forEach((row, i) => {
    const p = argmax(row);
    const conf = row[p]!;
    const b = Math.min(bins - 1, Math.floor(conf * bins));
    count[b]!++;
    confidence[b]! += conf;
    if (p === truth[i]) correct[b]!++;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b]! > 0)
      ece += (count[b]! / truth.length) * Math.abs(correct[b]! / count[b]! - confidence[b]! / count[b]!);
  }
  return ece;
};

const safeDiv = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * All metrics of one method on one split. Classes absent from `truth` get recall 0 and are left
 * out of balanced accuracy and macro-F1 (they have no support), as scikit-learn does for
 * balanced accuracy; macro-F1 here averages over classes present in truth OR predictions.
 */
export const classificationMetrics = (
  truth: readonly number[],
  probs: readonly ArrayLike<number>[],
  numClasses: number,
): ClassificationMetrics => {
  const confusion = confusionMatrix(truth, probs.map(argmax), numClasses);
  return { ...confusionMetrics(confusion), ece: expectedCalibrationError(truth, probs), confusion };
};

/**
 * Accuracy, balanced accuracy, macro-F1 and per-class figures of a confusion matrix (the
 * definitions `classificationMetrics` documents); the bootstrap resamples through this too.
 */
export const confusionMetrics = (
  confusion: readonly (readonly number[])[],
): Pick<ClassificationMetrics, 'n' | 'accuracy' | 'balancedAccuracy' | 'macroF1' | 'perClass'> => {
  const perClass: PerClassMetrics[] = confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedC = confusion.reduce((a, r) => a + r[c]!, 0);
    const precision = safeDiv(tp, predictedC);
    const recall = safeDiv(tp, support);
    return { precision, recall, f1: safeDiv(2 * precision * recall, precision + recall), support };
  });
  const n = perClass.reduce((a, p) => a + p.support, 0);
  const correct = confusion.reduce((a, row, c) => a + row[c]!, 0);
  const present = perClass.filter((p) => p.support > 0);
  const inF1 = perClass.filter((p, c) => p.support > 0 || confusion.some((r) => r[c]! > 0));
  return {
    n,
    accuracy: safeDiv(correct, n),
    balancedAccuracy: safeDiv(
      present.reduce((a, p) => a + p.recall, 0),
      present.length,
    ),
    macroF1: safeDiv(
      inF1.reduce((a, p) => a + p.f1, 0),
      inF1.length,
    ),
    perClass,
  };
};

/** Mean and sample standard deviation (n-1) of repeated runs (seeds); spread 0 for one run. */
export const meanAndSpread = (values: readonly number[]): { mean: number; sd: number; n: number } => {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, sd, n };
};
