import { AppError, type LabelConflict } from '../../shared/contract/result';
import { conflictMessage, labelConflict } from '../catalog/label-versions';
import type { BulkRelabelInput, UndoInput } from './catalog-store';
import { CHANGE_CHANNEL } from './pg-catalog-edits';
import {
  pgCheckLabels,
  pgLabelsOf,
  pgNextBatch,
  pgRelabel,
  pgTaskFor,
  pgVersionOf,
  throwConflicts,
} from './pg-label-writes';
import type { PgPool, PgQuery } from './pg-pool';

const nowIso = (): string => new Date().toISOString();
/** Ids in a change notification (the grid re-reads its page anyway). */
const NOTIFY_IDS = 100;

const notify = (query: PgQuery, datasetId: number | null, kind: string, imageIds: number[]) =>
  query('SELECT pg_notify($1, $2)', [
    CHANGE_CHANNEL,
    JSON.stringify({ datasetId, kind, imageIds: imageIds.slice(0, NOTIFY_IDS) }),
  ]);

interface BatchRow {
  id: number;
  image_id: number;
  kind: 'label' | 'note' | 'flag';
  task_id: number | null;
  task: string | null;
  from_value: string | null;
  to_value: string | null;
}

/**
 * Bulk relabel and undo on PostgreSQL, each one transaction with one history batch, attributed to
 * the signed-in role. Label writes go through pgRelabel (the per-(task, image) advisory lock, the
 * version claim), taken in ascending image order so two bulk writers never deadlock.
 */
export const createPgBatchEdits = (pool: PgPool, user: () => Promise<string>) => ({
  /** Same semantics as the SQLite catalog's bulkRelabel: any stale base refuses the whole change. */
  async bulkRelabel(input: BulkRelabelInput): Promise<{ changed: number; batchId: number | null }> {
    if (!input.imageIds && input.from === undefined)
      throw new AppError('INVALID_INPUT', 'give imageIds, a current class (from), or both');
    const by = await user();
    const bases = new Map((input.baseVersions ?? []).map((b) => [b.imageId, b.version] as const));
    const accepted = new Map(
      (input.suggestions ?? []).map((x) => [x.imageId, { modelId: x.modelId, p: x.p }] as const),
    );
    return pool.transaction(async (query) => {
      const task = await pgTaskFor(query, input.datasetId, input.task);
      const labels = pgCheckLabels(task.kind, input.to);
      let ids = (
        await query<{ id: number }>(
          `SELECT id FROM images WHERE dataset_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
           ORDER BY id`,
          [input.datasetId, input.imageIds ?? null],
        )
      ).map((r) => Number(r.id));
      if (input.from !== undefined) {
        const withFrom = new Set(
          (
            await query<{ image_id: number }>(
              `SELECT l.image_id FROM image_labels l JOIN label_classes c ON c.id = l.class_id
               WHERE l.task_id = $1 AND c.name = $2`,
              [task.id, input.from],
            )
          ).map((r) => Number(r.image_id)),
        );
        ids = ids.filter((id) => withFrom.has(id));
      }
      const batchId = await pgNextBatch(query);
      let changed = 0;
      const conflicts: LabelConflict[] = [];
      for (const id of ids) {
        const outcome = await pgRelabel(query, {
          imageId: id,
          taskId: task.id,
          taskName: input.task,
          labels,
          batchId,
          user: by,
          reason: input.reason,
          origin: 'edit',
          suggestion: accepted.get(id) ?? null,
          base: bases.get(id) ?? null,
        });
        if (typeof outcome === 'object') conflicts.push(outcome);
        else if (outcome) changed++;
      }
      throwConflicts(conflicts);
      if (changed > 0) await notify(query, input.datasetId, 'labels', ids);
      return { changed, batchId: changed > 0 ? batchId : null };
    });
  },

  /**
   * Undoes the newest edit batch not undone yet (of the signed-in role when `mine`, or exactly
   * `batchId`), as a new batch by the signed-in role. Refused with CONFLICT (who/when per image)
   * when another user changed one of the batch's labels after it: an undo must not wipe their work
   * (the same rule as the SQLite catalog's undo: undo rows and changes undone since do not count).
   */
  async undo(input: UndoInput): Promise<{ batchId: number | null; undone: number }> {
    const by = await user();
    const pick = (query: PgQuery) =>
      query<{ batch_id: number }>(
        `SELECT h.batch_id FROM history h
         WHERE h.origin = 'edit' AND ($1::text IS NULL OR h."user" = $1::text)
           AND ($2::bigint IS NULL OR h.batch_id = $2::bigint)
           AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes_batch = h.batch_id)
         ORDER BY h.batch_id DESC LIMIT 1`,
        [input.mine ? by : null, input.batchId ?? null],
      );
    return pool.transaction(async (query) => {
      const target = (await pick(query))[0];
      if (!target) return { batchId: null, undone: 0 };
      const undoes = Number(target.batch_id);
      const rows = await query<BatchRow>(
        `SELECT h.id, h.image_id, h.kind, h.task_id, t.name AS task, h.from_value, h.to_value
         FROM history h LEFT JOIN label_tasks t ON t.id = h.task_id WHERE h.batch_id = $1 ORDER BY h.id DESC`,
        [undoes],
      );
      // The writers' locks, in one order (label pairs, then flag/note keys), then check again:
      // of two workstations undoing the same batch at once, the second finds it undone.
      const labelRows = rows
        .filter((r) => r.kind === 'label')
        .sort((a, b) => Number(a.task_id) - Number(b.task_id) || Number(a.image_id) - Number(b.image_id));
      for (const r of labelRows) await query('SELECT pg_advisory_xact_lock($1, $2)', [r.task_id, r.image_id]);
      for (const id of [
        ...new Set(rows.filter((r) => r.kind !== 'label').map((r) => Number(r.image_id))),
      ].sort((a, b) => a - b))
        await query('SELECT pg_advisory_xact_lock(0, $1)', [id]);
      if ((await pick(query)).every((t) => Number(t.batch_id) !== undoes))
        return { batchId: null, undone: 0 };
      const conflicts: LabelConflict[] = [];
      for (const r of labelRows) {
        const later = (
          await query<{ user: string; at: string }>(
            `SELECT h."user", h.at FROM history h WHERE h.kind = 'label' AND h.image_id = $1 AND h.task_id = $2
               AND h.batch_id > $3 AND h."user" <> $4 AND h.origin <> 'undo'
               AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes_batch = h.batch_id)
             ORDER BY h.id DESC LIMIT 1`,
            [r.image_id, r.task_id, undoes, by],
          )
        )[0];
        if (later) {
          const now = await pgVersionOf(query, r.image_id, r.task_id!);
          conflicts.push(
            labelConflict(
              Number(r.image_id),
              r.task ?? '',
              { version: now.version, by: later.user, at: later.at },
              await pgLabelsOf(query, r.image_id, r.task_id!),
            ),
          );
        }
      }
      if (conflicts.length > 0)
        throw new AppError(
          'CONFLICT',
          `cannot undo change ${undoes}: ${conflictMessage(conflicts)}`,
          conflicts,
        );
      const batchId = await pgNextBatch(query);
      const reason = `undo of change ${undoes}`;
      for (const r of rows) {
        const from: unknown = r.from_value === null ? null : JSON.parse(r.from_value);
        if (r.kind === 'label') {
          await pgRelabel(query, {
            imageId: r.image_id,
            taskId: r.task_id!,
            taskName: r.task ?? '',
            labels: from as string[],
            batchId,
            user: by,
            reason,
            origin: 'undo',
            undoes,
          });
          continue;
        }
        const value = from as string | null;
        if (r.kind === 'flag') {
          if (value === null) await query('DELETE FROM image_flags WHERE image_id = $1', [r.image_id]);
          else
            await query(
              `INSERT INTO image_flags (image_id, reason, flagged_by, flagged_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (image_id) DO UPDATE SET reason = excluded.reason, flagged_by = excluded.flagged_by, flagged_at = excluded.flagged_at`,
              [r.image_id, value, by, nowIso()],
            );
        } else if (value === null) await query('DELETE FROM notes WHERE image_id = $1', [r.image_id]);
        else
          await query(
            `INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (image_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
            [r.image_id, value, nowIso(), by],
          );
        await query(
          `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, "user", reason, origin, undoes_batch, at)
           VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, 'undo', $8, $9)`,
          [
            batchId,
            r.image_id,
            r.kind,
            r.to_value ?? 'null',
            JSON.stringify(value),
            by,
            reason,
            undoes,
            nowIso(),
          ],
        );
      }
      const datasetId =
        rows.length === 0
          ? null
          : Number(
              (
                await query<{ d: number }>('SELECT dataset_id AS d FROM images WHERE id = $1', [
                  rows[0]!.image_id,
                ])
              )[0]?.d ?? null,
            );
      await notify(
        query,
        datasetId,
        'undo',
        rows.map((r) => Number(r.image_id)),
      );
      return { batchId, undone: rows.length };
    });
  },
});
