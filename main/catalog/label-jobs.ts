import type { LabelJob } from '../../shared/contract/label-jobs';
import { AppError } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';

interface JobRow {
  id: number;
  dataset_id: number;
  task: string;
  assignee: string;
  created_by: string;
  created_at: string;
  images: number;
  labelled: number;
}

const JOB_SELECT = `
  SELECT j.id, t.dataset_id, t.name AS task, j.assignee, j.created_by, j.created_at,
    (SELECT count(*) FROM label_job_images ji WHERE ji.job_id = j.id) AS images,
    (SELECT count(*) FROM label_job_images ji WHERE ji.job_id = j.id
       AND EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = ji.image_id AND l.task_id = j.task_id)) AS labelled
  FROM label_jobs j JOIN label_tasks t ON t.id = j.task_id`;

const toJob = (r: JobRow): LabelJob => ({
  id: r.id,
  datasetId: r.dataset_id,
  task: r.task,
  assignee: r.assignee,
  createdBy: r.created_by,
  createdAt: r.created_at,
  images: r.images,
  labelled: r.labelled,
});

/**
 * The work split: batches of unlabeled images of one task, each assigned to one labeler. An image
 * is in at most one batch of a task, so two labelers given batches never get the same image; the
 * labeling queue of a batch is its images still unlabeled, in batch order.
 */
export const createLabelJobs = (cdb: CatalogDb) => {
  const taskId = (datasetId: number, task: string): number => {
    const row = cdb.get<{ id: number }>(
      'job.task',
      'SELECT id FROM label_tasks WHERE dataset_id = ? AND name = ?',
      datasetId,
      task,
    );
    if (!row) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${task}"`);
    return row.id;
  };
  const jobs = {
    create(input: {
      datasetId: number;
      task: string;
      assignee: string;
      size: number;
      user: string;
    }): LabelJob {
      const id = cdb.transaction(() => {
        const task = taskId(input.datasetId, input.task);
        const free = cdb.all<{ id: number }>(
          'job.freeImages',
          `SELECT i.id FROM images i
           WHERE i.dataset_id = ?
             AND NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id AND l.task_id = ?)
             AND NOT EXISTS (SELECT 1 FROM label_job_images ji JOIN label_jobs j ON j.id = ji.job_id
                             WHERE ji.image_id = i.id AND j.task_id = ?)
           ORDER BY i.id LIMIT ?`,
          input.datasetId,
          task,
          task,
          input.size,
        );
        if (free.length === 0)
          throw new AppError(
            'CONFLICT',
            'every unlabeled image of this task is labelled or in a batch already',
          );
        const jobId = Number(
          cdb.run(
            'job.insert',
            'INSERT INTO label_jobs (task_id, assignee, created_by, created_at) VALUES (?, ?, ?, ?)',
            task,
            input.assignee,
            input.user,
            new Date().toISOString(),
          ).lastInsertRowid,
        );
        free.forEach((r, ordinal) =>
          cdb.run(
            'job.addImage',
            'INSERT INTO label_job_images (job_id, image_id, ordinal) VALUES (?, ?, ?)',
            jobId,
            r.id,
            ordinal,
          ),
        );
        return jobId;
      });
      return toJob(cdb.get<JobRow>('job.get', `${JOB_SELECT} WHERE j.id = ?`, id)!);
    },
    list(input: { datasetId: number; task?: string; assignee?: string }): LabelJob[] {
      return cdb
        .all<JobRow>(
          'job.list',
          `${JOB_SELECT} WHERE t.dataset_id = ? AND (? IS NULL OR t.name = ?) AND (? IS NULL OR j.assignee = ?)
           ORDER BY j.id DESC`,
          input.datasetId,
          input.task ?? null,
          input.task ?? null,
          input.assignee ?? null,
          input.assignee ?? null,
        )
        .map(toJob);
    },
    queue(jobId: number, limit: number): number[] {
      if (!cdb.get('job.exists', 'SELECT 1 FROM label_jobs WHERE id = ?', jobId))
        throw new AppError('NOT_FOUND', `no batch ${jobId}`);
      return cdb
        .all<{ image_id: number }>(
          'job.queue',
          `SELECT ji.image_id FROM label_job_images ji JOIN label_jobs j ON j.id = ji.job_id
           WHERE ji.job_id = ?
             AND NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = ji.image_id AND l.task_id = j.task_id)
           ORDER BY ji.ordinal LIMIT ?`,
          jobId,
          limit,
        )
        .map((r) => r.image_id);
    },
  };
  return jobs;
};

export type LabelJobs = ReturnType<typeof createLabelJobs>;
