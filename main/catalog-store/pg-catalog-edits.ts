import { AppError } from '../../shared/contract/result';
import type { ImageFlag } from '../../shared/contract/catalog';
import { DEFAULT_FLAG_REASON } from '../catalog/catalog-flags';
import {
  claimApplied,
  conflictMessage,
  labelConflict,
  type LabelVersionRow,
} from '../catalog/label-versions';
import type { SetFlagInput, SetLabelsInput, SetNoteInput } from './catalog-store';
import type { PgPool, PgQuery } from './pg-pool';

/** The channel every pg catalog write notifies (payload: `{datasetId, kind, imageIds}`). */
export const CHANGE_CHANNEL = 'sonofuse_catalog';

/** The label-version claim of label-versions.ts in PostgreSQL spelling ($1 image, $2 task, $3 user, $4 at, $5 base). */
const CLAIM_LABEL_VERSION_PG = `
  INSERT INTO label_versions (image_id, task_id, version, by_user, at) VALUES ($1, $2, 1, $3, $4)
  ON CONFLICT (image_id, task_id) DO UPDATE
    SET version = label_versions.version + 1, by_user = excluded.by_user, at = excluded.at
    WHERE $5::integer IS NULL OR label_versions.version = $5::integer
  RETURNING version`;

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
  const nextBatch = async (query: PgQuery): Promise<number> =>
    (await query<{ id: number }>(`SELECT nextval('history_batch_seq') AS id`))[0]!.id;
  const labelsOf = async (query: PgQuery, imageId: number, taskId: number): Promise<string[]> =>
    (
      await query<{ name: string }>(
        `SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
         WHERE l.image_id = $1 AND l.task_id = $2 ORDER BY c.ordinal`,
        [imageId, taskId],
      )
    ).map((r) => r.name);
  const versionOf = async (query: PgQuery, imageId: number, taskId: number): Promise<LabelVersionRow> => {
    const row = (
      await query<{ version: number; by_user: string; at: string }>(
        'SELECT version, by_user, at FROM label_versions WHERE image_id = $1 AND task_id = $2',
        [imageId, taskId],
      )
    )[0];
    return row ? { version: row.version, by: row.by_user, at: row.at } : { version: 0, by: null, at: null };
  };

  return {
    async setLabels(input: SetLabelsInput) {
      const by = await user();
      return pool.transaction(async (query) => {
        const datasetId = await imageDataset(query, input.imageId);
        await query(
          `INSERT INTO label_tasks (dataset_id, name, kind, created_at) SELECT $1, 'label', 'single', $2
           WHERE $3 = 'label' ON CONFLICT DO NOTHING`,
          [datasetId, nowIso(), input.task],
        );
        const task = (
          await query<{ id: number; kind: 'single' | 'multi' }>(
            'SELECT id, kind FROM label_tasks WHERE dataset_id = $1 AND name = $2',
            [datasetId, input.task],
          )
        )[0];
        if (!task) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${input.task}"`);
        const labels = [...new Set(input.labels.map((l) => l.trim()).filter(Boolean))];
        if (task.kind === 'single' && labels.length > 1)
          throw new AppError('INVALID_INPUT', 'this task takes one label per image');
        // Serialise writers of this (image, task): the claim below decides, this keeps `before` exact.
        await query('SELECT pg_advisory_xact_lock($1, $2)', [task.id, input.imageId]);
        const before = await labelsOf(query, input.imageId, task.id);
        await query('DELETE FROM image_labels WHERE image_id = $1 AND task_id = $2', [
          input.imageId,
          task.id,
        ]);
        for (const name of labels) {
          await query(
            `INSERT INTO label_classes (task_id, name, ordinal)
             VALUES ($1, $2, (SELECT coalesce(max(ordinal), -1) + 1 FROM label_classes WHERE task_id = $1))
             ON CONFLICT (task_id, name) DO NOTHING`,
            [task.id, name],
          );
          await query(
            `INSERT INTO image_labels (image_id, task_id, class_id)
             SELECT $1, $2, id FROM label_classes WHERE task_id = $2 AND name = $3 ON CONFLICT DO NOTHING`,
            [input.imageId, task.id, name],
          );
        }
        const after = await labelsOf(query, input.imageId, task.id);
        if (before.join('\u0000') === after.join('\u0000'))
          return {
            labels: after,
            batchId: null,
            version: (await versionOf(query, input.imageId, task.id)).version,
          };
        const base = input.baseVersion ?? null;
        const seen = base === null ? null : await versionOf(query, input.imageId, task.id);
        const claimed =
          seen && seen.version !== base
            ? undefined
            : (
                await query<{ version: number }>(CLAIM_LABEL_VERSION_PG, [
                  input.imageId,
                  task.id,
                  by,
                  nowIso(),
                  base,
                ])
              )[0]?.version;
        if (!claimApplied(claimed, base)) {
          const conflict = labelConflict(
            input.imageId,
            input.task,
            seen ?? (await versionOf(query, input.imageId, task.id)),
            before,
          );
          throw new AppError('CONFLICT', conflictMessage([conflict]), [conflict]);
        }
        const batchId = await nextBatch(query);
        await history(query, {
          batchId,
          imageId: input.imageId,
          kind: 'label',
          taskId: task.id,
          from: before,
          to: after,
          user: by,
          reason: input.reason,
          suggestion: input.suggestion ?? null,
        });
        await notify(query, datasetId, 'labels', [input.imageId]);
        return { labels: after, batchId, version: claimed! };
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
        const batchId = await nextBatch(query);
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
        const batchId = await nextBatch(query);
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
