import type { ImageDetail, ImagePage, RaterLabel } from '../../shared/contract/catalog';
import { MAX_RATERS, type RaterRole } from '../../shared/contract/raters';
import { AppError } from '../../shared/contract/result';
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
} from '../catalog/rater-rules';
import { CHANGE_CHANNEL } from './pg-catalog-edits';
import type { PgPool, PgQuery } from './pg-pool';
import type { RaterStore } from './rater-store';

const nowIso = (): string => new Date().toISOString();

interface TaskRow {
  id: number;
  kind: 'single' | 'multi';
  raters: number;
}

/**
 * The multi-rater store on PostgreSQL (parameterised statements only). Rater labels and
 * adjudications are attributed to the signed-in role (`user()` = current_user), never to a name the
 * client sends; only members of `sonofuse_reviewer` (`isReviewer()`) adjudicate. Writes take the
 * same per-(task, image) advisory lock as label writes and NOTIFY at commit.
 */
export const createPgRaterStore = (
  pool: PgPool,
  user: () => Promise<string>,
  isReviewer: () => Promise<boolean>,
): RaterStore => {
  const query: PgQuery = pool.query;
  const taskRow = async (q: PgQuery, datasetId: number, name: string): Promise<TaskRow | null> =>
    (
      await q<TaskRow>('SELECT id, kind, raters FROM label_tasks WHERE dataset_id = $1 AND name = $2', [
        datasetId,
        name,
      ])
    )[0] ?? null;
  const task = async (q: PgQuery, datasetId: number, name: string): Promise<TaskRow> => {
    const row = await taskRow(q, datasetId, name);
    if (!row) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${name}"`);
    return row;
  };
  const ratings = (q: PgQuery, taskId: number, imageIds: readonly number[] | null) =>
    q<RatingRow>(
      `SELECT r.image_id, r.rater, c.name AS label, r.at FROM rater_labels r JOIN label_classes c ON c.id = r.class_id
       WHERE r.task_id = $1 AND ($2::bigint[] IS NULL OR r.image_id = ANY($2::bigint[]))
       ORDER BY r.image_id, r.rater`,
      [taskId, imageIds === null ? null : [...imageIds]],
    );
  const classNames = async (q: PgQuery, taskId: number): Promise<string[]> =>
    (
      await q<{ name: string }>('SELECT name FROM label_classes WHERE task_id = $1 ORDER BY ordinal', [
        taskId,
      ])
    ).map((r) => r.name);
  const decidedLabels = async (q: PgQuery, taskId: number): Promise<Map<number, string>> =>
    new Map(
      (
        await q<{ image_id: number; name: string }>(
          `SELECT DISTINCT ON (l.image_id) l.image_id, c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
           WHERE l.task_id = $1 ORDER BY l.image_id, c.ordinal`,
          [taskId],
        )
      ).map((r) => [r.image_id, r.name]),
    );
  const datasetOf = async (q: PgQuery, imageId: number): Promise<number> => {
    const row = (
      await q<{ dataset_id: number }>('SELECT dataset_id FROM images WHERE id = $1', [imageId])
    )[0];
    if (!row) throw new AppError('NOT_FOUND', `no image ${imageId}`);
    return row.dataset_id;
  };
  const notify = (q: PgQuery, datasetId: number, kind: string, imageIds: number[]) =>
    q('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify({ datasetId, kind, imageIds })]);
  const ownLabels = async (imageIds: readonly number[], taskId: number, rater: string) => {
    const own = new Map<number, string[]>();
    for (const r of await ratings(query, taskId, imageIds))
      if (r.rater === rater) own.set(r.image_id, [r.label]);
    return own;
  };

  const store: RaterStore = {
    async role() {
      return { role: (await isReviewer()) ? 'reviewer' : 'labeler', source: 'database' };
    },
    async taskOfImage(imageId, name) {
      return (
        (
          await query<{ id: number; raters: number }>(
            `SELECT t.id, t.raters FROM images i JOIN label_tasks t ON t.dataset_id = i.dataset_id AND t.name = $2
             WHERE i.id = $1`,
            [imageId, name],
          )
        )[0] ?? null
      );
    },
    async ratersOfTask(datasetId, name) {
      const row = await taskRow(query, datasetId, name);
      return row ? { id: row.id, raters: row.raters } : null;
    },
    async setRaters(input) {
      // Reviewers only: a labeler lowering k to 1 would decide images without adjudication.
      if (!(await isReviewer()))
        throw new AppError('FORBIDDEN', 'only a reviewer sets how many raters a task asks for');
      if (!Number.isInteger(input.raters) || input.raters < 1 || input.raters > MAX_RATERS)
        throw new AppError('INVALID_INPUT', `raters is a whole number from 1 to ${MAX_RATERS}`);
      return pool.transaction(async (q) => {
        const t = await task(q, input.datasetId, input.task);
        if (t.kind !== 'single' && input.raters > 1)
          throw new AppError('INVALID_INPUT', 'several raters per image need a single-label task');
        await q('UPDATE label_tasks SET raters = $1 WHERE id = $2', [input.raters, t.id]);
        await notify(q, input.datasetId, 'tasks', []);
        return { task: input.task, raters: input.raters };
      });
    },
    async setRaterLabel(input) {
      if (input.labels.length > 1) throw new AppError('INVALID_INPUT', 'this task takes one label per image');
      const rater = await user();
      return pool.transaction(async (q) => {
        const datasetId = await datasetOf(q, input.imageId);
        await q('SELECT pg_advisory_xact_lock($1, $2)', [input.taskId, input.imageId]);
        const decided = await q('SELECT 1 FROM image_labels WHERE image_id = $1 AND task_id = $2', [
          input.imageId,
          input.taskId,
        ]);
        if (decided.length > 0)
          throw new AppError('CONFLICT', `image ${input.imageId} is already adjudicated`);
        const before = (
          await q<{ name: string }>(
            `SELECT c.name FROM rater_labels r JOIN label_classes c ON c.id = r.class_id
             WHERE r.image_id = $1 AND r.task_id = $2 AND r.rater = $3`,
            [input.imageId, input.taskId, rater],
          )
        ).map((r) => r.name);
        const label = input.labels[0];
        if (label === undefined)
          await q('DELETE FROM rater_labels WHERE image_id = $1 AND task_id = $2 AND rater = $3', [
            input.imageId,
            input.taskId,
            rater,
          ]);
        else {
          await q(
            `INSERT INTO label_classes (task_id, name, ordinal)
             VALUES ($1, $2, (SELECT coalesce(max(ordinal), -1) + 1 FROM label_classes WHERE task_id = $1))
             ON CONFLICT (task_id, name) DO NOTHING`,
            [input.taskId, label],
          );
          await q(
            `INSERT INTO rater_labels (image_id, task_id, rater, class_id, at)
             SELECT $1, $2, $3, id, $5 FROM label_classes WHERE task_id = $2 AND name = $4
             ON CONFLICT (image_id, task_id, rater) DO UPDATE SET class_id = excluded.class_id, at = excluded.at`,
            [input.imageId, input.taskId, rater, label, nowIso()],
          );
        }
        const after = label === undefined ? [] : [label];
        const changed = before.join() !== after.join();
        if (changed) await notify(q, datasetId, 'labels', [input.imageId]);
        return { labels: after, changed };
      });
    },
    async pageFor(page: ImagePage, name: string, viewer: string | null) {
      if (viewer === null) return page;
      const own = new Map<number, string[]>();
      const open = page.items.filter((i) => i.labels.length === 0);
      for (const datasetId of new Set(open.map((i) => i.datasetId))) {
        const t = await taskRow(query, datasetId, name);
        if (!t || t.raters <= 1) continue;
        const ids = open.filter((i) => i.datasetId === datasetId).map((i) => i.id);
        for (const [id, l] of await ownLabels(ids, t.id, viewer)) own.set(id, l);
      }
      return pageForViewer(page, own);
    },
    async detailFor(detail: ImageDetail, name: string, viewer: string | null, role: RaterRole) {
      const t = await taskRow(query, detail.datasetId, name);
      if (!t || t.raters <= 1) return detail;
      return detailForViewer(detail, t.raters, await store.ratingsOf(detail.id, t.id), viewer, role);
    },
    async ratingsOf(imageId, taskId): Promise<RaterLabel[]> {
      return groupRatings(await ratings(query, taskId, [imageId])).get(imageId) ?? [];
    },
    async ratings(taskId, imageIds) {
      return groupRatings(await ratings(query, taskId, imageIds));
    },
    async queue(input) {
      if (!(await isReviewer()))
        throw new AppError('FORBIDDEN', 'only a reviewer sees the adjudication queue');
      const t = await task(query, input.datasetId, input.task);
      return buildAdjudicationQueue({
        images: await query<{ id: number; file: string }>(
          'SELECT id, file FROM images WHERE dataset_id = $1 ORDER BY id',
          [input.datasetId],
        ),
        decided: new Set((await decidedLabels(query, t.id)).keys()),
        rated: groupRatings(await ratings(query, t.id, null)),
        raters: t.raters,
        classes: await classNames(query, t.id),
        limit: input.limit,
      });
    },
    async adjudicate(input) {
      if (!(await isReviewer())) throw new AppError('FORBIDDEN', ONLY_REVIEWERS);
      const by = await user();
      return pool.transaction(async (q) => {
        const datasetId = await datasetOf(q, input.imageId);
        const t = await task(q, datasetId, input.task);
        if (!(await classNames(q, t.id)).includes(input.label))
          throw new AppError('INVALID_INPUT', `task "${input.task}" has no class "${input.label}"`);
        await q('SELECT pg_advisory_xact_lock($1, $2)', [t.id, input.imageId]);
        const before = (
          await q<{ name: string }>(
            `SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
             WHERE l.image_id = $1 AND l.task_id = $2 ORDER BY c.ordinal`,
            [input.imageId, t.id],
          )
        ).map((r) => r.name);
        const votes = groupRatings(await ratings(q, t.id, [input.imageId])).get(input.imageId) ?? [];
        await q('DELETE FROM image_labels WHERE image_id = $1 AND task_id = $2', [input.imageId, t.id]);
        await q(
          `INSERT INTO image_labels (image_id, task_id, class_id)
           SELECT $1, $2, id FROM label_classes WHERE task_id = $2 AND name = $3`,
          [input.imageId, t.id, input.label],
        );
        // The decision moves the image's label version like any label write (label-versions.ts).
        await q(
          `INSERT INTO label_versions (image_id, task_id, version, by_user, at) VALUES ($1, $2, 1, $3, $4)
           ON CONFLICT (image_id, task_id) DO UPDATE
             SET version = label_versions.version + 1, by_user = excluded.by_user, at = excluded.at`,
          [input.imageId, t.id, by, nowIso()],
        );
        const batchId = (await q<{ id: number }>(`SELECT nextval('history_batch_seq') AS id`))[0]!.id;
        await q(
          `INSERT INTO history (batch_id, image_id, kind, task_id, from_value, to_value, "user", reason, origin, at, adjudication)
           VALUES ($1, $2, 'label', $3, $4, $5, $6, $7, 'edit', $8, 1)`,
          [
            batchId,
            input.imageId,
            t.id,
            JSON.stringify(before),
            JSON.stringify([input.label]),
            by,
            adjudicationReason(votes, input.reason),
            nowIso(),
          ],
        );
        await notify(q, datasetId, 'labels', [input.imageId]);
        return { labels: [input.label], batchId };
      });
    },
    async agreement(datasetId, name) {
      const t = await task(query, datasetId, name);
      return agreementReport({
        datasetId,
        task: name,
        raters: t.raters,
        classes: await classNames(query, t.id),
        rated: groupRatings(await ratings(query, t.id, null)),
      });
    },
    async trainingLabels(taskId, imageIds) {
      return chooseTrainingLabels(
        imageIds,
        await decidedLabels(query, taskId),
        groupRatings(await ratings(query, taskId, imageIds)),
      );
    },
  };
  return store;
};
