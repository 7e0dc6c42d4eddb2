import { AppError } from '../../shared/contract/result';
import type { ImageDetail, ImagePage, RaterLabel } from '../../shared/contract/catalog';
import type { AdjudicationQueue, AgreementReport, RaterRole } from '../../shared/contract/raters';
import type { TrainingLabels } from '../catalog/rater-rules';
import type { CatalogStore } from './catalog-store';

/**
 * Several raters per image on either engine (SQLite: sqlite-rater-store.ts over
 * catalog/catalog-raters.ts; PostgreSQL: pg-rater-store.ts). The rules themselves (queue, majority,
 * agreement, what a viewer sees) are catalog/rater-rules.ts, shared by both.
 *
 * Who rates and who adjudicates is the store's signed-in user: the PostgreSQL role (current_user,
 * reviewer = member of `sonofuse_reviewer`) in pg, the workstation's name and role setting in SQLite.
 */
export interface RaterStore {
  /** The signed-in rater's role, and where it comes from. */
  role(): Promise<{ role: RaterRole; source: 'setting' | 'database' }>;
  /** The task's id and the labels it asks per image; null when the dataset has no such task. */
  ratersOfTask(datasetId: number, task: string): Promise<{ id: number; raters: number } | null>;
  /** The named task of an image's dataset with its raters; null when there is no such task. */
  taskOfImage(imageId: number, task: string): Promise<{ id: number; raters: number } | null>;
  /** Sets the labels asked per image of a single-label task (1-20); reviewers only (FORBIDDEN). */
  setRaters(input: {
    datasetId: number;
    task: string;
    raters: number;
  }): Promise<{ task: string; raters: number }>;
  /** Sets (no label: removes) `rater`'s label of an image; CONFLICT once the image is decided. */
  setRaterLabel(input: { imageId: number; taskId: number; rater: string; labels: string[] }): Promise<{
    labels: string[];
    changed: boolean;
  }>;
  /** A grid page / image detail as `viewer` may see it (own label only until decided). */
  pageFor(page: ImagePage, task: string, viewer: string | null): Promise<ImagePage>;
  detailFor(detail: ImageDetail, task: string, viewer: string | null, role: RaterRole): Promise<ImageDetail>;
  ratingsOf(imageId: number, taskId: number): Promise<RaterLabel[]>;
  /** Every rater label of a task, by image (all images when `imageIds` is null). */
  ratings(taskId: number, imageIds: readonly number[] | null): Promise<Map<number, RaterLabel[]>>;
  /** Disagreements and incomplete images; reviewers only (FORBIDDEN otherwise). */
  queue(input: { datasetId: number; task: string; limit: number }): Promise<AdjudicationQueue>;
  /** A reviewer's decision (FORBIDDEN otherwise): the label, an attributed adjudication in the history. */
  adjudicate(input: {
    imageId: number;
    task: string;
    label: string;
    user: string;
    reason: string;
  }): Promise<{ labels: string[]; batchId: number }>;
  agreement(datasetId: number, task: string): Promise<AgreementReport>;
  /** A run's labels: decided, else the raters' majority; ties and unrated listed. */
  trainingLabels(taskId: number, imageIds: readonly number[]): Promise<TrainingLabels>;
}

/**
 * A store whose label writes, grid pages, image details and snapshot rows follow the multi-rater
 * rules (used by the pg store; the SQLite service applies them itself): in a task asking for more
 * than one rater a label write is the signed-in rater's own label, a viewer sees only their own
 * label until the image is decided, and a run's rows carry the decided label, else the majority.
 */
export const withRaterRules = (store: Omit<CatalogStore, 'raters'>, raters: RaterStore): CatalogStore => ({
  ...store,
  raters,
  async setLabels(input) {
    const rated = await raters.taskOfImage(input.imageId, input.task);
    if (!rated || rated.raters <= 1) return store.setLabels(input);
    const own = await raters.setRaterLabel({
      imageId: input.imageId,
      taskId: rated.id,
      rater: await store.currentUser(),
      labels: input.labels,
    });
    return { labels: own.labels, batchId: null, version: 0 };
  },
  async bulkRelabel(input) {
    // A bulk relabel would decide images over the raters' heads: adjudicate them one by one.
    if (((await raters.ratersOfTask(input.datasetId, input.task))?.raters ?? 1) > 1)
      throw new AppError(
        'INVALID_INPUT',
        `task "${input.task}" asks for several raters; adjudicate its images instead`,
      );
    return store.bulkRelabel(input);
  },
  async images(q) {
    return raters.pageFor(await store.images(q), q.task, await store.currentUser());
  },
  async image(id, task) {
    const { role } = await raters.role();
    return raters.detailFor(await store.image(id, task), task, await store.currentUser(), role);
  },
  snapshotRows: raterSnapshotRows(store, raters),
});

/** snapshotRows with a multi-rater task's labels: decided, else the raters' majority (ties: none). */
export const raterSnapshotRows =
  (store: Pick<CatalogStore, 'snapshotRows'>, raters: RaterStore): CatalogStore['snapshotRows'] =>
  async (q) => {
    const rows = await store.snapshotRows(q);
    const rated = await raters.ratersOfTask(q.datasetId, q.task);
    if (!rated || rated.raters <= 1) return rows;
    const chosen = await raters.trainingLabels(
      rated.id,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, label: chosen.labels.get(r.id)?.label ?? null }));
  };
