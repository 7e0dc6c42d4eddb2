import { useCallback, useEffect, useState } from 'react';
import type { AppErrorShape, LabelJob, SonoFuseApi } from '../../shared/contract/index';
import type { LabelingQueue } from '../assistant/labeling-queue';
import { useApi } from '../api-context';
import { ErrorMessage } from '../components/error-message';

/** The labeling queue of a batch: its images still unlabeled, in batch order. */
export const createBatchQueue = (api: SonoFuseApi, jobId: number): LabelingQueue => ({
  async next(exclude) {
    const r = await api.catalog.labelJobQueue({ jobId, limit: 200 });
    if (!r.ok) return null;
    return r.value.find((id) => !exclude.has(id)) ?? null;
  },
});

/**
 * "My batches" of the labeling view: the signed-in labeler's batches of this task with their
 * progress (pick one and the labeling queue follows it), and handing out a new batch of N
 * unlabeled images to a labeler.
 */
export const LabelBatches = ({
  datasetId,
  task,
  user,
  activeId,
  onPick,
  refresh = 0,
}: {
  datasetId: number;
  task: string;
  user: string;
  /** The batch the queue follows now (null: the list order). */
  activeId: number | null;
  onPick: (job: LabelJob | null) => void;
  /** Bumped when labels changed (progress re-read). */
  refresh?: number;
}) => {
  const api = useApi();
  const [jobs, setJobs] = useState<LabelJob[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [assignee, setAssignee] = useState(user);
  const [size, setSize] = useState(50);
  const load = useCallback(async () => {
    const r = await api.catalog.labelJobs({ datasetId, task, assignee: user });
    if (r.ok) setJobs(r.value);
    else setError(r.error);
  }, [api, datasetId, task, user]);
  useEffect(() => void load(), [load, refresh]);

  const assign = async () => {
    const r = await api.catalog.createLabelJob({ datasetId, task, assignee: assignee.trim(), size, user });
    if (!r.ok) return setError(r.error);
    setError(null);
    await load();
  };

  return (
    // Collapsed until the labeler has a batch: the image, not the work split, leads the screen.
    <details className="label-batches" aria-label="My batches" open={jobs.length > 0 ? true : undefined}>
      <summary>
        My batches <span className="muted">{jobs.length === 0 ? '(none assigned)' : `(${jobs.length})`}</span>
      </summary>
      {jobs.length === 0 ? (
        <p className="muted">No batch is assigned to {user} in this task.</p>
      ) : (
        <ul>
          {jobs.map((j) => (
            <li key={j.id}>
              <label>
                <input
                  type="radio"
                  name="label-batch"
                  checked={activeId === j.id}
                  onChange={() => onPick(j)}
                />
                Batch {j.id}: {j.labelled} / {j.images} labelled
              </label>
            </li>
          ))}
          <li>
            <label>
              <input
                type="radio"
                name="label-batch"
                checked={activeId === null}
                onChange={() => onPick(null)}
              />
              No batch (list order)
            </label>
          </li>
        </ul>
      )}
      <form
        className="assign-batch"
        onSubmit={(e) => {
          e.preventDefault();
          void assign();
        }}
      >
        <label>
          Labeler <input value={assignee} onChange={(e) => setAssignee(e.target.value)} />
        </label>
        <label>
          Images{' '}
          <input
            type="number"
            min={1}
            max={10000}
            value={size}
            onChange={(e) => setSize(Math.max(1, Math.round(Number(e.target.value) || 1)))}
          />
        </label>
        <button type="submit" className="button small" disabled={!assignee.trim()}>
          Assign batch
        </button>
      </form>
      {error && <ErrorMessage error={error} />}
    </details>
  );
};
