import { methodInputs, methodLabels, runMethods, type RunMethod } from '../../shared/run/run-config';
import type { MethodResult, RunSummary } from '../../shared/run/run-result';

type Metric = 'accuracy' | 'balancedAccuracy' | 'macroF1';

const modality = (m: RunMethod): string => {
  const i = methodInputs[m];
  const parts = [
    i.image !== 'none' ? 'image' : '',
    i.note ? 'note' : '',
    i.metadata ? 'metadata' : '',
  ].filter(Boolean);
  return parts.length > 1 ? `fused (${parts.join(' + ')})` : `${parts[0]} only`;
};

const value = (r: MethodResult, metric: Metric): { mean: number; sd: number | null } =>
  r.seedSpread
    ? { mean: r.seedSpread[metric].mean, sd: r.seedSpread[metric].sd }
    : { mean: r.test[metric], sd: null };

const fmt = (v: { mean: number; sd: number | null }): string =>
  `${(v.mean * 100).toFixed(1)}${v.sd === null ? '' : ` ± ${(v.sd * 100).toFixed(1)}`}`;

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
 * All methods of a run side by side — image-only, note-only, metadata-only and fused — so users
 * see what each modality adds. Test values show mean ± SD over seeds when the run had several;
 * the best test value of each column is marked. Clicking a method selects it for the detail views.
 */
export const ComparisonTable = ({
  run,
  selected,
  onSelect,
}: {
  run: RunSummary;
  selected?: RunMethod | null;
  onSelect?: (m: RunMethod) => void;
}) => {
  const metrics: Array<[Metric, string]> = [
    ['accuracy', 'Test accuracy %'],
    ['balancedAccuracy', 'Test balanced acc. %'],
    ['macroF1', 'Test macro-F1 %'],
  ];
  const best = Object.fromEntries(metrics.map(([k]) => [k, bestMethod(run, k)]));
  return (
    <table className="table comparison" aria-label={`Comparison of methods, run ${run.runId}`}>
      <thead>
        <tr>
          <th scope="col">Method</th>
          <th scope="col">Inputs</th>
          <th scope="col">Val. accuracy %</th>
          {metrics.map(([k, label]) => (
            <th key={k} scope="col">
              {label}
            </th>
          ))}
          <th scope="col">ECE</th>
        </tr>
      </thead>
      <tbody>
        {runMethods
          .filter((m) => run.methods[m])
          .map((m) => {
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
                <td>{(r.validation.accuracy * 100).toFixed(1)}</td>
                {metrics.map(([k]) => (
                  <td key={k} className={best[k] === m ? 'best' : undefined}>
                    {fmt(value(r, k))}
                    {best[k] === m ? <span className="sr-only"> (best)</span> : null}
                  </td>
                ))}
                <td>{r.test.ece.toFixed(3)}</td>
              </tr>
            );
          })}
      </tbody>
    </table>
  );
};
