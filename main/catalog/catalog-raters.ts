import { AppError } from '../../shared/contract/result';
import type { ImageDetail, ImagePage, RaterLabel } from '../../shared/contract/catalog';
import {
  MAX_RATERS,
  type AdjudicationQueue,
  type AgreementReport,
  type RaterRole,
} from '../../shared/contract/raters';
import type { CatalogDb } from './catalog-db';
import type { Repository } from './catalog-repository';
import { createLabelVersions } from './label-versions';
import {
  adjudicationReason,
  agreementReport,
  buildAdjudicationQueue,
  chooseTrainingLabels,
  detailForViewer,
  groupRatings,
  ONLY_REVIEWERS,
  pageForViewer,
  type RatingRow,
  type TrainingLabels,
} from './rater-rules';

export type { TrainingLabels, TrainingLabelSource } from './rater-rules';

interface TaskRow {
  id: number;
  kind: 'single' | 'multi';
  raters: number;
}

/**
 * The multi-rater part of the catalog (SQLite): per-rater labels of tasks that ask for more than
 * one label per image, the adjudication queue and decisions, agreement, and the training labels a
 * run takes (decided label, else the majority of the ratings; ties left out). The decided label of
 * an image is its row in `image_labels`; rater labels live in `rater_labels` (migration 0014).
 */
export const createCatalogRaters = (
  cdb: CatalogDb,
  repo: Repository,
  now: () => string = () => new Date().toISOString(),
) => {
  const task = (datasetId: number, name: string): TaskRow => {
    const row = cdb.get<TaskRow>(
      'raters.task',
      'SELECT id, kind, raters FROM label_tasks WHERE dataset_id = ? AND name = ?',
      datasetId,
      name,
    );
    if (!row) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${name}"`);
    return row;
  };
  const ratings = (taskId: number, imageIds: readonly number[] | null): RatingRow[] =>
    cdb.all<RatingRow>(
      imageIds === null ? 'raters.ofTask' : 'raters.ofImages',
      `SELECT r.image_id, r.rater, c.name AS label, r.at FROM rater_labels r JOIN label_classes c ON c.id = r.class_id
       WHERE r.task_id = ?${imageIds === null ? '' : ' AND r.image_id IN (SELECT value FROM json_each(?))'}
       ORDER BY r.image_id, r.rater`,
      ...(imageIds === null ? [taskId] : [taskId, JSON.stringify(imageIds)]),
    );
  const byImage = groupRatings;
  const decidedIds = (taskId: number): Set<number> =>
    new Set(
      cdb
        .all<{ image_id: number }>(
          'raters.decided',
          'SELECT DISTINCT image_id FROM image_labels WHERE task_id = ?',
          taskId,
        )
        .map((r) => r.image_id),
    );
  const classNames = (taskId: number): string[] =>
    cdb
      .all<{ name: string }>(
        'raters.classes',
        'SELECT name FROM label_classes WHERE task_id = ? ORDER BY ordinal',
        taskId,
      )
      .map((c) => c.name);
  const datasetImages = (datasetId: number): Array<{ id: number; file: string }> =>
    cdb.all<{ id: number; file: string }>(
      'raters.images',
      'SELECT id, file FROM images WHERE dataset_id = ? ORDER BY id',
      datasetId,
    );

  const versions = createLabelVersions(cdb);
  const ROLE_KEY = 'rater.role';
  const raters = {
    /** This workstation's role (SQLite: a setting; labeler until set). */
    role(): RaterRole {
      const v = cdb.get<{ value: string }>(
        'settings.get',
        'SELECT value FROM settings WHERE key = ?',
        ROLE_KEY,
      )?.value;
      return v === 'reviewer' ? 'reviewer' : 'labeler';
    },
    setRole(role: RaterRole): RaterRole {
      cdb.run(
        'settings.put',
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        ROLE_KEY,
        role,
      );
      return role;
    },
    /**
     * A page of the grid as `viewer` may see it: in multi-rater tasks an undecided image shows only
     * the viewer's own label (the grid's labels are the decided ones; nobody else's leak).
     */
    pageFor(page: ImagePage, task: string, viewer: string | null): ImagePage {
      if (viewer === null) return page;
      const own = new Map<number, string[]>();
      for (const datasetId of new Set(
        page.items.filter((i) => i.labels.length === 0).map((i) => i.datasetId),
      )) {
        const t = raters.ratersOfTask(datasetId, task);
        if (!t || t.raters <= 1) continue;
        const ids = page.items
          .filter((i) => i.datasetId === datasetId && i.labels.length === 0)
          .map((i) => i.id);
        for (const [id, l] of raters.ownLabels(ids, t.id, viewer)) own.set(id, l);
      }
      return pageForViewer(page, own);
    },
    /**
     * An image's detail as `viewer` may see it: in a multi-rater task an undecided image carries the
     * viewer's own label; `ratings` lists every rater's label for a reviewer, the viewer's own for a
     * labeler. Rater labels are not in the shared history (only the adjudication is).
     */
    detailFor(detail: ImageDetail, task: string, viewer: string | null, role: RaterRole): ImageDetail {
      const t = raters.ratersOfTask(detail.datasetId, task);
      if (!t || t.raters <= 1) return detail;
      return detailForViewer(detail, t.raters, raters.ratingsOf(detail.id, t.id), viewer, role);
    },
    /** Labels asked per image of a task (1 for a task without raters, or an unknown task id). */
    ratersOf(taskId: number): number {
      return (
        cdb.get<{ raters: number }>('raters.count', 'SELECT raters FROM label_tasks WHERE id = ?', taskId)
          ?.raters ?? 1
      );
    },
    /** Labels asked per image of the task named `name` in a dataset (1 when there is no such task). */
    ratersOfTask(datasetId: number, name: string): { id: number; raters: number } | null {
      const row = cdb.get<TaskRow>(
        'raters.task',
        'SELECT id, kind, raters FROM label_tasks WHERE dataset_id = ? AND name = ?',
        datasetId,
        name,
      );
      return row ? { id: row.id, raters: row.raters } : null;
    },
    setRaters(input: { datasetId: number; task: string; raters: number }): { task: string; raters: number } {
      const t = task(input.datasetId, input.task);
      if (!Number.isInteger(input.raters) || input.raters < 1 || input.raters > MAX_RATERS)
        throw new AppError('INVALID_INPUT', `raters is a whole number from 1 to ${MAX_RATERS}`);
      if (t.kind !== 'single' && input.raters > 1)
        throw new AppError('INVALID_INPUT', 'several raters per image need a single-label task');
      cdb.run('raters.set', 'UPDATE label_tasks SET raters = ? WHERE id = ?', input.raters, t.id);
      return { task: input.task, raters: input.raters };
    },
    /**
     * Sets (or, with no label, removes) one rater's label of one image; returns that rater's label.
     * A decided image takes no more rater labels (CONFLICT): its label is changed by adjudication.
     */
    setRaterLabel(input: { imageId: number; taskId: number; rater: string; labels: string[] }): {
      labels: string[];
      changed: boolean;
    } {
      if (input.labels.length > 1) throw new AppError('INVALID_INPUT', 'this task takes one label per image');
      return cdb.transaction(() => {
        if (repo.labels(input.imageId, input.taskId).length > 0)
          throw new AppError('CONFLICT', `image ${input.imageId} is already adjudicated`);
        const before = raters.ownLabels([input.imageId], input.taskId, input.rater).get(input.imageId) ?? [];
        const label = input.labels[0];
        if (label === undefined)
          cdb.run(
            'raters.delete',
            'DELETE FROM rater_labels WHERE image_id = ? AND task_id = ? AND rater = ?',
            input.imageId,
            input.taskId,
            input.rater,
          );
        else
          cdb.run(
            'raters.upsert',
            `INSERT INTO rater_labels (image_id, task_id, rater, class_id, at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (image_id, task_id, rater) DO UPDATE SET class_id = excluded.class_id, at = excluded.at`,
            input.imageId,
            input.taskId,
            input.rater,
            repo.ensureClass(input.taskId, label),
            now(),
          );
        const after = label === undefined ? [] : [label];
        return { labels: after, changed: before.join() !== after.join() };
      });
    },
    /** One rater's own labels of some images (only images they rated appear). */
    ownLabels(imageIds: readonly number[], taskId: number, rater: string): Map<number, string[]> {
      const own = new Map<number, string[]>();
      for (const r of ratings(taskId, imageIds)) if (r.rater === rater) own.set(r.image_id, [r.label]);
      return own;
    },
    /** Every rater label of a task, by image (all images when `imageIds` is null). */
    ratings(taskId: number, imageIds: readonly number[] | null): Map<number, RaterLabel[]> {
      return byImage(ratings(taskId, imageIds));
    },
    /** Every rater's label of one image. */
    ratingsOf(imageId: number, taskId: number): RaterLabel[] {
      return byImage(ratings(taskId, [imageId])).get(imageId) ?? [];
    },
    /** Undecided images whose raters disagree, and those with fewer labels than asked. */
    queue(input: { datasetId: number; task: string; limit: number }): AdjudicationQueue {
      const t = task(input.datasetId, input.task);
      return buildAdjudicationQueue({
        images: datasetImages(input.datasetId),
        decided: decidedIds(t.id),
        rated: byImage(ratings(t.id, null)),
        raters: t.raters,
        classes: classNames(t.id),
        limit: input.limit,
      });
    },
    /**
     * A reviewer decides an image's label: written as its label (image_labels) and recorded in
     * the history as an adjudication by `user`, with each rater's label in the reason. Labelers are
     * refused (FORBIDDEN).
     */
    adjudicate(input: {
      imageId: number;
      datasetId: number;
      task: string;
      label: string;
      user: string;
      role: RaterRole;
      reason: string;
    }): { labels: string[]; batchId: number } {
      if (input.role !== 'reviewer') throw new AppError('FORBIDDEN', ONLY_REVIEWERS);
      const t = task(input.datasetId, input.task);
      if (!classNames(t.id).includes(input.label))
        throw new AppError('INVALID_INPUT', `task "${input.task}" has no class "${input.label}"`);
      return cdb.transaction(() => {
        const before = repo.labels(input.imageId, t.id);
        const votes = raters.ratingsOf(input.imageId, t.id);
        repo.writeLabels(input.imageId, t.id, [input.label]);
        // The decision is a label write like any other: the image's label version moves on.
        versions.claim(input.imageId, t.id, null, input.user);
        const batchId = repo.nextBatchId();
        repo.appendHistory({
          batchId,
          imageId: input.imageId,
          kind: 'label',
          taskId: t.id,
          from: before,
          to: [input.label],
          user: input.user,
          reason: adjudicationReason(votes, input.reason),
          origin: 'edit',
          adjudication: true,
        });
        return { labels: [input.label], batchId };
      });
    },
    /** Agreement over the task's rater labels (Cohen for two people, Fleiss otherwise). */
    agreement(datasetId: number, name: string): AgreementReport {
      const t = task(datasetId, name);
      return agreementReport({
        datasetId,
        task: name,
        raters: t.raters,
        classes: classNames(t.id),
        rated: byImage(ratings(t.id, null)),
      });
    },
    /**
     * The labels a run trains on for a multi-rater task: the decided label where there is one,
     * else the most frequent rater label; images whose top labels tie, and unrated images, are
     * left out (and listed).
     */
    trainingLabels(taskId: number, imageIds: readonly number[]): TrainingLabels {
      const decided = new Map<number, string>();
      for (const id of decidedIds(taskId)) {
        const label = repo.labels(id, taskId)[0];
        if (label !== undefined) decided.set(id, label);
      }
      return chooseTrainingLabels(imageIds, decided, byImage(ratings(taskId, imageIds)));
    },
  };
  return raters;
};

export type CatalogRaters = ReturnType<typeof createCatalogRaters>;
