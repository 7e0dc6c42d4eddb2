import { AppError } from '../../shared/contract/result';
import type { RunConfig } from '../../shared/run/run-config';
import type { CatalogService } from '../catalog/catalog-service';
import type { LabelRule, RunItem, RunManifest } from './run-manifest';

/** The split every run of a dataset uses unless the config names one: group-aware 70/15/15, seed 1. */
export const DEFAULT_SPLIT = { seed: 1, ratios: { train: 0.7, validation: 0.15, test: 0.15 } } as const;

export interface PreparedRun {
  manifest: Omit<RunManifest, 'runId'>;
  datasetId: number;
  task: string;
  splitId: number;
  splitName: string;
  /** Labelled images per part and class. */
  counts: { train: Record<string, number>; validation: Record<string, number>; test: Record<string, number> };
  /** Images left out (no label for the task, or no split part). */
  unlabeled: number;
  /** Tasks with several raters per image: how the training labels were chosen (else absent). */
  labelRule?: LabelRule;
}

/**
 * A metadata category column that names the label: every value seen in training belongs to one
 * class, it covers most training images and has fewer values than there are images per class.
 * (covid-notes' `finding` column is such a column.) Fusion with it would report the label back.
 */
export const labelProxyReason = (
  values: ReadonlyArray<string | number | null>,
  labels: readonly number[],
): string | null => {
  const byValue = new Map<string, Set<number>>();
  let present = 0;
  values.forEach((v, i) => {
    if (v === null || v === '') return;
    present++;
    const key = String(v);
    const set = byValue.get(key) ?? new Set<number>();
    set.add(labels[i]!);
    byValue.set(key, set);
  });
  if (present < Math.max(10, 0.5 * values.length)) return null;
  if (byValue.size >= present / 2) return null; // near-unique values (ids, free text) are not proxies
  const pure = [...byValue.values()].every((s) => s.size === 1);
  return pure
    ? `every training value of this column belongs to one class (a label proxy); list it in metadataFields to use it anyway`
    : null;
};

/** One image of a dataset as a run sees it now: content hash, label for the task, split part, note. */
export interface RunRow {
  id: number;
  sha256: string;
  label: string | null;
  part: RunItem['part'] | null;
  note: string | null;
}

/**
 * Every image of the dataset with its training label (task), part (split) and note, by id. For a
 * task with several raters per image the label is the adjudicated one, else the raters' majority
 * (ties and unrated images have none), and `rule` says how many images each way.
 */
export const readRunRowsWithRule = (
  catalog: CatalogService,
  q: { datasetId: number; taskId: number; splitId: number },
): { rows: RunRow[]; rule: LabelRule | null } => {
  const rows = decidedRunRows(catalog, q);
  const raters = catalog.ratersOf(q.taskId);
  if (raters <= 1) return { rows, rule: null };
  const chosen = catalog.trainingLabels(
    q.taskId,
    rows.map((r) => r.id),
  );
  const rule: LabelRule = {
    rule: 'adjudicated-else-majority',
    raters,
    adjudicated: 0,
    majority: 0,
    ties: 0,
    unrated: 0,
  };
  const ties = new Set(chosen.ties);
  const withLabels = rows.map((r) => {
    const c = chosen.labels.get(r.id);
    if (r.part !== null) {
      if (c) rule[c.source === 'decided' ? 'adjudicated' : 'majority']++;
      else if (ties.has(r.id)) rule.ties++;
      else rule.unrated++;
    }
    return { ...r, label: c?.label ?? null };
  });
  return { rows: withLabels, rule };
};

/** Every image of the dataset with its training label (task), part (split) and note, by id. */
export const readRunRows = (
  catalog: CatalogService,
  q: { datasetId: number; taskId: number; splitId: number },
): RunRow[] => readRunRowsWithRule(catalog, q).rows;

/** The images with their decided label (image_labels), part and note. */
const decidedRunRows = (
  catalog: CatalogService,
  q: { datasetId: number; taskId: number; splitId: number },
): RunRow[] =>
  catalog.db().all<RunRow>(
    'run.items',
    `SELECT i.id, i.sha256,
       (SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
        WHERE l.image_id = i.id AND l.task_id = ? ORDER BY c.ordinal LIMIT 1) AS label,
       (SELECT a.part FROM split_assignments a WHERE a.split_id = ? AND a.image_id = i.id) AS part,
       (SELECT n.text FROM notes n WHERE n.image_id = i.id) AS note
     FROM images i WHERE i.dataset_id = ? ORDER BY i.id`,
    q.taskId,
    q.splitId,
    q.datasetId,
  );

/** The id of a dataset's label task, or null. */
export const taskIdOf = (catalog: CatalogService, datasetId: number, task: string): number | null =>
  catalog
    .db()
    .get<{ id: number }>(
      'run.taskId',
      'SELECT id FROM label_tasks WHERE dataset_id = ? AND name = ?',
      datasetId,
      task,
    )?.id ?? null;

/**
 * Turns a RunConfig into the trainer's manifest: the dataset's labelled images for the task, their
 * stored split (the dataset's default group-aware split, created once and then reused, unless the
 * config names one), file paths, notes and metadata. Reads the catalog only.
 */
export const buildRunManifest = (catalog: CatalogService, config: RunConfig): PreparedRun => {
  const cdb = catalog.db();
  const dataset = catalog.datasets().find((d) => d.name === config.dataset);
  if (!dataset) throw new AppError('NOT_FOUND', `no dataset named "${config.dataset}" in this catalog`);
  const taskName = config.task ?? 'label';
  const task = cdb.get<{ id: number; kind: string }>(
    'run.task',
    'SELECT id, kind FROM label_tasks WHERE dataset_id = ? AND name = ?',
    dataset.id,
    taskName,
  );
  if (!task) throw new AppError('NOT_FOUND', `dataset "${config.dataset}" has no label task "${taskName}"`);
  if (task.kind !== 'single')
    throw new AppError('INVALID_INPUT', `task "${taskName}" is multi-label; runs train single-label tasks`);
  const split = config.splitId
    ? catalog.splits(dataset.id).find((s) => s.id === config.splitId)
    : catalog.createSplit({
        datasetId: dataset.id,
        seed: DEFAULT_SPLIT.seed,
        ratios: { ...DEFAULT_SPLIT.ratios },
        task: taskName,
      });
  if (!split) throw new AppError('NOT_FOUND', `dataset "${config.dataset}" has no split ${config.splitId}`);
  const { rows, rule: labelRule } = readRunRowsWithRule(catalog, {
    datasetId: dataset.id,
    taskId: task.id,
    splitId: split.id,
  });
  const usedClasses = new Set(rows.flatMap((r) => (r.label !== null && r.part !== null ? [r.label] : [])));
  const classes = cdb
    .all<{ name: string }>(
      'run.classes',
      'SELECT name FROM label_classes WHERE task_id = ? ORDER BY ordinal',
      task.id,
    )
    .map((c) => c.name)
    .filter((c) => usedClasses.has(c));
  if (classes.length < 2)
    throw new AppError(
      'INVALID_INPUT',
      `task "${taskName}" has ${classes.length} labelled class(es); a run needs at least 2`,
    );
  const labelled = rows.filter((r) => r.label !== null && r.part !== null);
  const meta = new Map<number, Record<string, string | number | null>>();
  const kinds = new Map<string, 'number' | 'category'>();
  for (const m of cdb.all<{ image_id: number; key: string; type: string; num: number | null; text: string }>(
    'run.metadata',
    `SELECT m.image_id, m.key, m.type, m.num, m.text FROM image_metadata m JOIN images i ON i.id = m.image_id WHERE i.dataset_id = ?`,
    dataset.id,
  )) {
    // Own keys only: a metadata key may be `constructor` or `__proto__`.
    const row = meta.get(m.image_id) ?? (Object.create(null) as Record<string, string | number | null>);
    const numeric = m.type !== 'category';
    row[m.key] = numeric ? m.num : m.text;
    meta.set(m.image_id, row);
    if (!kinds.has(m.key) || (kinds.get(m.key) === 'number' && !numeric))
      kinds.set(m.key, numeric ? 'number' : 'category');
  }
  const items: RunItem[] = labelled.map((r) => ({
    imageId: r.id,
    path: catalog.filePath(r.id),
    sha256: r.sha256,
    label: classes.indexOf(r.label!),
    part: r.part!,
    note: r.note,
    metadata: meta.get(r.id) ?? {},
  }));
  for (const part of ['train', 'validation', 'test'] as const)
    if (!items.some((i) => i.part === part))
      throw new AppError(
        'INVALID_INPUT',
        `the split has no labelled ${part} image; label more images or choose another split`,
      );

  const requested = config.encoders.metadataFields;
  const excludedColumns: RunManifest['excludedColumns'] = [];
  const metadataColumns: RunManifest['metadataColumns'] = [];
  const train = items.filter((i) => i.part === 'train');
  for (const [name, kind] of [...kinds.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (requested && !requested.includes(name)) continue;
    if (!requested && kind === 'category') {
      const reason = labelProxyReason(
        train.map((i) => (Object.hasOwn(i.metadata, name) ? (i.metadata[name] ?? null) : null)),
        train.map((i) => i.label),
      );
      if (reason) {
        excludedColumns.push({ name, reason });
        continue;
      }
    }
    metadataColumns.push({ name, kind });
  }
  const missing = (requested ?? []).filter((n) => !kinds.has(n));
  if (missing.length > 0)
    throw new AppError(
      'INVALID_INPUT',
      `metadata field(s) not in dataset "${config.dataset}": ${missing.join(', ')}`,
    );

  const counts = { train: {}, validation: {}, test: {} } as PreparedRun['counts'];
  for (const i of items) counts[i.part][classes[i.label]!] = (counts[i.part][classes[i.label]!] ?? 0) + 1;
  return {
    manifest: { config, classes, items, metadataColumns, excludedColumns },
    datasetId: dataset.id,
    task: taskName,
    splitId: split.id,
    splitName: split.name,
    counts,
    unlabeled: rows.length - labelled.length,
    ...(labelRule ? { labelRule } : {}),
  };
};
