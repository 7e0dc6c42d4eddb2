import { AppError } from '../../shared/contract/result';
import type { CatalogService } from '../catalog/catalog-service';
import { DEFAULT_SPLIT, readRunRows, taskIdOf } from '../runs/build-run-manifest';

/** One image of the dataset as the assistant sees it. `label` is a class index or null. */
export interface PoolRow {
  id: number;
  sha256: string;
  path: string;
  label: number | null;
  part: 'train' | 'validation' | 'test' | null;
  /** The image's clinical note, if any (encoded for the assistant; never logged). */
  note: string | null;
}

export interface AssistantPool {
  datasetId: number;
  task: string;
  classes: string[];
  splitId: number;
  rows: PoolRow[];
}

/** A dataset by id or name. */
export const resolveDataset = (
  catalog: CatalogService,
  dataset: string | number,
): { id: number; name: string } => {
  const all = catalog.datasets();
  const hit =
    typeof dataset === 'number' || /^\d+$/.test(dataset)
      ? all.find((d) => d.id === Number(dataset))
      : all.find((d) => d.name === dataset);
  if (!hit) throw new AppError('NOT_FOUND', `no dataset ${JSON.stringify(String(dataset))} in this catalog`);
  return { id: hit.id, name: hit.name };
};

/**
 * Every image of a dataset with its label for `task` and its part in the dataset's stored split
 * (the runs' default group-aware split, created once and then reused: datasets without patient
 * groups are split by source group as the runs do). Images imported after the split have no part
 * and are never trained on.
 */
export const readAssistantPool = (
  catalog: CatalogService,
  datasetId: number,
  task: string,
): AssistantPool => {
  const taskId = taskIdOf(catalog, datasetId, task);
  if (taskId === null) throw new AppError('NOT_FOUND', `dataset ${datasetId} has no label task "${task}"`);
  const classes = catalog
    .db()
    .all<{ name: string }>(
      'assistant.classes',
      'SELECT name FROM label_classes WHERE task_id = ? ORDER BY ordinal',
      taskId,
    )
    .map((c) => c.name);
  const split = catalog.createSplit({
    datasetId,
    seed: DEFAULT_SPLIT.seed,
    ratios: { ...DEFAULT_SPLIT.ratios },
    task,
  });
  const rows = readRunRows(catalog, { datasetId, taskId, splitId: split.id }).map((r) => ({
    id: r.id,
    sha256: r.sha256,
    path: catalog.filePath(r.id),
    label: r.label === null ? null : classes.indexOf(r.label),
    part: r.part,
    note: r.note,
  }));
  return { datasetId, task, classes, splitId: split.id, rows };
};

/** Row positions of the pool whose label the assistant may train on: labeled AND in the train part. */
export const trainablePositions = (pool: AssistantPool): number[] =>
  pool.rows.flatMap((r, i) => (r.part === 'train' && r.label !== null && r.label >= 0 ? [i] : []));
