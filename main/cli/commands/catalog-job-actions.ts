import type { LabelJob } from '../../../shared/contract/label-jobs';
import { UsageError, type CliIo } from '../command';

/** The work-split actions of `sonofuse catalog`: hand out batches, list them, a batch's queue. */
export const JOB_ACTIONS = ['assign-batch', 'batches', 'batch-queue'] as const;
export const JOB_USAGE =
  '       sonofuse catalog assign-batch --dataset NAME --assignee USER --size N [--task NAME] [--db FILE] [--user NAME] [--json]\n' +
  '       sonofuse catalog batches --dataset NAME [--assignee USER] [--task NAME] [--db FILE] [--json]\n' +
  '       sonofuse catalog batch-queue --dataset NAME --batch ID [--db FILE] [--json]';

/** "batch 3  view  ana  12/50 labelled  (by lead, 2026-12-04T…)" */
export const formatJob = (j: LabelJob): string =>
  `batch ${j.id}  ${j.task}  ${j.assignee}  ${j.labelled}/${j.images} labelled  (by ${j.createdBy}, ${j.createdAt})`;

const whole = (value: string | undefined, flag: string): number => {
  const n = Number(value);
  if (!value || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a whole number >= 1`);
  return n;
};

/**
 * What the actions need of a catalog: the SQLite catalog service, or on PostgreSQL
 * createPgLabelJobs (main/catalog-store/pg-label-jobs.ts) seen through {@link pgJobsPort}.
 */
export interface LabelJobsPort {
  createLabelJob(input: {
    datasetId: number;
    task: string;
    assignee: string;
    size: number;
    user: string;
  }): LabelJob | Promise<LabelJob>;
  labelJobs(input: { datasetId: number; task?: string; assignee?: string }): LabelJob[] | Promise<LabelJob[]>;
  labelJobQueue(jobId: number, limit?: number): number[] | Promise<number[]>;
}

/** The PostgreSQL batches as a {@link LabelJobsPort} (the creator is the signed-in role). */
export const pgJobsPort = (jobs: {
  create(input: { datasetId: number; task: string; assignee: string; size: number }): Promise<LabelJob>;
  list(input: { datasetId: number; task?: string; assignee?: string }): Promise<LabelJob[]>;
  queue(jobId: number, limit: number): Promise<number[]>;
}): LabelJobsPort => ({
  createLabelJob: ({ user: _, ...input }) => jobs.create(input),
  labelJobs: (input) => jobs.list(input),
  labelJobQueue: (jobId, limit = 1000) => jobs.queue(jobId, limit),
});

/** Runs one work-split action (`dataset` is the resolved --dataset id). */
export const runJobAction = async (
  action: (typeof JOB_ACTIONS)[number],
  catalog: LabelJobsPort,
  values: {
    dataset: number;
    task: string;
    assignee?: string;
    size?: string;
    batch?: string;
    user: string;
    json: boolean;
  },
  io: CliIo,
): Promise<void> => {
  if (action === 'assign-batch') {
    if (!values.assignee?.trim()) throw new UsageError('--assignee is required');
    const job = await catalog.createLabelJob({
      datasetId: values.dataset,
      task: values.task,
      assignee: values.assignee.trim(),
      size: whole(values.size, '--size'),
      user: values.user,
    });
    io.out(values.json ? JSON.stringify(job) : `Assigned ${formatJob(job)}`);
  } else if (action === 'batches') {
    const jobs = await catalog.labelJobs({
      datasetId: values.dataset,
      task: values.task,
      ...(values.assignee ? { assignee: values.assignee } : {}),
    });
    if (values.json) io.out(JSON.stringify(jobs));
    else if (jobs.length === 0) io.out('No batches.');
    else for (const j of jobs) io.out(formatJob(j));
  } else {
    const ids = await catalog.labelJobQueue(whole(values.batch, '--batch'), 1000);
    io.out(
      values.json
        ? JSON.stringify(ids)
        : ids.length
          ? ids.join(' ')
          : 'Every image of the batch is labelled.',
    );
  }
};
