import { useEffect, useState } from 'react';
import type { JobInfo } from '../../shared/contract/index';
import { useApi } from '../api-context';
import { formatDuration, formatRate } from './format';

/** Merges one update into the list (newest state wins), keeping start order. */
export const mergeJob = (jobs: JobInfo[], update: JobInfo): JobInfo[] =>
  jobs.some((j) => j.id === update.id)
    ? jobs.map((j) => (j.id === update.id ? update : j))
    : [...jobs, update];

/**
 * Background jobs in the status bar: each running job with its progress, rate, ETA and a cancel
 * button; the last finished job's outcome stays visible. State comes from the main process, so a
 * reloaded window (or a restarted host) shows the truth after `jobs:list`.
 */
export const JobsIndicator = () => {
  const api = useApi();
  const [jobs, setJobs] = useState<JobInfo[]>([]);
  useEffect(() => {
    let live = true;
    const unsubscribe = api.jobs.onUpdate((job) => setJobs((list) => mergeJob(list, job)));
    void api.jobs.list({}).then((r) => {
      if (live && r.ok) setJobs((list) => r.value.reduce(mergeJob, list));
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [api]);
  const running = jobs.filter((j) => j.state === 'running');
  const lastFinished = [...jobs].reverse().find((j) => j.state !== 'running');
  return (
    <div className="jobs" role="group" aria-label="Background jobs">
      {running.map((job) => (
        <span key={job.id} className="job" data-testid="job-running">
          <span>{job.title}</span>
          <progress
            max={job.total ?? undefined}
            value={job.total === null ? undefined : job.done}
            aria-label={`${job.title} progress`}
          />
          <span className="muted">
            {job.done}
            {job.total !== null ? `/${job.total}` : ''} · {formatRate(job.ratePerSecond)} · ETA{' '}
            {formatDuration(job.etaSeconds)}
          </span>
          {job.cancellable ? (
            <button
              type="button"
              className="link-button"
              onClick={() => void api.jobs.cancel({ id: job.id })}
              aria-label={`Cancel ${job.title}`}
            >
              Cancel
            </button>
          ) : null}
        </span>
      ))}
      {running.length === 0 && lastFinished ? (
        <span className={`job job-${lastFinished.state}`} data-testid="job-finished">
          {lastFinished.title}: {lastFinished.state}
          {lastFinished.message ? ` — ${lastFinished.message}` : ''}
        </span>
      ) : null}
    </div>
  );
};
