import { z } from 'zod';
import type { RunCatalogChanges } from '../../shared/contract/run';
import type { CatalogService } from '../catalog/catalog-service';
import { readRunRows, taskIdOf, type PreparedRun } from './build-run-manifest';
import { LabelRule, RunManifest } from './run-manifest';

const PartCounts = z.record(z.string(), z.number().int());

/**
 * A run's frozen snapshot, taken once when it starts and stored with it (`runs.snapshot`): the
 * trainer's manifest (image ids, content hashes, labels, split parts, notes, metadata, config)
 * plus the split and counts the results report. Start, resume and the stored results all use it;
 * the catalog is read again only to tell whether the run is stale (snapshotChanges).
 */
export const RunSnapshot = z.object({
  version: z.literal(1),
  takenAt: z.string(),
  datasetId: z.number().int(),
  task: z.string(),
  splitId: z.number().int(),
  splitName: z.string(),
  counts: z.object({ train: PartCounts, validation: PartCounts, test: PartCounts }),
  unlabeled: z.number().int(),
  /** Several raters per image: adjudicated else majority, and how many images each way. */
  labelRule: LabelRule.optional(),
  manifest: RunManifest.omit({ runId: true }),
});
export type RunSnapshot = z.infer<typeof RunSnapshot>;

export const toSnapshot = (prepared: PreparedRun, takenAt: string): RunSnapshot => ({
  version: 1,
  takenAt,
  datasetId: prepared.datasetId,
  task: prepared.task,
  splitId: prepared.splitId,
  splitName: prepared.splitName,
  counts: prepared.counts,
  unlabeled: prepared.unlabeled,
  ...(prepared.labelRule ? { labelRule: prepared.labelRule } : {}),
  manifest: prepared.manifest,
});

export const fromSnapshot = (s: RunSnapshot): PreparedRun => ({
  manifest: s.manifest,
  datasetId: s.datasetId,
  task: s.task,
  splitId: s.splitId,
  splitName: s.splitName,
  counts: s.counts,
  unlabeled: s.unlabeled,
  ...(s.labelRule ? { labelRule: s.labelRule } : {}),
});

export type SnapshotChanges = RunCatalogChanges;

/**
 * Compares a snapshot with the catalog now: which of the run's images were removed, changed,
 * relabelled or got another note since it started. Images added since do not count (the run
 * never saw them and its results still describe its own snapshot).
 */
export const snapshotChanges = (catalog: CatalogService, s: RunSnapshot): SnapshotChanges => {
  const changes: SnapshotChanges = {
    removed: 0,
    contentChanged: 0,
    relabelled: 0,
    notesChanged: 0,
    total: 0,
  };
  const taskId = taskIdOf(catalog, s.datasetId, s.task);
  const rows =
    taskId === null ? [] : readRunRows(catalog, { datasetId: s.datasetId, taskId, splitId: s.splitId });
  const now = new Map(rows.map((r) => [r.id, r]));
  const classes = s.manifest.classes;
  for (const item of s.manifest.items) {
    const r = now.get(item.imageId);
    if (!r || r.label === null || r.part === null) changes.removed++;
    else if (item.sha256 !== undefined && r.sha256 !== item.sha256) changes.contentChanged++;
    else if (r.label !== classes[item.label]) changes.relabelled++;
    else if ((r.note ?? '') !== (item.note ?? '')) changes.notesChanged++;
    else continue;
    changes.total++;
  }
  return changes;
};
