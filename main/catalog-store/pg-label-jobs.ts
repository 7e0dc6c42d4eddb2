import type { LabelJob } from '../../shared/contract/label-jobs';
import { AppError } from '../../shared/contract/result';
import type { PgPool, PgQuery } from './pg-pool';

interface JobRow {
  id: string | number;
  dataset_id: string | number;
  task: string;
  assignee: string;
  created_by: string;
  created_at: string;
  images: string | number;
  labelled: string | number;
}

const JOB_SELECT = `
  SELECT j.id, t.dataset_id, t.name AS task, j.assignee, j.created_by, j.created_at,
    (SELECT count(*) FROM label_job_images ji WHERE ji.job_id = j.id) AS images,
    (SELECT count(*) FROM label_job_images ji WHERE ji.job_id = j.id
       AND EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = ji.image_id AND l.task_id = j.task_id)) AS labelled
  FROM label_jobs j JOIN label_tasks t ON t.id = j.task_id`;

/** 'SJ' << 48: the base of the hand-out locks' keys. */
const JOB_LOCK = 0x534an << 48n;

const toJob = (r: JobRow): LabelJob => ({
  id: Number(r.id),
  datasetId: Number(r.dataset_id),
  task: r.task,
  assignee: r.assignee,
  createdBy: r.created_by,
  createdAt: r.created_at,
  images: Number(r.images),
  labelled: Number(r.labelled),
});

/**
 * The work split (main/catalog/label-jobs.ts) on PostgreSQL. Handing out a batch takes a
 * transaction-scoped advisory lock on the task, so two leads assigning at once never put one image
 * in two batches; the batch is recorded as created by the signed-in role.
 */
export const createPgLabelJobs = (pool: PgPool, currentUser: () => Promise<string>) => {
  const taskId = async (query: PgQuery, datasetId: number, task: string): Promise<number> => {
    const row = (
      await query<{ id: string | number }>('SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = $2', [
        datasetId,
        task,
      ])
    )[0];
    if (!row) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${task}"`);
    return Number(row.id);
  };
  return {
    async create(input: {
      datasetId: number;
      task: string;
      assignee: string;
      size: number;
    }): Promise<LabelJob> {
      const by = await currentUser();
      return pool.transaction(async (query) => {
        const task = await taskId(query, input.datasetId, input.task);
        // One hand-out per task at a time. A single 64-bit key: apart from the (int, int) keys of
        // label writes (PostgreSQL keeps the two key spaces apart).
        await query('SELECT pg_advisory_xact_lock($1::bigint)', [(JOB_LOCK + BigInt(task)).toString()]);
        const free = await query<{ id: string | number }>(
          `SELECT i.id FROM images i
           WHERE i.dataset_id = $1
             AND NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id AND l.task_id = $2)
             AND NOT EXISTS (SELECT 1 FROM label_job_images ji JOIN label_jobs j ON j.id = ji.job_id
                             WHERE ji.image_id = i.id AND j.task_id = $2)
           ORDER BY i.id LIMIT $3`,
          [input.datasetId, task, input.size],
        );
        if (free.length === 0)
          throw new AppError(
            'CONFLICT',
            'every unlabeled image of this task is labelled or in a batch already',
          );
        const jobId = Number(
          (
            await query<{ id: string | number }>(
              'INSERT INTO label_jobs (task_id, assignee, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
              [task, input.assignee, by, new Date().toISOString()],
            )
          )[0]!.id,
        );
        await query(
          `INSERT INTO label_job_images (job_id, image_id, ordinal)
           SELECT $1, id, ord - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS u(id, ord)`,
          [jobId, free.map((r) => Number(r.id))],
        );
        return toJob((await query<JobRow>(`${JOB_SELECT} WHERE j.id = $1`, [jobId]))[0]!);
      });
    },
    async list(input: { datasetId: number; task?: string; assignee?: string }): Promise<LabelJob[]> {
      return (
        await pool.query<JobRow>(
          `${JOB_SELECT} WHERE t.dataset_id = $1 AND ($2::text IS NULL OR t.name = $2) AND ($3::text IS NULL OR j.assignee = $3)
           ORDER BY j.id DESC`,
          [input.datasetId, input.task ?? null, input.assignee ?? null],
        )
      ).map(toJob);
    },
    async queue(jobId: number, limit: number): Promise<number[]> {
      if ((await pool.query('SELECT 1 FROM label_jobs WHERE id = $1', [jobId])).length === 0)
        throw new AppError('NOT_FOUND', `no batch ${jobId}`);
      return (
        await pool.query<{ image_id: string | number }>(
          `SELECT ji.image_id FROM label_job_images ji JOIN label_jobs j ON j.id = ji.job_id
           WHERE ji.job_id = $1
             AND NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = ji.image_id AND l.task_id = j.task_id)
           ORDER BY ji.ordinal LIMIT $2`,
          [jobId, limit],
        )
      ).map((r) => Number(r.image_id));
    },
  };
};

export type PgLabelJobs = ReturnType<typeof createPgLabelJobs>;
