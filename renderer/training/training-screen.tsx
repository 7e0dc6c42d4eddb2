import { useEffect, useState } from 'react';
import type { AppErrorShape, RunDetail, RunListItem } from '../../shared/contract/index';
import type { RunConfigInput } from '../../shared/run/run-config';
import { useApi } from '../api-context';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { RunForm } from './run-form';
import { RunProgressView } from './run-progress-view';
import { RunReview } from './run-review';
import { useRunEvents } from './use-run-events';

/**
 * Training: one click runs every method on the workspace's dataset; live progress with curves,
 * cancel and resume; the list of runs (re-read on every status event, so a reload or a restarted
 * job shows the truth); a finished run opens in the review workstation.
 */
export const TrainingScreen = () => {
  const api = useApi();
  const ws = useWorkspace();
  const events = useRunEvents();
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [dataset, setDataset] = useState<string | null>(null);
  const [open, setOpen] = useState<RunDetail | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);

  useEffect(() => {
    let live = true;
    void api.run.list({}).then((r) => {
      if (!live) return;
      if (r.ok) setRuns(r.value);
      else setError(r.error);
    });
    void api.catalog.datasets({}).then((r) => {
      if (live && r.ok)
        setDataset(r.value.find((d) => d.id === ws.datasetId)?.name ?? r.value[0]?.name ?? null);
    });
    return () => {
      live = false;
    };
  }, [api, ws.datasetId, events.revision]);

  const start = async (config: RunConfigInput): Promise<AppErrorShape | null> => {
    const r = await api.run.start({ config });
    // On success the run's status event re-reads the list.
    return r.ok ? null : r.error;
  };
  const act = async (f: () => Promise<{ ok: boolean; error?: AppErrorShape }>) => {
    const r = await f();
    if (!r.ok && r.error) setError(r.error);
  };
  const openRun = async (runId: number) => {
    const r = await api.run.get({ runId });
    if (r.ok) setOpen(r.value);
    else setError(r.error);
  };
  const running = runs.find((r) => r.status === 'running' || r.status === 'queued');
  const live = running ? events.progress[running.runId] : undefined;

  return (
    <div className="training">
      <RunForm dataset={dataset} task={ws.task} busy={running !== undefined} onStart={start} />
      {running ? (
        <section className="panel" aria-label="Running">
          {live ? (
            <RunProgressView progress={live} curves={events.curves[running.runId] ?? []} />
          ) : (
            <p role="status">Run {running.runId} is starting…</p>
          )}
          <button
            type="button"
            className="button"
            onClick={() => void act(() => api.run.cancel({ runId: running.runId }))}
          >
            Cancel run {running.runId}
          </button>
        </section>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <section className="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <table className="table" aria-label="Runs">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Dataset</th>
              <th scope="col">Status</th>
              <th scope="col">Best test accuracy</th>
              <th scope="col">Backend</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId} data-testid={`run-row-${r.runId}`}>
                <td>{r.runId}</td>
                <td>{r.dataset}</td>
                <td>
                  {r.status}
                  {r.stale ? ' (labels changed since)' : ''}
                  {r.error ? <div className="muted">{r.error}</div> : null}
                </td>
                <td>
                  {r.headline ? `${(r.headline.testAccuracy * 100).toFixed(1)}% (${r.headline.method})` : '—'}
                </td>
                <td>{r.backend ?? '—'}</td>
                <td>
                  {r.status === 'succeeded' ? (
                    <button type="button" className="button small" onClick={() => void openRun(r.runId)}>
                      Review run {r.runId}
                    </button>
                  ) : null}
                  {r.status === 'cancelled' || r.status === 'failed' ? (
                    <button
                      type="button"
                      className="button small"
                      onClick={() => void act(() => api.run.resume({ runId: r.runId }))}
                    >
                      Resume run {r.runId}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {open?.summary ? <RunReview run={open} /> : null}
    </div>
  );
};
