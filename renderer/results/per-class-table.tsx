import type { SplitMetrics } from '../../shared/run/run-result';

const pct = (v: number): string => (v * 100).toFixed(1);

/**
 * Precision, recall and F1 of every class for one method on one split part, with its support:
 * the per-class view behind the comparison table's averages.
 */
export const PerClassTable = ({
  classes,
  metrics,
  title,
}: {
  classes: readonly string[];
  metrics: SplitMetrics;
  title: string;
}) => (
  <table className="table per-class" aria-label={title}>
    <caption>{title}</caption>
    <thead>
      <tr>
        <th scope="col">Class</th>
        <th scope="col">Precision %</th>
        <th scope="col">Recall %</th>
        <th scope="col">F1 %</th>
        <th scope="col">Images</th>
      </tr>
    </thead>
    <tbody>
      {classes.map((c, i) => {
        const m = metrics.perClass[i];
        return (
          <tr key={c} data-testid={`class-${c}`}>
            <th scope="row">{c}</th>
            <td>{m ? pct(m.precision) : '—'}</td>
            <td>{m ? pct(m.recall) : '—'}</td>
            <td>{m ? pct(m.f1) : '—'}</td>
            <td>{m?.support ?? 0}</td>
          </tr>
        );
      })}
    </tbody>
  </table>
);
