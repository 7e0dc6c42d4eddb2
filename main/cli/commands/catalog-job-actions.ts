import type { LabelJob } from '../../../shared/contract/label-jobs';
import type { CatalogService } from '../../catalog/catalog-service';
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

/** Runs one work-split action on an open catalog (`dataset` is the resolved --dataset id). */
export const runJobAction = (
  action: (typeof JOB_ACTIONS)[number],
  catalog: CatalogService,
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
): void => {
  if (action === 'assign-batch') {
    if (!values.assignee?.trim()) throw new UsageError('--assignee is required');
    const job = catalog.createLabelJob({
      datasetId: values.dataset,
      task: values.task,
      assignee: values.assignee.trim(),
      size: whole(values.size, '--size'),
      user: values.user,
    });
    io.out(values.json ? JSON.stringify(job) : `Assigned ${formatJob(job)}`);
  } else if (action === 'batches') {
    const jobs = catalog.labelJobs({
      datasetId: values.dataset,
      task: values.task,
      ...(values.assignee ? { assignee: values.assignee } : {}),
    });
    if (values.json) io.out(JSON.stringify(jobs));
    else if (jobs.length === 0) io.out('No batches.');
    else for (const j of jobs) io.out(formatJob(j));
  } else {
    const ids = catalog.labelJobQueue(whole(values.batch, '--batch'), 1000);
    io.out(
      values.json
        ? JSON.stringify(ids)
        : ids.length
          ? ids.join(' ')
          : 'Every image of the batch is labelled.',
    );
  }
};
