import { join } from 'node:path';
import { AppError } from '../../shared/contract/result';
import type { Logger } from '../core/logger';
import { createCatalogService, type CatalogService } from '../catalog/catalog-service';
import { createFileSecretStore } from '../catalog/pseudonym-keys';
import type { CatalogStore, NewImage } from './catalog-store';
import { raterCopyPlan } from './rater-working-copy';
import { createSqliteCatalogStore } from './sqlite-catalog-store';
import { sharedKeyDir } from './store-import';

/**
 * A run on a shared catalog trains on a frozen copy of one dataset, built through the store
 * (`snapshotRows`: labels of the task, notes, metadata, group keys, store-relative paths): a local
 * SQLite catalog in `dir` whose image store is the shared store folder, so the trainer reads the
 * very files every workstation sees and the run, its split and results stay reproducible from
 * that copy. Returns the open local catalog (the caller closes it) and how many images it holds.
 */
export const buildRunWorkingCopy = async (input: {
  store: CatalogStore;
  storeDir: string;
  dataset: string;
  task: string;
  /** An empty folder for the copy (e.g. one per run under the data folder). */
  dir: string;
  logger?: Logger;
}): Promise<{ catalog: CatalogService; images: number }> => {
  const source = (await input.store.datasets()).find((d) => d.name === input.dataset);
  if (!source) throw new AppError('NOT_FOUND', `no dataset named "${input.dataset}" in the shared catalog`);
  const task = (await input.store.tasks(source.id)).find((t) => t.name === input.task);
  if (!task) throw new AppError('NOT_FOUND', `dataset "${input.dataset}" has no label task "${input.task}"`);
  const rows = await input.store.snapshotRows({ datasetId: source.id, task: input.task, splitId: null });
  // A multi-rater task keeps its raters' labels, so the run states its label rule (rater-working-copy.ts).
  const raterPlan = await raterCopyPlan(input.store, source.id, input.task, rows);
  const labelOf = (r: (typeof rows)[number]): string | null => (raterPlan ? raterPlan.labelOf(r) : r.label);
  const catalog = createCatalogService({
    dbPath: join(input.dir, 'catalog.db'),
    storeDir: input.storeDir,
    logger: input.logger,
    secrets: createFileSecretStore(sharedKeyDir(input.storeDir)),
  });
  const local = createSqliteCatalogStore(catalog);
  const datasetId = await local.ensureDataset(input.dataset);
  await local.defineTask({
    datasetId,
    name: task.name,
    kind: task.kind,
    classes: task.classes.map((c) => c.name),
  });
  const user = await input.store.currentUser();
  const images: NewImage[] = rows.map((r) => ({
    datasetId,
    sha256: r.sha256,
    frame: r.frame,
    file: r.file,
    originalPath: r.file,
    storedPath: r.storedPath,
    format: r.format,
    sourceFormat: r.format,
    width: r.width,
    height: r.height,
    bytes: r.bytes,
    patient: r.patient,
    exam: r.exam,
    source: r.source,
    metadata: Object.fromEntries(Object.entries(r.metadata).map(([k, v]) => [k, v.text])),
    note: r.note,
    labels: labelOf(r) === null ? {} : { [input.task]: [labelOf(r)!] },
    user,
  }));
  const { inserted } = await local.addImages(images);
  raterPlan?.apply(catalog, datasetId);
  return { catalog, images: inserted.length };
};
