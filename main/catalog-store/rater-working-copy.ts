import type { CatalogService } from '../catalog/catalog-service';
import type { CatalogStore, SnapshotRow } from './catalog-store';

/**
 * A run's working copy of a multi-rater task (run-working-copy.ts): the copy gets the same raters
 * setting, each image's decided label (adjudication) as its label and every rater's label as rater
 * labels, so the run built from the copy applies the same rule (decided, else the raters'
 * majority) and states it with its counts (the run's `labelRule`). Null for a single-rater task.
 */
export const raterCopyPlan = async (
  store: CatalogStore,
  datasetId: number,
  task: string,
  rows: readonly SnapshotRow[],
): Promise<{
  /** The label the copied image carries: its decided label only (null: undecided). */
  labelOf(row: SnapshotRow): string | null;
  /** Writes the raters setting and the rater labels into the copy, once its images exist. */
  apply(copy: CatalogService, copyDatasetId: number): void;
} | null> => {
  const shared = await store.raters.ratersOfTask(datasetId, task);
  if (!shared || shared.raters <= 1) return null;
  const ids = rows.map((r) => r.id);
  const chosen = await store.raters.trainingLabels(shared.id, ids);
  const ratings = await store.raters.ratings(shared.id, ids);
  const keyOf = (sha256: string, frame: number) => `${sha256}:${frame}`;
  return {
    labelOf: (row) => {
      const c = chosen.labels.get(row.id);
      return c?.source === 'decided' ? c.label : null;
    },
    apply(copy, copyDatasetId) {
      // The copy is this run's own catalog: its setting follows the shared one (no role to check).
      const local = copy.raters();
      local.setRaters({ datasetId: copyDatasetId, task, raters: shared.raters });
      const taskId = local.ratersOfTask(copyDatasetId, task)!.id;
      const copied = new Map(
        copy
          .db()
          .all<{ id: number; sha256: string; frame: number }>(
            'copy.images',
            'SELECT id, sha256, frame FROM images WHERE dataset_id = ?',
            copyDatasetId,
          )
          .map((r) => [keyOf(r.sha256, r.frame), r.id]),
      );
      for (const row of rows) {
        if (chosen.labels.get(row.id)?.source === 'decided') continue;
        const id = copied.get(keyOf(row.sha256, row.frame));
        if (id === undefined) continue;
        for (const r of ratings.get(row.id) ?? [])
          local.setRaterLabel({ imageId: id, taskId, rater: r.rater, labels: [r.label] });
      }
    },
  };
};
