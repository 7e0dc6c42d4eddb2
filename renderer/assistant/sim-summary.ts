import type { AssistSimResult, AssistStrategy } from '../../shared/contract/index';
import type { LineSeries } from '../results/curve-chart';

/** One colour per strategy (distinct on the dark theme). */
export const STRATEGY_COLOURS: Record<AssistStrategy, string> = {
  random: '#8b96a3',
  uncertainty: '#e0a84f',
  'diverse-uncertainty': '#5cb85c',
};

export const STRATEGY_LABELS: Record<AssistStrategy, string> = {
  random: 'Random order',
  uncertainty: 'Uncertainty',
  'diverse-uncertainty': 'Diverse uncertainty',
};

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

/** One strategy's figures over the seeds of a simulation. */
export interface StrategySummary {
  strategy: AssistStrategy;
  seeds: number;
  /** Mean labels to reach 95% of the all-labels accuracy over the seeds that reached it. */
  labelsTo95: number | null;
  /** Seeds that never reached it. */
  neverReached: number;
  auc: number;
  suggestionAccuracy: number;
  /** labelsTo95 as a share of random order's (null without both). */
  ofRandom: number | null;
}

/**
 * The learning curves of `assist-sim` for the chart (mean test accuracy per number of labels, one
 * line per strategy, plus the 95%-of-all-labels target as a dashed line) and the table's figures.
 */
export const simSummary = (
  sim: AssistSimResult,
): { x: number[]; series: LineSeries[]; rows: StrategySummary[]; target: number } => {
  const x = [...new Set(sim.curves.flatMap((c) => c.labels))].sort((a, b) => a - b);
  const strategies = (['random', 'uncertainty', 'diverse-uncertainty'] as const).filter((s) =>
    sim.curves.some((c) => c.strategy === s),
  );
  const target = 0.95 * sim.allLabelsAccuracy;
  const series: LineSeries[] = strategies.map((strategy) => {
    const curves = sim.curves.filter((c) => c.strategy === strategy);
    return {
      label: STRATEGY_LABELS[strategy],
      colour: STRATEGY_COLOURS[strategy],
      dashed: false,
      values: x.map((n) =>
        mean(
          curves.flatMap((c) => {
            const at = c.labels.indexOf(n);
            return at >= 0 && c.accuracy[at] !== undefined ? [c.accuracy[at]!] : [];
          }),
        ),
      ),
    };
  });
  if (x.length > 0)
    series.push({ label: '95% of all labels', colour: '#e06c6c', dashed: true, values: x.map(() => target) });
  const rows = strategies.map((strategy): Omit<StrategySummary, 'ofRandom'> => {
    const curves = sim.curves.filter((c) => c.strategy === strategy);
    const reached = curves.flatMap((c) => (c.labelsTo95 === null ? [] : [c.labelsTo95]));
    return {
      strategy,
      seeds: curves.length,
      labelsTo95: mean(reached),
      neverReached: curves.length - reached.length,
      auc: mean(curves.map((c) => c.auc)) ?? 0,
      suggestionAccuracy: mean(curves.map((c) => c.suggestionAccuracy)) ?? 0,
    };
  });
  const random = rows.find((r) => r.strategy === 'random')?.labelsTo95 ?? null;
  return {
    x,
    series,
    target,
    rows: rows.map((r) => ({
      ...r,
      ofRandom: random && r.labelsTo95 !== null ? r.labelsTo95 / random : null,
    })),
  };
};
