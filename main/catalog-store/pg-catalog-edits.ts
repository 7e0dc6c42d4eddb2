import { AppError } from '../../shared/contract/result';
import type { ImageFlag } from '../../shared/contract/catalog';
import { DEFAULT_FLAG_REASON } from '../catalog/catalog-flags';
import type { SetFlagInput, SetLabelsInput, SetNoteInput } from './catalog-store';
import {
  pgLabelsOf,
  pgNextBatch,
  pgRelabel,
  pgTaskFor,
  pgVersionOf,
  throwConflicts,
} from './pg-label-writes';
import type { PgPool, PgQuery } from './pg-pool';

/** The channel every pg catalog write notifies (payload: `{datasetId, kind, imageIds}`). */
export const CHANGE_CHANNEL = 'sonofuse_catalog';

const nowIso = (): string => new Date().toISOString();

/**
 * Label, note and flag writes on PostgreSQL, each in one transaction with its history row (batch id
 * from `history_batch_seq`) and a NOTIFY delivered at commit. Rows are attributed to `user()`: the
 * signed-in role (current_user), never a name the client claims.
 */
export const createPgEdits = (pool: PgPool, user: () => Promise<string>) => {
  const imageDataset = async (query: PgQuery, imageId: number): Promise<number> => {
    const row = (
      await query<{ dataset_id: number }>('SELECT dataset_id FROM images WHERE id = $1', [imageId])
    )[0];
    if (!row) throw new AppError('NOT_FOUND', `no image ${imageId}`);
    return row.dataset_id;
  };
  const notify = (query: PgQuery, datasetId: number, kind: string, imageIds: number[]) =>
    query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify({ datasetId, kind, imageIds })]);
  const history = (
    query: PgQuery,
    e: {
      batchId: number;
      imageId: number;
      kind: 'label' | 'note' | 'flag';
      taskId: number | null;
      from: unknown;
      to: unknown;
      user: string;
      reason: string;
      suggestion?: { modelId: string; p: number } | null;
    },
  ) =>
    query(
      `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, "user", reason, origin, at, suggestion_model, suggestion_p)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'edit', $9, $10, $11)`,
      [
        e.batchId,
        e.imageId,
        e.kind,
        e.taskId,
        JSON.stringify(e.from ?? null),
        JSON.stringify(e.to ?? null),
        e.user,
        e.reason,
        nowIso(),
        e.suggestion?.modelId ?? null,
        e.suggestion?.p ?? null,
      ],
    );
  return {
    async setLabels(input: SetLabelsInput) {
      const by = await user();
      return pool.transaction(async (query) => {
        const datasetId = await imageDataset(query, input.imageId);
        const task = await pgTaskFor(query, datasetId, input.task);
        const labels = [...new Set(input.labels.map((l) => l.trim()).filter(Boolean))];
        if (task.kind === 'single' && labels.length > 1)
          throw new AppError('INVALID_INPUT', 'this task takes one label per image');
        const batchId = await pgNextBatch(query);
        const outcome = await pgRelabel(query, {
          imageId: input.imageId,
          taskId: task.id,
          taskName: input.task,
          labels,
          batchId,
          user: by,
          reason: input.reason,
          origin: 'edit',
          suggestion: input.suggestion ?? null,
          base: input.baseVersion ?? null,
        });
        if (typeof outcome === 'object') throwConflicts([outcome]);
        const { version } = await pgVersionOf(query, input.imageId, task.id);
        if (outcome === false)
          return { labels: await pgLabelsOf(query, input.imageId, task.id), batchId: null, version };
        await notify(query, datasetId, 'labels', [input.imageId]);
        return { labels: await pgLabelsOf(query, input.imageId, task.id), batchId, version };
      });
    },
    async setNote(input: SetNoteInput) {
      const by = await user();
      return pool.transaction(async (query) => {
        const datasetId = await imageDataset(query, input.imageId);
        const before =
          (
            await query<{ text: string }>('SELECT text FROM notes WHERE image_id = $1 FOR UPDATE', [
              input.imageId,
            ])
          )[0]?.text ?? null;
        const after = input.text.trim() === '' ? null : input.text;
        if (before === after) return { batchId: null };
        if (after === null) await query('DELETE FROM notes WHERE image_id = $1', [input.imageId]);
        else
          await query(
            `INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (image_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
            [input.imageId, after, nowIso(), by],
          );
        const batchId = await pgNextBatch(query);
        await history(query, {
          batchId,
          imageId: input.imageId,
          kind: 'note',
          taskId: null,
          from: before,
          to: after,
          user: by,
          reason: input.reason,
        });
        await notify(query, datasetId, 'notes', [input.imageId]);
        return { batchId };
      });
    },
    async setFlag(input: SetFlagInput): Promise<{ flag: ImageFlag | null; batchId: number | null }> {
      const by = await user();
      return pool.transaction(async (query) => {
        const datasetId = await imageDataset(query, input.imageId);
        const flagOf = async () =>
          (
            await query<ImageFlag>(
              'SELECT reason, flagged_by AS "user", flagged_at AS at FROM image_flags WHERE image_id = $1',
              [input.imageId],
            )
          )[0] ?? null;
        await query('SELECT pg_advisory_xact_lock(0, $1)', [input.imageId]);
        const before = (await flagOf())?.reason ?? null;
        const after = input.flagged ? input.reason.trim() || DEFAULT_FLAG_REASON : null;
        if (before === after) return { flag: await flagOf(), batchId: null };
        if (after === null) await query('DELETE FROM image_flags WHERE image_id = $1', [input.imageId]);
        else
          await query(
            `INSERT INTO image_flags (image_id, reason, flagged_by, flagged_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (image_id) DO UPDATE SET reason = excluded.reason, flagged_by = excluded.flagged_by, flagged_at = excluded.flagged_at`,
            [input.imageId, after, by, nowIso()],
          );
        const batchId = await pgNextBatch(query);
        await history(query, {
          batchId,
          imageId: input.imageId,
          kind: 'flag',
          taskId: null,
          from: before,
          to: after,
          user: by,
          reason: input.flagged ? (after ?? '') : input.reason.trim(),
        });
        await notify(query, datasetId, 'flags', [input.imageId]);
        return { flag: await flagOf(), batchId };
      });
    },
  };
};
