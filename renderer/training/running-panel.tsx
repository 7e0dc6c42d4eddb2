import type { RunListItem } from '../../shared/contract/index';
import type { RunCurvePoint, RunProgress } from '../../shared/run/run-progress';
import { latestSeedCurves, RunCurves, RunProgressView } from './run-progress-view';

/**
 * The runs in flight: live progress and curves of each (stored curve points read on open, then
 * run:onProgress; after a reload the progress facts fill again with the next event), with Cancel.
 * Queued runs wait for the trainer.
 */
export const RunningPanel = ({
  runs,
  progress,
  curves,
  cancelling,
  onCancel,
}: {
  runs: readonly RunListItem[];
  progress: Readonly<Record<number, RunProgress>>;
  curves: Readonly<Record<number, RunCurvePoint[]>>;
  cancelling: ReadonlySet<number>;
  onCancel: (runId: number) => void;
}) => (
  <>
    {runs.map((run) => {
      const live = progress[run.runId];
      const actions = (
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
