import { randomUUID } from 'node:crypto';
import type { JobInfo } from '../../shared/contract/index';

/** What a running job's code holds: report progress, finish, and watch for cancellation. */
export interface JobHandle {
  readonly id: string;
  /** Aborted when the user cancels; long loops check it between items or batches. */
  readonly signal: AbortSignal;
  /**
   * `etaSeconds`, when the job knows its remaining time better than items/rate (a run's trainer
   * estimates it over the whole stage), is shown as is: the status bar and the job's own view then
   * agree on one ETA.
   */
  progress(done: number, total?: number | null, message?: string, etaSeconds?: number | null): void;
  succeed(message?: string): void;
  fail(message: string): void;
  /** Marks the job cancelled (call after stopping at a safe point). */
  cancelled(message?: string): void;
}

export interface JobRegistry {
  start(spec: { kind: string; title: string; total?: number | null; cancellable?: boolean }): JobHandle;
  list(): JobInfo[];
  cancel(id: string): boolean;
}

export interface JobRegistryOptions {
  emit: (job: JobInfo) => void;
  now?: () => number;
  /** Minimum interval between progress events of one job (state changes always go out). */
  throttleMs?: number;
  keepFinished?: number;
}

/**
 * Tracks background jobs for the status bar: smoothed rate (items/s, exponential moving average),
 * ETA, throttled progress events (~4 Hz) and cooperative cancellation through AbortSignals.
 */
export const createJobRegistry = (options: JobRegistryOptions): JobRegistry => {
  const now = options.now ?? Date.now;
  const throttleMs = options.throttleMs ?? 250;
  const keep = options.keepFinished ?? 50;
  const jobs = new Map<
    string,
    { info: JobInfo; controller: AbortController; lastEmit: number; lastAt: number; lastDone: number }
  >();

  const finishedIds = (): string[] =>
    [...jobs.values()].filter((j) => j.info.state !== 'running').map((j) => j.info.id);

  const settle = (id: string, state: JobInfo['state'], message: string | null): void => {
    const job = jobs.get(id);
    if (!job || job.info.state !== 'running') return;
    job.info = {
      ...job.info,
      state,
      message,
      finishedAt: new Date(now()).toISOString(),
      etaSeconds: state === 'succeeded' ? 0 : null,
    };
    options.emit(job.info);
    const finished = finishedIds();
    for (const old of finished.slice(0, Math.max(0, finished.length - keep))) jobs.delete(old);
  };

  return {
    start(spec) {
      const id = randomUUID();
      const controller = new AbortController();
      const at = now();
      const info: JobInfo = {
        id,
        kind: spec.kind,
        title: spec.title,
        state: 'running',
        done: 0,
        total: spec.total ?? null,
        ratePerSecond: null,
        etaSeconds: null,
        startedAt: new Date(at).toISOString(),
        finishedAt: null,
        message: null,
        cancellable: spec.cancellable ?? true,
      };
      jobs.set(id, { info, controller, lastEmit: at, lastAt: at, lastDone: 0 });
      options.emit(info);
      return {
        id,
        signal: controller.signal,
        progress(done, total, message, etaSeconds) {
          const job = jobs.get(id);
          if (!job || job.info.state !== 'running') return;
          const t = now();
          const dt = (t - job.lastAt) / 1000;
          let rate = job.info.ratePerSecond;
          if (dt > 0 && done > job.lastDone) {
            const instant = (done - job.lastDone) / dt;
            rate = rate === null ? instant : 0.7 * rate + 0.3 * instant;
            job.lastAt = t;
            job.lastDone = done;
          }
          const newTotal = total === undefined ? job.info.total : total;
          job.info = {
            ...job.info,
            done,
            total: newTotal,
            ratePerSecond: rate,
            etaSeconds:
              etaSeconds !== undefined
                ? etaSeconds === null
                  ? null
                  : Math.max(0, etaSeconds)
                : rate && newTotal !== null && rate > 0
                  ? Math.max(0, (newTotal - done) / rate)
                  : null,
            message: message ?? job.info.message,
          };
          if (t - job.lastEmit >= throttleMs || (newTotal !== null && done >= newTotal)) {
            job.lastEmit = t;
            options.emit(job.info);
          }
        },
        succeed: (message) => settle(id, 'succeeded', message ?? null),
        fail: (message) => settle(id, 'failed', message),
        cancelled: (message) => settle(id, 'cancelled', message ?? 'Cancelled by the user.'),
      };
    },
    list: () => [...jobs.values()].map((j) => j.info),
    cancel(id) {
      const job = jobs.get(id);
      if (!job || job.info.state !== 'running' || !job.info.cancellable) return false;
      job.controller.abort();
      return true;
    },
  };
};
