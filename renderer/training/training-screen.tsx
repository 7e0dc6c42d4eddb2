import { useEffect, useState } from 'react';
import type { AppErrorShape, RunDetail, RunListItem } from '../../shared/contract/index';
import type { RunConfigInput } from '../../shared/run/run-config';
import { useApi } from '../api-context';
import { ErrorMessage } from '../components/error-message';
import { RunForm } from './run-form';
import { RunningPanel } from './running-panel';
import { RunReview } from './run-review';
import { RunsTable } from './runs-table';
import { useRunEvents } from './use-run-events';
import '../styles/training.css';

/**
 * Training: one click runs every method on the chosen dataset and task; live progress with
 * curves, cancel and resume; the list of runs (re-read on every status event and on mount, so a
 * reload or a run that went on while the window was closed shows the truth); a finished run opens
 * in the review workstation.
 */
export const TrainingScreen = ({ onEditAugmentation }: { onEditAugmentation?: () => void } = {}) => {
  const api = useApi();
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const inFlight = runs.filter((r) => r.status === 'running' || r.status === 'queued');
  const events = useRunEvents(inFlight.map((r) => r.runId));
  const [datasets, setDatasets] = useState<Array<{ id: number; name: string; images: number }>>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [open, setOpen] = useState<RunDetail | null>(null);
  const [openRevision, setOpenRevision] = useState(0);
  const [cancelling, setCancelling] = useState<Set<number>>(new Set());
  const [error, setError] = useState<AppErrorShape | null>(null);

  useEffect(() => {
    let live = true;
    void api.run.list({}).then((r) => {
      if (!live) return;
      if (r.ok) setRuns(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, events.revision, openRevision]);
  useEffect(() => {
    let live = true;
    void api.catalog.datasets({}).then((r) => {
      if (live && r.ok) setDatasets(r.value);
    });
    return () => {
      live = false;
    };
  }, [api]);
  useEffect(() => {
    let live = true;
    if (openId === null) return;
    void api.run.get({ runId: openId }).then((r) => {
      if (!live) return;
      if (r.ok) setOpen(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, openId, openRevision]);
  useEffect(() => {
    // A cancelled run leaves the "cancelling" state when its status event arrives.
    const s = events.lastStatus;
    if (s && s.status !== 'running')
      setCancelling((all) => (all.has(s.runId) ? new Set([...all].filter((id) => id !== s.runId)) : all));
  }, [events.lastStatus]);

  const start = async (config: RunConfigInput): Promise<AppErrorShape | null> => {
    const r = await api.run.start({ config });
    if (!r.ok) return r.error;
    setOpenRevision((n) => n + 1); // re-read the list now, not only on the status event
    return null;
  };
  const cancel = async (runId: number) => {
    setCancelling((all) => new Set([...all, runId]));
    const r = await api.run.cancel({ runId });
    if (!r.ok) {
      setError(r.error);
      setCancelling((all) => new Set([...all].filter((id) => id !== runId)));
    }
  };
  const resume = async (runId: number) => {
    const r = await api.run.resume({ runId });
    if (r.ok) setOpenRevision((n) => n + 1);
    else setError(r.error);
  };
  return (
    <div className="training">
      <RunForm
        datasets={datasets}
        busy={inFlight.length > 0}
        onStart={start}
        onEditAugmentation={onEditAugmentation}
      />
      <RunningPanel
        runs={inFlight}
        progress={events.progress}
        curves={events.curves}
        cancelling={cancelling}
        onCancel={(id) => void cancel(id)}
      />
      {error ? <ErrorMessage error={error} /> : null}
      <RunsTable
        runs={runs}
        openRunId={openId}
        onReview={(id) => {
          setOpenId(id);
          if (open?.runId !== id) setOpen(null);
        }}
        onResume={(id) => void resume(id)}
      />
      {open?.summary && open.runId === openId ? (
        <RunReview key={open.runId} run={open} onChanged={() => setOpenRevision((n) => n + 1)} />
      ) : null}
    </div>
  );
};
