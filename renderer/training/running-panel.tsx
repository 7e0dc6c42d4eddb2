import type { RunListItem } from '../../shared/contract/index';
import type { RunCurvePoint, RunProgress } from '../../shared/run/run-progress';
import { latestSeedCurves, RunCurves, RunProgressView } from './run-progress-view';

/**
 * The runs in flight: live progress and curves of each (stored curve points read on open, then
 * run:onProgress; after a reload the progress facts fill again with the next event), with Cancel.
 * Queued runs wait for the trainer. A run that stopped here (cancelled or failed) stays with its
 * curves, Resume and Dismiss, so a cancel never wipes what the run had shown.
 */
export const RunningPanel = ({
  runs,
  progress,
  curves,
  cancelling,
  onCancel,
  onResume,
  onDismiss,
}: {
  runs: readonly RunListItem[];
  progress: Readonly<Record<number, RunProgress>>;
  curves: Readonly<Record<number, RunCurvePoint[]>>;
  cancelling: ReadonlySet<number>;
  onCancel: (runId: number) => void;
  onResume?: (runId: number) => void;
  onDismiss?: (runId: number) => void;
}) => (
  <>
    {runs.map((run) => {
      const live = progress[run.runId];
      const stopped = run.status === 'cancelled' || run.status === 'failed';
      const actions = stopped ? (
        <div className="running-actions">
          {onResume ? (
            <button type="button" className="button primary" onClick={() => onResume(run.runId)}>
              Resume run {run.runId}
            </button>
          ) : null}
          {onDismiss ? (
            <button type="button" className="button" onClick={() => onDismiss(run.runId)}>
              Dismiss
            </button>
          ) : null}
          <span className="muted small">
            Run {run.runId}{' '}
            {run.status === 'cancelled' ? 'was cancelled' : `failed${run.error ? `: ${run.error}` : ''}`};
            Resume continues from the last checkpoint.
          </span>
        </div>
      ) : (
        <div className="running-actions">
          <button
            type="button"
            className="button danger"
            disabled={cancelling.has(run.runId)}
            onClick={() => onCancel(run.runId)}
          >
            {cancelling.has(run.runId) ? `Cancelling run ${run.runId}…` : `Cancel run ${run.runId}`}
          </button>
          <span className="muted small">
            Cancel stops at the next batch; Resume continues from the last checkpoint.
          </span>
        </div>
      );
      if (stopped)
        return (
          <section key={run.runId} className="panel" aria-label={`Run ${run.runId} stopped`}>
            <h2>
              Run {run.runId} · {run.status}
            </h2>
            {curves[run.runId]?.length ? (
              <RunCurves curves={latestSeedCurves(curves[run.runId]!)} />
            ) : (
              <p className="muted">No epoch had finished.</p>
            )}
            {actions}
          </section>
        );
      return live ? (
        <RunProgressView key={run.runId} progress={live} curves={curves[run.runId] ?? []}>
          {actions}
        </RunProgressView>
      ) : (
        <section key={run.runId} className="panel" aria-label={`Run ${run.runId} in progress`}>
          <h2>Run {run.runId}</h2>
          <p role="status">
            {run.status === 'queued'
              ? `Run ${run.runId} is queued.`
              : `Run ${run.runId} is starting… progress appears with its next batch.`}
          </p>
          {curves[run.runId]?.length ? <RunCurves curves={latestSeedCurves(curves[run.runId]!)} /> : null}
          {actions}
        </section>
      );
    })}
  </>
);
