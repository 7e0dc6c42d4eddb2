import type { RunListItem } from '../../shared/contract/index';
import { methodLabels } from '../../shared/run/run-config';

const statusText: Record<RunListItem['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const when = (iso: string | null): string => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

/**
 * Every run, newest first: status (with why it failed and whether labels changed since), best
 * test accuracy, backend, and what can be done with it: review a finished run, resume a cancelled or
 * failed one (running runs are cancelled from their progress panel).
 */
export const RunsTable = ({
  runs,
  openRunId,
  onReview,
  onResume,
}: {
  runs: readonly RunListItem[];
  openRunId: number | null;
  onReview: (runId: number) => void;
  onResume: (runId: number) => void;
}) => (
  <section className="panel" aria-labelledby="runs-title">
    <h2 id="runs-title">Runs</h2>
    {runs.length === 0 ? (
      <p className="muted">No runs yet: “Run all methods” above starts the first one.</p>
    ) : (
      <table className="table runs-table" aria-label="Runs">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Dataset · task</th>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Best test accuracy</th>
            <th scope="col">Backend</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.runId}
              data-testid={`run-row-${r.runId}`}
              className={openRunId === r.runId ? 'selected' : undefined}
            >
              <td>{r.runId}</td>
              <td>
                {r.dataset} · {r.task}
              </td>
              <td className="nowrap">{when(r.createdAt)}</td>
              <td>
                <span className={`status status-${r.status}`}>{statusText[r.status]}</span>
                {r.stale && r.status === 'succeeded' ? (
                  <span className="badge warn">labels changed since</span>
                ) : null}
                {r.error ? <div className="muted small">{r.error}</div> : null}
              </td>
              <td>
                {r.headline ? (
                  <>
                    {(r.headline.testAccuracy * 100).toFixed(1)} %
                    <div className="muted small">{methodLabels[r.headline.method]}</div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td className="small">{r.backend ?? '—'}</td>
              <td className="actions">
                {r.status === 'succeeded' ? (
                  <button
                    type="button"
                    className="button small"
                    aria-pressed={openRunId === r.runId}
                    onClick={() => onReview(r.runId)}
                  >
                    Review run {r.runId}
                  </button>
                ) : null}
                {r.status === 'running' || r.status === 'queued' ? (
                  <span className="muted small">in progress above</span>
                ) : null}
                {r.status === 'cancelled' || r.status === 'failed' ? (
                  <button type="button" className="button small" onClick={() => onResume(r.runId)}>
                    Resume run {r.runId}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);
