import { useEffect, useRef, useState } from 'react';
import type { AppErrorShape, RunDetail, RunListItem } from '../../shared/contract/index';
import type { RunConfigInput } from '../../shared/run/run-config';
import { useApi } from '../api-context';
import { AssistantPanel } from '../assistant/assistant-panel';
import { useWorkspace } from '../catalog/workspace';
import { ErrorMessage } from '../components/error-message';
import { RunForm } from './run-form';
import { RunningPanel } from './running-panel';
import { RunReview } from './run-review';
import { RunsTable } from './runs-table';
import { useRunEvents } from './use-run-events';
import '../styles/training.css';

/**
 * Training: one click runs every method on the chosen dataset and task; live progress with
 * curves at the top of the screen (above the form, scrolled into view when a run starts), cancel
 * and resume (a stopped run keeps its curves on screen); the list of runs (re-read on every status event and on mount, so a
 * reload or a run that went on while the window was closed shows the truth); a finished run opens
 * in the review workstation.
 */
export const TrainingScreen = ({ onEditAugmentation }: { onEditAugmentation?: () => void } = {}) => {
  const api = useApi();
  const ws = useWorkspace();
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const inFlight = runs.filter((r) => r.status === 'running' || r.status === 'queued');
  // Runs that stopped while on screen keep their panel (and curves) until dismissed or resumed.
  const [stoppedHere, setStoppedHere] = useState<ReadonlySet<number>>(new Set());
  const stopped = runs.filter(
    (r) => stoppedHere.has(r.runId) && (r.status === 'cancelled' || r.status === 'failed'),
  );
  const events = useRunEvents([...inFlight, ...stopped].map((r) => r.runId));
  const panel = useRef<HTMLDivElement>(null);
  const [started, setStarted] = useState(0);
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
    if (s && (s.status === 'cancelled' || s.status === 'failed'))
      setStoppedHere((all) => new Set([...all, s.runId]));
  }, [events.lastStatus]);

  const start = async (config: RunConfigInput): Promise<AppErrorShape | null> => {
    const r = await api.run.start({ config });
    if (!r.ok) return r.error;
    setOpenRevision((n) => n + 1); // re-read the list now, not only on the status event
    setStarted((n) => n + 1);
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
    if (r.ok) {
      setOpenRevision((n) => n + 1);
      setStarted((n) => n + 1);
    } else setError(r.error);
  };
  const dismiss = (runId: number) => setStoppedHere((all) => new Set([...all].filter((id) => id !== runId)));
  useEffect(() => {
    // A run just started: its panel is at the top; bring it into view.
    if (started > 0) panel.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [started]);
  return (
    <div className="training">
      <div ref={panel} className="running-panels">
        <RunningPanel
          runs={[...inFlight, ...stopped]}
          progress={events.progress}
          curves={events.curves}
          cancelling={cancelling}
          onCancel={(id) => void cancel(id)}
          onResume={(id) => {
            dismiss(id);
            void resume(id);
          }}
          onDismiss={dismiss}
        />
      </div>
      <RunForm
        datasets={datasets}
        busy={inFlight.length > 0}
        onStart={start}
        onEditAugmentation={onEditAugmentation}
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
      {ws.datasetId !== null ? (
        <AssistantPanel
          key={`${ws.datasetId}:${ws.task}`}
          datasetId={ws.datasetId}
          datasetName={datasets.find((d) => d.id === ws.datasetId)?.name ?? String(ws.datasetId)}
          task={ws.task}
        />
      ) : null}
    </div>
  );
};
