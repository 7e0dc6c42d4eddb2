import type { RunPrediction } from '../../shared/contract/run';
import { AppError } from '../../shared/contract/result';
import type { MethodIntervals, MetricInterval, RunIntervals } from '../../shared/contract/run-intervals';
import { confusionMetrics } from '../../shared/metrics/classification-metrics';
import type { RunMethod } from '../../shared/run/run-config';
import { createRng } from '../../shared/random/seeded-random';

export interface BootstrapOptions {
  /** Resamples drawn (default 2000). */
  resamples?: number;
  /** Seed of the resampling: the same seed gives the same intervals (default 1). */
  seed?: number;
  /** Coverage of the interval (default 0.95: the 2.5th and 97.5th percentiles). */
  level?: number;
}

const METRICS = ['accuracy', 'balancedAccuracy', 'macroF1'] as const;

/** The q-quantile of sorted values, linearly interpolated (numpy's default "linear" method). */
export const quantile = (sorted: readonly number[], q: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

/**
 * Percentile bootstrap intervals of accuracy, balanced accuracy and macro-F1 of one method on one
 * part: `resamples` draws of n images with replacement (mulberry32 seeded with `seed`), each
 * scored through the same confusion-matrix definitions as the stored metrics. Two methods scored
 * on the same images in the same order get the same resamples (a paired bootstrap).
 */
export const bootstrapIntervals = (
  truth: readonly number[],
  predicted: readonly number[],
  numClasses: number,
  options: BootstrapOptions = {},
): MethodIntervals => {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const n = truth.length;
  const point = confusionMetrics(confusion(truth, predicted, numClasses, null));
  const draws = { accuracy: [] as number[], balancedAccuracy: [] as number[], macroF1: [] as number[] };
  if (n > 0) {
    const rng = createRng(options.seed ?? 1);
    const pick = new Int32Array(n);
    for (let r = 0; r < resamples; r++) {
      for (let i = 0; i < n; i++) pick[i] = Math.min(n - 1, Math.floor(rng.next() * n));
      const m = confusionMetrics(confusion(truth, predicted, numClasses, pick));
      for (const k of METRICS) draws[k].push(m[k]);
    }
  }
  const tail = (1 - level) / 2;
  const interval = (k: (typeof METRICS)[number]): MetricInterval => {
    const sorted = draws[k].sort((a, b) => a - b);
    return n === 0
      ? { value: Number.NaN, lo: Number.NaN, hi: Number.NaN }
      : { value: point[k], lo: quantile(sorted, tail), hi: quantile(sorted, 1 - tail) };
  };
  return {
    n,
    accuracy: interval('accuracy'),
    balancedAccuracy: interval('balancedAccuracy'),
    macroF1: interval('macroF1'),
  };
};

const confusion = (
  truth: readonly number[],
  predicted: readonly number[],
  k: number,
  pick: Int32Array | null,
): number[][] => {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const count = pick ? pick.length : truth.length;
  for (let j = 0; j < count; j++) {
    const i = pick ? pick[j]! : j;
    m[truth[i]!]![predicted[i]!]!++;
  }
  return m;
};

/**
 * Intervals of every method of a run on one part, from its stored predictions: each method's
 * images in image-id order, so methods scored on the same images share their resamples.
 * Predictions without a known true class are left out.
 */
export const runMetricIntervals = (
  predictions: readonly RunPrediction[],
  classes: readonly string[],
  split: 'validation' | 'test',
  options: BootstrapOptions = {},
): Partial<Record<RunMethod, MethodIntervals>> => {
  const byMethod = new Map<RunMethod, RunPrediction[]>();
  for (const p of predictions) {
    if (p.split !== split || p.actual === null || !classes.includes(p.actual)) continue;
    byMethod.set(p.method, [...(byMethod.get(p.method) ?? []), p]);
  }
  const out: Partial<Record<RunMethod, MethodIntervals>> = {};
  for (const [method, rows] of byMethod) {
    rows.sort((a, b) => a.imageId - b.imageId);
    out[method] = bootstrapIntervals(
      rows.map((p) => classes.indexOf(p.actual!)),
      rows.map((p) => classes.indexOf(p.predicted)),
      classes.length,
      options,
    );
  }
  return out;
};

/** What `run:intervals` needs of the run service. */
export interface IntervalSource {
  get(runId: number): { summary: { classes: string[] } | null; status: string };
  predictions(q: {
    runId: number;
    split: 'validation' | 'test';
    limit: number;
    offset: number;
  }): RunPrediction[];
}

/** `run:intervals`: a finished run's intervals on one part, every stored prediction read. */
export const runIntervals = (
  runs: IntervalSource,
  q: { runId: number; split: 'validation' | 'test'; resamples: number; seed: number },
): RunIntervals => {
  const run = runs.get(q.runId);
  if (!run.summary)
    throw new AppError('CONFLICT', `run ${q.runId} has no results yet (status ${run.status})`);
  const all: RunPrediction[] = [];
  for (let offset = 0; ; offset += 5000) {
    const page = runs.predictions({ runId: q.runId, split: q.split, limit: 5000, offset });
    all.push(...page);
    if (page.length < 5000) break;
  }
  const level = 0.95;
  return {
    runId: q.runId,
    split: q.split,
    resamples: q.resamples,
    seed: q.seed,
    level,
    methods: runMetricIntervals(all, run.summary.classes, q.split, { ...q, level }),
  };
};
