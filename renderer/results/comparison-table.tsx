import type { MethodIntervals, RunIntervals } from '../../shared/contract/run-intervals';
import { methodInputs, methodLabels, runMethods, type RunMethod } from '../../shared/run/run-config';
import type { MethodResult, RunSummary } from '../../shared/run/run-result';

type Metric = 'accuracy' | 'balancedAccuracy' | 'macroF1';

/** Below this many test images a one-image change moves accuracy by more than 2 points. */
export const SMALL_TEST_PART = 50;

/** One-line explanations shown on hover (and read by screen readers) in the column headers. */
export const METRIC_HELP: Record<Metric | 'ece', string> = {
  accuracy: 'Share of test images classified correctly.',
  balancedAccuracy: 'Mean of the per-class recalls: every class counts the same, however many images it has.',
  macroF1:
    'Mean over classes of F1 (the harmonic mean of precision and recall): low when any class is missed.',
  ece: 'Expected calibration error: how far the stated confidence is from the actual accuracy (0 = calibrated).',
};

const modality = (m: RunMethod): string => {
  const i = methodInputs[m];
  const parts = [
    i.image !== 'none' ? 'image' : '',
    i.note ? 'note' : '',
    i.metadata ? 'metadata' : '',
  ].filter(Boolean);
  return parts.length > 1 ? `fused (${parts.join(' + ')})` : `${parts[0]} only`;
};

const value = (r: MethodResult, metric: Metric): { mean: number; sd: number | null; seeds: number } =>
  r.seedSpread
    ? { mean: r.seedSpread[metric].mean, sd: r.seedSpread[metric].sd, seeds: r.seedSpread[metric].n }
    : { mean: r.test[metric], sd: null, seeds: 1 };

const pct = (v: number): string => (v * 100).toFixed(1);

/** The method with the highest test value of `metric` (ties: the first in canonical order). */
export const bestMethod = (run: RunSummary, metric: Metric): RunMethod | null => {
  let best: RunMethod | null = null;
  for (const m of runMethods) {
    const r = run.methods[m];
    if (r && (best === null || value(r, metric).mean > value(run.methods[best]!, metric).mean)) best = m;
  }
  return best;
};

/**
 * The best method on `metric` only when its bootstrap interval lies wholly above every other
 * method's (lower bound > their upper bounds); otherwise null: the data cannot tell them apart.
 */
export const separatedBest = (
  run: RunSummary,
  intervals: RunIntervals | null | undefined,
  metric: Metric,
): RunMethod | null => {
  const best = bestMethod(run, metric);
  if (!best || !intervals) return null;
  const own = intervals.methods[best]?.[metric];
  if (!own) return null;
  const others = runMethods.filter((m) => m !== best && run.methods[m]);
  if (others.length === 0) return null;
  return others.every((m) => {
    const o = intervals.methods[m]?.[metric];
    return o !== undefined && own.lo > o.hi;
  })
    ? best
    : null;
};

const Cell = ({
  r,
  metric,
  ci,
  best,
}: {
  r: MethodResult;
  metric: Metric;
  ci: MethodIntervals | undefined;
  best: boolean;
}) => {
  const v = value(r, metric);
  const i = ci?.[metric];
  return (
    <td className={best ? 'best' : undefined}>
      <span className="metric-value">{pct(v.mean)}</span>
      {v.sd !== null ? (
        <span className="metric-spread" title={`Mean ± SD over ${v.seeds} seeds`}>
          {' '}
          ± {pct(v.sd)}
        </span>
      ) : null}
      {i ? (
        <span className="metric-ci" title="Bootstrap 95% interval over the test images">
          {' '}
          [{pct(i.lo)}–{pct(i.hi)}]
        </span>
      ) : null}
      {best ? <span className="sr-only"> (best)</span> : null}
    </td>
  );
};

/**
 * All methods of a run side by side — image-only, note-only, metadata-only and fused — so users
 * see what each modality adds. Every figure says how sure it is: n beside it, the bootstrap 95%
 * interval over the test images (`run:intervals`), mean ± SD over seeds when the run had several;
 * a method is marked best only when its interval separates from every other method's, and a
 * small test part carries a warning. Clicking a method selects it for the detail views.
 */
export const ComparisonTable = ({
  run,
  intervals,
  selected,
  onSelect,
}: {
  run: RunSummary;
  /** Test-part intervals; absent while loading (nothing is marked best then). */
  intervals?: RunIntervals | null;
  selected?: RunMethod | null;
  onSelect?: (m: RunMethod) => void;
}) => {
  const metrics: Array<[Metric, string]> = [
    ['accuracy', 'Test accuracy %'],
    ['balancedAccuracy', 'Test balanced acc. %'],
    ['macroF1', 'Test macro-F1 %'],
  ];
  const best = Object.fromEntries(metrics.map(([k]) => [k, separatedBest(run, intervals, k)]));
  const shown = runMethods.filter((m) => run.methods[m]);
  const testN = Math.max(0, ...shown.map((m) => run.methods[m]!.test.n));
  const seeds = Math.max(1, ...shown.map((m) => value(run.methods[m]!, 'accuracy').seeds));
  return (
    <div className="comparison-block">
      {testN > 0 && testN < SMALL_TEST_PART ? (
        <p className="warn-banner" role="note" data-testid="small-test-warning">
          The test part has only {testN} images: one image moves accuracy by {pct(1 / testN)} points. Read
          differences inside the intervals as ties.
        </p>
      ) : null}
      <table className="table comparison" aria-label={`Comparison of methods, run ${run.runId}`}>
        <caption className="muted small comparison-caption">
          Test figures with n, bootstrap 95% interval in brackets
          {seeds > 1 ? ` and mean ± SD over ${seeds} seeds` : ''}; “best” only where the interval separates
          from every other method’s.
        </caption>
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col">Inputs</th>
            <th scope="col">Val. accuracy %</th>
            <th scope="col">Test n</th>
            {metrics.map(([k, label]) => (
              <th key={k} scope="col" title={METRIC_HELP[k]}>
                <span className="has-help">{label}</span>
              </th>
            ))}
            <th scope="col" title={METRIC_HELP.ece}>
              <span className="has-help">ECE</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((m) => {
            const r = run.methods[m]!;
            return (
              <tr key={m} className={selected === m ? 'selected' : undefined} data-testid={`method-${m}`}>
                <th scope="row">
                  {onSelect ? (
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onSelect(m)}
                      aria-pressed={selected === m}
                    >
                      {methodLabels[m]}
                    </button>
                  ) : (
                    methodLabels[m]
                  )}
                </th>
                <td className="muted">{modality(m)}</td>
                <td>
                  {pct(r.validation.accuracy)} <span className="muted small">n = {r.validation.n}</span>
                </td>
                <td>{r.test.n}</td>
                {metrics.map(([k]) => (
                  <Cell key={k} r={r} metric={k} ci={intervals?.methods[m]} best={best[k] === m} />
                ))}
                <td>{r.test.ece.toFixed(3)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
};
