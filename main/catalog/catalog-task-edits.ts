import type { EditedClass, LabelClass, LabelTask, TaskChange } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';
import type { CatalogEdits } from './catalog-edits';
import type { Repository } from './catalog-repository';

interface ClassRow {
  id: number;
  name: string;
}

export interface TaskEditInput {
  datasetId: number;
  task: string;
  classes: EditedClass[];
  reassign: Record<string, string | null>;
  user: string;
  reason: string;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Checks a new class list and matches each entry to the existing class it keeps (or null: new); both engines use it. */
export const matchClasses = (existing: ClassRow[], list: EditedClass[]): Array<ClassRow | null> => {
  const names = new Set<string>();
  for (const c of list) {
    if (names.has(c.name)) throw new AppError('INVALID_INPUT', `class "${c.name}" is listed twice`);
    names.add(c.name);
    if (c.parent !== null && (c.parent === c.name || !list.some((p) => p.name === c.parent)))
      throw new AppError(
        'INVALID_INPUT',
        `parent "${c.parent}" of "${c.name}" is not another class of the task`,
      );
  }
  const byName = new Map(existing.map((r) => [r.name, r]));
  const claimed = new Set<number>();
  const renamed = list.map((c) => {
    if (c.was === undefined) return undefined;
    const row = byName.get(c.was);
    if (!row) throw new AppError('NOT_FOUND', `the task has no class "${c.was}" to rename`);
    if (claimed.has(row.id)) throw new AppError('INVALID_INPUT', `class "${c.was}" is renamed twice`);
    claimed.add(row.id);
    return row;
  });
  return list.map((c, i) => {
    if (renamed[i]) return renamed[i]!;
    const row = byName.get(c.name);
    if (!row || claimed.has(row.id)) return null;
    claimed.add(row.id);
    return row;
  });
};

/**
 * Edits of a task's class list: rename, reorder, recolour, add and remove. A removed class that
 * still labels images is refused with CONFLICT unless `reassign` says where its labels go (another
 * class, or null to clear them); moved labels are one history batch, so they can be undone. Every
 * edit appends the class list before and after to the task's own log.
 */
export const createTaskEdits = (cdb: CatalogDb, repo: Repository, edits: CatalogEdits) => {
  const taskOf = (datasetId: number, name: string): { id: number } => {
    const task = repo.task(datasetId, name);
    if (!task) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${name}"`);
    return task;
  };
  const classesOf = (datasetId: number, name: string): LabelClass[] =>
    edits.tasks(datasetId).find((t) => t.name === name)?.classes ?? [];

  return {
    editTask(input: TaskEditInput): { task: LabelTask; imageIds: number[] } {
      const task = taskOf(input.datasetId, input.task);
      const imageIds = cdb.transaction(() => {
        const before = classesOf(input.datasetId, input.task);
        const existing = cdb.all<ClassRow>(
          'class.rows',
          'SELECT id, name FROM label_classes WHERE task_id = ? ORDER BY ordinal',
          task.id,
        );
        const kept = matchClasses(existing, input.classes);
        const keptIds = new Set(kept.filter((r) => r !== null).map((r) => r!.id));
        const removed = existing.filter((r) => !keptIds.has(r.id));
        const usage = (id: number): number =>
          cdb.get<{ n: number }>(
            'class.usage',
            'SELECT count(*) AS n FROM image_labels WHERE class_id = ?',
            id,
          )!.n;
        const blocked = removed
          .map((r) => ({ name: r.name, images: usage(r.id) }))
          .filter((r) => r.images > 0 && !(r.name in input.reassign));
        if (blocked.length > 0)
          throw new AppError(
            'CONFLICT',
            `cannot remove ${blocked.map((b) => `"${b.name}" (labels ${plural(b.images, 'image')})`).join(', ')}: reassign its labels to another class or clear them first`,
          );
        for (const r of removed) {
          const target = input.reassign[r.name];
          if (target !== undefined && target !== null && !input.classes.some((c) => c.name === target))
            throw new AppError('INVALID_INPUT', `reassign target "${target}" is not a class of the new list`);
        }
        // Labels (by their current names) of every image a removal touches, for the history.
        const affected = new Map<number, string[]>();
        for (const r of removed)
          for (const { image_id } of cdb.all<{ image_id: number }>(
            'class.images',
            'SELECT image_id FROM image_labels WHERE class_id = ?',
            r.id,
          ))
            affected.set(image_id, repo.labels(image_id, task.id));

        // Park every name first so renames and swaps never collide on UNIQUE (task_id, name).
        cdb.run(
          'class.park',
          `UPDATE label_classes SET name = char(0) || id, ordinal = -1 - ordinal WHERE task_id = ?`,
          task.id,
        );
        const ids = input.classes.map((c, ordinal) => {
          const row = kept[ordinal];
          if (row) {
            cdb.run(
              'class.update',
              'UPDATE label_classes SET name = ?, ordinal = ?, colour = ? WHERE id = ?',
              c.name,
              ordinal,
              c.colour,
              row.id,
            );
            return row.id;
          }
          return Number(
            cdb.run(
              'class.insertAt',
              'INSERT INTO label_classes (task_id, name, ordinal, colour) VALUES (?, ?, ?, ?)',
              task.id,
              c.name,
              ordinal,
              c.colour,
            ).lastInsertRowid,
          );
        });
        const idOf = new Map(input.classes.map((c, i) => [c.name, ids[i]!]));
        input.classes.forEach((c, i) =>
          cdb.run(
            'class.setParent',
            'UPDATE label_classes SET parent_id = ? WHERE id = ?',
            c.parent === null ? null : idOf.get(c.parent)!,
            ids[i],
          ),
        );
        for (const r of removed) {
          const target = input.reassign[r.name];
          if (target)
            cdb.run(
              'labels.move',
              `INSERT OR IGNORE INTO image_labels (image_id, task_id, class_id)
               SELECT image_id, task_id, ? FROM image_labels WHERE class_id = ?`,
              idOf.get(target)!,
              r.id,
            );
          cdb.run('labels.dropClass', 'DELETE FROM image_labels WHERE class_id = ?', r.id);
          cdb.run('class.delete', 'DELETE FROM label_classes WHERE id = ?', r.id);
        }
        const batchId = repo.nextBatchId();
        for (const [imageId, from] of affected)
          repo.appendHistory({
            batchId,
            imageId,
            kind: 'label',
            taskId: task.id,
            from,
            to: repo.labels(imageId, task.id),
            user: input.user,
            reason: input.reason || 'class removed from the task',
            origin: 'edit',
          });
        cdb.run(
          'taskHistory.insert',
          'INSERT INTO task_history (task_id, from_value, to_value, user, reason, at) VALUES (?, ?, ?, ?, ?, ?)',
          task.id,
          JSON.stringify(before),
          JSON.stringify(classesOf(input.datasetId, input.task)),
          input.user,
          input.reason,
          repo.now(),
        );
        return [...affected.keys()];
      });
      return { task: edits.tasks(input.datasetId).find((t) => t.name === input.task)!, imageIds };
    },
    taskHistory(datasetId: number, name: string, limit: number): TaskChange[] {
      const task = taskOf(datasetId, name);
      return cdb
        .all<{ id: number; from_value: string; to_value: string; user: string; reason: string; at: string }>(
          'taskHistory.list',
          'SELECT id, from_value, to_value, user, reason, at FROM task_history WHERE task_id = ? ORDER BY id DESC LIMIT ?',
          task.id,
          limit,
        )
        .map((r) => ({
          id: r.id,
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

export type TaskEdits = ReturnType<typeof createTaskEdits>;
