import type { LabelClass, LabelTask, TaskChange } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import { matchClasses, plural, type TaskEditInput } from '../catalog/catalog-task-edits';
import { CHANGE_CHANNEL } from './pg-catalog-edits';
import { pgLabelsOf, pgNextBatch } from './pg-label-writes';
import type { PgPool, PgQuery } from './pg-pool';

const nowIso = (): string => new Date().toISOString();

/**
 * `catalog:editTask` and `catalog:taskHistory` on PostgreSQL with the SQLite catalog's semantics
 * (catalog-task-edits.ts, whose class matching both use): rename, reorder, recolour, add and remove
 * classes; a removed class still labelling images is CONFLICT unless `reassign` says where its labels
 * go; moved labels are one history batch (undoable); the task log gets the lists before and after,
 * by the signed-in role. Two editors of one task are serialised by the task's advisory lock.
 */
export const createPgTaskEdits = (
  pool: PgPool,
  user: () => Promise<string>,
  tasks: (datasetId: number) => Promise<LabelTask[]>,
) => {
  const taskOf = async (query: PgQuery, datasetId: number, name: string): Promise<number> => {
    const id = (
      await query<{ id: number }>('SELECT id FROM label_tasks WHERE dataset_id = $1 AND name = $2', [
        datasetId,
        name,
      ])
    )[0]?.id;
    if (id === undefined) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${name}"`);
    return Number(id);
  };
  const classesOf = async (query: PgQuery, taskId: number): Promise<LabelClass[]> =>
    query<LabelClass>(
      `SELECT c.name, p.name AS parent, c.colour FROM label_classes c
       LEFT JOIN label_classes p ON p.id = c.parent_id WHERE c.task_id = $1 ORDER BY c.ordinal`,
      [taskId],
    );

  return {
    async editTask(input: Omit<TaskEditInput, 'user'>): Promise<LabelTask> {
      const by = await user();
      await pool.transaction(async (query) => {
        const taskId = await taskOf(query, input.datasetId, input.task);
        await query('SELECT pg_advisory_xact_lock(1, $1)', [taskId]);
        const before = await classesOf(query, taskId);
        const existing = (
          await query<{ id: number; name: string }>(
            'SELECT id, name FROM label_classes WHERE task_id = $1 ORDER BY ordinal',
            [taskId],
          )
        ).map((r) => ({ id: Number(r.id), name: r.name }));
        const kept = matchClasses(existing, input.classes);
        const keptIds = new Set(kept.filter((r) => r !== null).map((r) => r!.id));
        const removed = existing.filter((r) => !keptIds.has(r.id));
        const blocked: Array<{ name: string; images: number }> = [];
        for (const r of removed) {
          const images = Number(
            (
              await query<{ n: number }>('SELECT count(*) AS n FROM image_labels WHERE class_id = $1', [r.id])
            )[0]!.n,
          );
          if (images > 0 && !(r.name in input.reassign)) blocked.push({ name: r.name, images });
          const target = input.reassign[r.name];
          if (target !== undefined && target !== null && !input.classes.some((c) => c.name === target))
            throw new AppError('INVALID_INPUT', `reassign target "${target}" is not a class of the new list`);
        }
        if (blocked.length > 0)
          throw new AppError(
            'CONFLICT',
            `cannot remove ${blocked.map((b) => `"${b.name}" (labels ${plural(b.images, 'image')})`).join(', ')}: reassign its labels to another class or clear them first`,
          );
        // Labels (by their current names) of every image a removal touches, for the history.
        const affected = new Map<number, string[]>();
        for (const r of removed)
          for (const { image_id } of await query<{ image_id: number }>(
            'SELECT image_id FROM image_labels WHERE class_id = $1 ORDER BY image_id',
            [r.id],
          ))
            affected.set(Number(image_id), await pgLabelsOf(query, image_id, taskId));
        // Park every name first so renames and swaps never collide on UNIQUE (task_id, name).
        await query(
          `UPDATE label_classes SET name = chr(1) || id, ordinal = -1 - ordinal WHERE task_id = $1`,
          [taskId],
        );
        const ids: number[] = [];
        for (const [ordinal, c] of input.classes.entries()) {
          const row = kept[ordinal];
          if (row) {
            await query('UPDATE label_classes SET name = $1, ordinal = $2, colour = $3 WHERE id = $4', [
              c.name,
              ordinal,
              c.colour,
              row.id,
            ]);
            ids.push(row.id);
          } else
            ids.push(
              Number(
                (
                  await query<{ id: number }>(
                    'INSERT INTO label_classes (task_id, name, ordinal, colour) VALUES ($1, $2, $3, $4) RETURNING id',
                    [taskId, c.name, ordinal, c.colour],
                  )
                )[0]!.id,
              ),
            );
        }
        const idOf = new Map(input.classes.map((c, i) => [c.name, ids[i]!]));
        for (const [i, c] of input.classes.entries())
          await query('UPDATE label_classes SET parent_id = $1 WHERE id = $2', [
            c.parent === null ? null : idOf.get(c.parent)!,
            ids[i],
          ]);
        for (const r of removed) {
          const target = input.reassign[r.name];
          if (target)
            await query(
              `INSERT INTO image_labels (image_id, task_id, class_id)
               SELECT image_id, task_id, $1 FROM image_labels WHERE class_id = $2 ON CONFLICT DO NOTHING`,
              [idOf.get(target)!, r.id],
            );
          await query('DELETE FROM image_labels WHERE class_id = $1', [r.id]);
          await query('DELETE FROM label_classes WHERE id = $1', [r.id]);
        }
        const batchId = await pgNextBatch(query);
        for (const [imageId, from] of affected)
          await query(
            `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, "user", reason, origin, at)
             VALUES ($1, $2, 'label', $3, $4, $5, $6, $7, 'edit', $8)`,
            [
              batchId,
              imageId,
              taskId,
              JSON.stringify(from),
              JSON.stringify(await pgLabelsOf(query, imageId, taskId)),
              by,
              input.reason || 'class removed from the task',
              nowIso(),
            ],
          );
        await query(
          'INSERT INTO task_history (task_id, from_value, to_value, "user", reason, at) VALUES ($1, $2, $3, $4, $5, $6)',
          [
            taskId,
            JSON.stringify(before),
            JSON.stringify(await classesOf(query, taskId)),
            by,
            input.reason,
            nowIso(),
          ],
        );
        await query('SELECT pg_notify($1, $2)', [
          CHANGE_CHANNEL,
          JSON.stringify({
            datasetId: input.datasetId,
            kind: 'tasks',
            imageIds: [...affected.keys()].slice(0, 100),
          }),
        ]);
      });
      return (await tasks(input.datasetId)).find((t) => t.name === input.task)!;
    },
    async taskHistory(datasetId: number, name: string, limit: number): Promise<TaskChange[]> {
      const taskId = await taskOf(pool.query, datasetId, name);
      return (
        await pool.query<{
          id: number;
          from_value: string;
          to_value: string;
          user: string;
          reason: string;
          at: string;
        }>(
          'SELECT id, from_value, to_value, "user", reason, at FROM task_history WHERE task_id = $1 ORDER BY id DESC LIMIT $2',
          [taskId, limit],
        )
      ).map((r) => ({
        id: Number(r.id),
        task: name,
        from: JSON.parse(r.from_value) as LabelClass[],
        to: JSON.parse(r.to_value) as LabelClass[],
        user: r.user,
        reason: r.reason,
        at: r.at,
      }));
    },
  };
};
