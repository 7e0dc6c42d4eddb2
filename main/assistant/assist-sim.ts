import type { AssistSimCurve, AssistStrategy } from '../../shared/contract/assistant';
import { coldStartOrder } from './strategies/cold-start';
import { diverseUncertaintyOrder, type DiverseUncertaintyOptions } from './strategies/diverse-uncertainty';
import { randomOrder } from './strategies/random-order';
import { uncertaintyOrder } from './strategies/uncertainty';
import {
  ASSISTANT_SCHEDULE,
  balancedWeights,
  predictSoftmax,
  trainSoftmax,
  type SoftmaxHead,
  type SoftmaxTrainOptions,
} from './softmax-head';

/** A fully labeled feature set split into the pool (train part) and the fixed test part. */
export interface SimData {
  x: Float32Array;
  dim: number;
  classes: number;
  /** Class index of every row. */
  y: Int32Array;
  pool: readonly number[];
  test: readonly number[];
}

export interface SimOptions {
  strategy: AssistStrategy;
  seed: number;
  start: number;
  batch: number;
  head?: Omit<SoftmaxTrainOptions, 'classes' | 'warm' | 'classWeights'> & {
    /** Weigh classes inversely to their label counts (default true). */
    balanced?: boolean;
  };
  /** How the informative strategies pick (defaults: ACTIVE_DEFAULTS). */
  active?: ActiveOptions;
}

/** Knobs of the informative strategies, chosen on the validation part (`bench/assist-tune.ts`). */
export interface ActiveOptions {
  /** First labels: typical image of each k-means cluster, or a random sample. */
  coldStart?: 'kmeans' | 'random';
  /** Share of every batch drawn at random from the unlabeled pool (exploration), 0..1. */
  explore?: number;
  diverse?: Omit<DiverseUncertaintyOptions, 'seed'>;
}

/**
 * Chosen on the validation parts of BUSI and covid-notes (`bench/assist-tune.ts`, seeds 11-13,
 * mean labels-to-95% share of random's: entropy 72% / 94% vs margin 97% / 119%; random cold
 * start, exploration, density, k-center, BADGE and pool sizes did worse on BUSI).
 */
export const ACTIVE_DEFAULTS: Required<Omit<ActiveOptions, 'diverse'>> & {
  diverse: ActiveOptions['diverse'];
} = {
  coldStart: 'kmeans',
  explore: 0,
  diverse: { kind: 'entropy' },
};

/** Trains the assistant's head on `rows` (balanced class weights), as the service does. */
export const fitRows = (
  data: SimData,
  rows: readonly number[],
  head: SimOptions['head'] = {},
  warm: SoftmaxHead | null = null,
) => {
  const y = Int32Array.from(rows, (r) => data.y[r]!);
  const { balanced = true, ...rest } = head;
  return trainSoftmax(data.x, data.dim, rows, y, {
    iterations: warm ? ASSISTANT_SCHEDULE.warm : ASSISTANT_SCHEDULE.first,
    ...rest,
    warm,
    classes: data.classes,
    classWeights: balanced ? balancedWeights(y, data.classes) : undefined,
  });
};

/** Top-1 accuracy of class-probability rows against the rows' labels. */
export const accuracyOf = (probs: Float32Array, classes: number, rows: readonly number[], y: Int32Array) => {
  let right = 0;
  rows.forEach((r, i) => {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probs[i * classes + k]! > probs[i * classes + best]!) best = k;
    if (best === y[r]) right++;
  });
  return rows.length ? right / rows.length : 0;
};

/** Mean accuracy over the label range (trapezoids, x normalised to [first, last] labels). */
export const curveArea = (labels: readonly number[], accuracy: readonly number[]): number => {
  if (labels.length < 2) return accuracy[0] ?? 0;
  let area = 0;
  for (let i = 1; i < labels.length; i++)
    area += ((accuracy[i]! + accuracy[i - 1]!) / 2) * (labels[i]! - labels[i - 1]!);
  return area / (labels[labels.length - 1]! - labels[0]!);
};

/** First label count whose accuracy reaches `share` of `target`; null if none does. */
export const labelsToReach = (
  labels: readonly number[],
  accuracy: readonly number[],
  target: number,
  share = 0.95,
): number | null => {
  const i = accuracy.findIndex((a) => a >= share * target - 1e-12);
  return i < 0 ? null : labels[i]!;
};

/**
 * One simulated labeling session: `start` labels (random for `random`, a diverse cold-start set
 * otherwise), then `batch` more at a time in the strategy's order, the stored labels answering;
 * after every retrain the head is scored on the fixed test part. Suggestion accuracy: the share
 * of added labels the model before that batch predicted right (what a one-key accept saves).
 */
export const simulateStrategy = (data: SimData, o: SimOptions): Omit<AssistSimCurve, 'labelsTo95'> => {
  const { x, dim, classes, y, pool, test } = data;
  const start = Math.min(Math.max(1, o.start), pool.length);
  const active = { ...ACTIVE_DEFAULTS, ...o.active };
  let labeled =
    o.strategy === 'random' || active.coldStart === 'random'
      ? randomOrder(pool, start, o.seed)
      : coldStartOrder(x, dim, pool, start, o.seed);
  const inLabeled = new Set(labeled);
  const labels: number[] = [];
  const accuracy: number[] = [];
  let suggested = 0;
  let suggestedRight = 0;
  const rest = () => pool.filter((r) => !inLabeled.has(r));
  const order = o.strategy === 'random' ? randomOrder(rest(), pool.length, o.seed + 7919) : null;
  let cursor = 0;
  let head: SoftmaxHead | null = null;
  for (let round = 0; ; round++) {
    // Warm start from the previous round, as the service's background retrain does.
    head = fitRows(data, labeled, o.head, head);
    accuracy.push(accuracyOf(predictSoftmax(head, x, test), classes, test, y));
    labels.push(labeled.length);
    const remaining = rest();
    if (remaining.length === 0) break;
    const k = Math.min(o.batch, remaining.length);
    let next: number[];
    if (order) {
      next = order.slice(cursor, cursor + k);
      cursor += k;
    } else {
      // Probabilities of every row (the strategies index rows of x directly).
      const probs = new Float32Array((x.length / dim) * classes);
      const pr = predictSoftmax(head, x, remaining);
      remaining.forEach((r, i) => probs.set(pr.subarray(i * classes, (i + 1) * classes), r * classes));
      // Exploration: a share of the batch at random, the rest by the strategy among the others.
      const explored = randomOrder(remaining, Math.round(active.explore * k), o.seed * 7 + round);
      const taken = new Set(explored);
      const others = explored.length ? remaining.filter((r) => !taken.has(r)) : remaining;
      const kk = k - explored.length;
      next = [
        ...explored,
        ...(kk <= 0
          ? []
          : o.strategy === 'uncertainty'
            ? uncertaintyOrder(probs, classes, others, kk)
            : diverseUncertaintyOrder(x, dim, probs, classes, others, labeled, kk, {
                ...active.diverse,
                seed: o.seed * 1000 + round,
              })),
      ];
    }
    const pb = predictSoftmax(head, x, next);
    suggested += next.length;
    suggestedRight += Math.round(accuracyOf(pb, classes, next, y) * next.length);
    for (const r of next) inLabeled.add(r);
    labeled = [...labeled, ...next];
  }
  return {
    strategy: o.strategy,
    seed: o.seed,
    labels,
    accuracy,
    auc: curveArea(labels, accuracy),
    suggestionAccuracy: suggested ? suggestedRight / suggested : 0,
  };
};

/** Every strategy × seed on one feature set, with the all-labels reference and labels-to-95%. */
export const runSimulation = (
  data: SimData,
  o: {
    strategies: readonly AssistStrategy[];
    seeds: readonly number[];
    start: number;
    batch: number;
    head?: SimOptions['head'];
    active?: ActiveOptions;
  },
): { allLabelsAccuracy: number; curves: AssistSimCurve[] } => {
  const all = fitRows(data, data.pool, o.head);
  const allLabelsAccuracy = accuracyOf(
    predictSoftmax(all, data.x, data.test),
    data.classes,
    data.test,
    data.y,
  );
  const curves = o.strategies.flatMap((strategy) =>
    o.seeds.map((seed) => {
      const c = simulateStrategy(data, {
        strategy,
        seed,
        start: o.start,
        batch: o.batch,
        head: o.head,
        active: o.active,
      });
      return { ...c, labelsTo95: labelsToReach(c.labels, c.accuracy, allLabelsAccuracy) };
    }),
  );
  return { allLabelsAccuracy, curves };
};
