import { AppError, type LabelConflict } from '../../shared/contract/result';
import type { AcceptedSuggestion, HistoryEntry, LabelTask } from '../../shared/contract/catalog';
import type { CatalogDb } from './catalog-db';
import type { Repository } from './catalog-repository';
import { historyEntry, type HistoryRow as HistoryRowBase } from './catalog-rows';

/** SQLite's history rows are read with `h.*`: they carry the task id too. */
type HistoryRow = HistoryRowBase & { task_id: number | null };
import { conflictMessage, createLabelVersions, labelConflict } from './label-versions';

const HISTORY_SELECT = `SELECT h.*, t.name AS task FROM history h LEFT JOIN label_tasks t ON t.id = h.task_id`;

/**
 * Label and note edits. Every change is one history batch (a bulk relabel is one batch), written in
 * the same transaction as the change itself; undo appends the inverse as a new batch, so the history
 * only ever grows.
 */
export const createCatalogEdits = (cdb: CatalogDb, repo: Repository) => {
  const versions = createLabelVersions(cdb);
  const imageDataset = (imageId: number): number => {
    const row = cdb.get<{ dataset_id: number }>(
      'image.dataset',
      'SELECT dataset_id FROM images WHERE id = ?',
      imageId,
    );
    if (!row) throw new AppError('NOT_FOUND', `no image ${imageId}`);
    return row.dataset_id;
  };
  const taskFor = (datasetId: number, name: string) => {
    const task =
      repo.task(datasetId, name) ??
      (name === 'label' ? repo.ensureTask(datasetId, name, 'single') : undefined);
    if (!task) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${name}"`);
    return task;
  };
  const checkLabels = (kind: 'single' | 'multi', labels: string[]): string[] => {
    const clean = [...new Set(labels.map((l) => l.trim()).filter(Boolean))];
    if (kind === 'single' && clean.length > 1)
      throw new AppError('INVALID_INPUT', 'this task takes one label per image');
    return clean;
  };
  /**
   * Applies labels to one image inside the caller's transaction: true when applied (one history
   * row, the state's version moved on), false when nothing changed, or the conflict when `base`
   * (the version the writer saw; null = unconditional) is stale; the caller then throws, rolling
   * the transaction back.
   */
  const relabel = (
    imageId: number,
    taskId: number,
    labels: string[],
    batchId: number,
    user: string,
    reason: string,
    origin: 'edit' | 'undo',
    undoes: number | null = null,
    suggestion: AcceptedSuggestion | null = null,
    base: number | null = null,
    taskName = '',
  ): boolean | LabelConflict => {
    const before = repo.labels(imageId, taskId);
    repo.writeLabels(imageId, taskId, labels);
    const after = repo.labels(imageId, taskId);
    // An undo is always recorded, even when nothing changes, so the same batch is not undone twice.
    // A stale write that asks for what is already there loses nothing: it is not a conflict.
    if (origin === 'edit' && before.join('\u0000') === after.join('\u0000')) return false;
    // Checked before the claim so the conflict reports the state as it was, not a row the failed
    // claim inserted (it goes with the rollback); the claim's own check covers another engine's race.
    const seen = base === null ? null : versions.current(imageId, taskId);
    if ((seen && seen.version !== base) || versions.claim(imageId, taskId, base, user) === null)
      return labelConflict(imageId, taskName, seen ?? versions.current(imageId, taskId), before);
    repo.appendHistory({
      batchId,
      imageId,
      kind: 'label',
      taskId,
      from: before,
      to: after,
      user,
      reason,
      origin,
      undoesBatch: undoes,
      suggestion,
    });
    return true;
  };

  const edits = {
    tasks(datasetId: number): LabelTask[] {
      const tasks = cdb.all<{ id: number; name: string; kind: 'single' | 'multi' }>(
        'task.list',
        'SELECT id, name, kind FROM label_tasks WHERE dataset_id = ? ORDER BY id',
        datasetId,
      );
      return tasks.map((t) => ({
        id: t.id,
        datasetId,
        name: t.name,
        kind: t.kind,
        classes: cdb.all<{ name: string; parent: string | null; colour: string | null }>(
          'class.list',
          'SELECT c.name, p.name AS parent, c.colour FROM label_classes c LEFT JOIN label_classes p ON p.id = c.parent_id WHERE c.task_id = ? ORDER BY c.ordinal',
          t.id,
        ),
      }));
    },
    defineTask(input: {
      datasetId: number;
      name: string;
      kind: 'single' | 'multi';
      classes: Array<{ name: string; parent: string | null; colour?: string | null }>;
    }): LabelTask {
      if (!repo.datasetName(input.datasetId))
        throw new AppError('NOT_FOUND', `no dataset ${input.datasetId}`);
      cdb.transaction(() => {
        const task = repo.ensureTask(input.datasetId, input.name, input.kind);
        for (const c of input.classes) {
          const parentId = c.parent ? repo.ensureClass(task.id, c.parent) : null;
          const id = repo.ensureClass(task.id, c.name, parentId);
          if (c.colour)
            cdb.run('class.setColour', 'UPDATE label_classes SET colour = ? WHERE id = ?', c.colour, id);
        }
      });
      return edits.tasks(input.datasetId).find((t) => t.name === input.name)!;
    },
    setLabels(input: {
      imageId: number;
      task: string;
      labels: string[];
      user: string;
      reason: string;
      suggestion?: AcceptedSuggestion;
      /** The label version the user saw (image detail `labelVersion`); omitted: last writer wins. */
      baseVersion?: number;
    }) {
      const task = taskFor(imageDataset(input.imageId), input.task);
      const labels = checkLabels(task.kind, input.labels);
      return cdb.transaction(() => {
        const batchId = repo.nextBatchId();
        const changed = relabel(
          input.imageId,
          task.id,
          labels,
          batchId,
          input.user,
          input.reason,
          'edit',
          null,
          input.suggestion ?? null,
          input.baseVersion ?? null,
          input.task,
        );
        if (typeof changed === 'object')
          throw new AppError('CONFLICT', conflictMessage([changed]), [changed]);
        return {
          labels: repo.labels(input.imageId, task.id),
          batchId: changed ? batchId : null,
          version: versions.current(input.imageId, task.id).version,
        };
      });
    },
    bulkRelabel(input: {
      datasetId: number;
      task: string;
      imageIds?: number[];
      from?: string;
      to: string[];
      user: string;
      reason: string;
      suggestions?: Array<{ imageId: number } & AcceptedSuggestion>;
      /** Per image, the label version the user saw; a stale one refuses the whole change (CONFLICT). */
      baseVersions?: Array<{ imageId: number; version: number }>;
    }) {
      const task = taskFor(input.datasetId, input.task);
      const bases = new Map((input.baseVersions ?? []).map((b) => [b.imageId, b.version] as const));
      const accepted = new Map(
        (input.suggestions ?? []).map((x) => [x.imageId, { modelId: x.modelId, p: x.p }] as const),
      );
      const labels = checkLabels(task.kind, input.to);
      if (!input.imageIds && input.from === undefined)
        throw new AppError('INVALID_INPUT', 'give imageIds, a current class (from), or both');
      return cdb.transaction(() => {
        let ids = input.imageIds
          ? input.imageIds.filter((id) =>
              cdb.get(
                'image.inDataset',
                'SELECT 1 FROM images WHERE id = ? AND dataset_id = ?',
                id,
                input.datasetId,
              ),
            )
          : cdb
              .all<{ id: number }>(
                'image.idsOfDataset',
                'SELECT id FROM images WHERE dataset_id = ? ORDER BY id',
                input.datasetId,
              )
              .map((r) => r.id);
        if (input.from !== undefined) {
          const from = input.from;
          ids = ids.filter((id) => repo.labels(id, task.id).includes(from));
        }
        const batchId = repo.nextBatchId();
        let changed = 0;
        const conflicts: LabelConflict[] = [];
        for (const id of ids) {
          const outcome = relabel(
            id,
            task.id,
            labels,
            batchId,
            input.user,
            input.reason,
            'edit',
            null,
            accepted.get(id) ?? null,
            bases.get(id) ?? null,
            input.task,
          );
          if (typeof outcome === 'object') conflicts.push(outcome);
          else if (outcome) changed++;
        }
        if (conflicts.length > 0) throw new AppError('CONFLICT', conflictMessage(conflicts), conflicts);
        return { changed, batchId: changed > 0 ? batchId : null, imageIds: ids };
      });
    },
    setNote(input: { imageId: number; text: string; user: string; reason: string }) {
      imageDataset(input.imageId);
      return cdb.transaction(() => {
        const before = repo.note(input.imageId);
        const after = input.text.trim() === '' ? null : input.text;
        if (before === after) return { batchId: null };
        const batchId = repo.nextBatchId();
        repo.writeNote(input.imageId, after, input.user);
        repo.appendHistory({
          batchId,
          imageId: input.imageId,
          kind: 'note',
          taskId: null,
          from: before,
          to: after,
          user: input.user,
          reason: input.reason,
          origin: 'edit',
        });
        return { batchId };
      });
    },
    history(imageId: number | undefined, limit: number): HistoryEntry[] {
      const rows =
        imageId === undefined
          ? cdb.all<HistoryRow>('history.recent', `${HISTORY_SELECT} ORDER BY h.id DESC LIMIT ?`, limit)
          : cdb.all<HistoryRow>(
              'history.ofImage',
              `${HISTORY_SELECT} WHERE h.image_id = ? ORDER BY h.id DESC LIMIT ?`,
              imageId,
              limit,
            );
      return rows.map(historyEntry);
    },
    /**
     * Undoes the newest edit batch not undone yet (optionally of one user, or exactly batch `only`);
     * import batches are not undone.
     */
    undo(
      user: string | undefined,
      undoneBy: string,
      only?: number,
    ): { batchId: number | null; undone: number; imageIds: number[] } {
      return cdb.transaction(() => {
        const target = cdb.get<{ batch_id: number }>(
          'history.lastUndoable',
          `SELECT h.batch_id FROM history h
           WHERE h.origin = 'edit' AND (? IS NULL OR h.user = ?) AND (? IS NULL OR h.batch_id = ?)
             AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes_batch = h.batch_id)
           ORDER BY h.batch_id DESC LIMIT 1`,
          user ?? null,
          user ?? null,
          only ?? null,
          only ?? null,
        );
        if (!target) return { batchId: null, undone: 0, imageIds: [] };
        const rows = cdb.all<HistoryRow>(
          'history.batch',
          `${HISTORY_SELECT} WHERE h.batch_id = ? ORDER BY h.id DESC`,
          target.batch_id,
        );
        // Another user's label change after the batch would be wiped by the undo: refuse, saying
        // who and when. The undoer's own later edits do not count, nor undo rows, nor changes undone since.
        const conflicts: LabelConflict[] = [];
        for (const r of rows) {
          if (r.kind !== 'label') continue;
          const later = cdb.get<{ user: string; at: string }>(
            'history.laterLabelByOther',
            `SELECT h.user, h.at FROM history h WHERE h.kind = 'label' AND h.image_id = ? AND h.task_id = ?
               AND h.batch_id > ? AND h.user <> ? AND h.origin <> 'undo'
               AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes_batch = h.batch_id)
             ORDER BY h.id DESC LIMIT 1`,
            r.image_id,
            r.task_id,
            target.batch_id,
            undoneBy,
          );
          if (later)
            conflicts.push(
              labelConflict(
                r.image_id,
                r.task ?? '',
                { ...versions.current(r.image_id, r.task_id!), by: later.user, at: later.at },
                repo.labels(r.image_id, r.task_id!),
              ),
            );
        }
        if (conflicts.length > 0)
          throw new AppError(
            'CONFLICT',
            `cannot undo change ${target.batch_id}: ${conflictMessage(conflicts)}`,
            conflicts,
          );
        const batchId = repo.nextBatchId();
        const reason = `undo of change ${target.batch_id}`;
        for (const r of rows) {
          const from = r.from_value === null ? null : JSON.parse(r.from_value);
          if (r.kind === 'label')
            relabel(
              r.image_id,
              r.task_id!,
              from as string[],
              batchId,
              undoneBy,
              reason,
              'undo',
              target.batch_id,
            );
          else {
            if (r.kind === 'flag') repo.writeFlag(r.image_id, from as string | null, undoneBy);
            else repo.writeNote(r.image_id, from as string | null, undoneBy);
            repo.appendHistory({
              batchId,
              imageId: r.image_id,
              kind: r.kind,
              taskId: null,
              from: JSON.parse(r.to_value ?? 'null'),
              to: from,
              user: undoneBy,
              reason,
              origin: 'undo',
              undoesBatch: target.batch_id,
            });
          }
        }
        return { batchId, undone: rows.length, imageIds: rows.map((r) => r.image_id) };
      });
    },
  };
  return edits;
};

export type CatalogEdits = ReturnType<typeof createCatalogEdits>;
