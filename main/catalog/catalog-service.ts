import { basename, dirname } from 'node:path';
import {
  ViewState,
  type AcceptedSuggestion,
  type BurnedInMask,
  type CatalogChange,
  type CatalogSettings,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
} from '../../shared/contract/catalog';
import type { RaterRole } from '../../shared/contract/raters';
import { AppError } from '../../shared/contract/result';
import { restrictTree } from '../security/private-files';
import type { JobRegistry } from '../core/job-registry';
import type { Logger } from '../core/logger';
import { openCatalogDb, type CatalogDb } from './catalog-db';
import { backupCatalog, protectedCatalogFiles } from './catalog-backup';
import { createCatalogEdits } from './catalog-edits';
import { createCatalogDatasets } from './catalog-datasets';
import { createCatalogFlags } from './catalog-flags';
import { exportDataset, exportImportReport } from './catalog-export';
import { createCatalogImages } from './catalog-images';
import { dataDir, storeDirFor } from './catalog-paths';
import { queryImages } from './catalog-query';
import { createRepository } from './catalog-repository';
import { createCatalogRaters } from './catalog-raters';
import { createLabelJobs } from './label-jobs';
import { createCatalogSplits } from './catalog-splits';
import { createTaskEdits, type TaskEditInput } from './catalog-task-edits';
import { createContentStore } from './content-store';
import { createPseudonyms, defaultSecretStore, type SecretStore } from './pseudonym-keys';
import { elsewhereNotice, isFolder, manifestBeside, manifestNotice, noClassesNotice } from './import-hints';
import { recoverInterruptedImports } from './import-recovery';
import { runImport } from './import-runner';

export interface CatalogServiceOptions {
  /** The database file (created with its folder if missing). */
  dbPath: string;
  /** The managed store; defaults to `<db name>-store/` beside the database. */
  storeDir?: string;
  logger?: Logger;
  slowQueryMs?: number;
  /** Minimum time between progress events (default 250 ms). */
  progressIntervalMs?: number;
  /** When given, imports show up as jobs (status bar) and `jobs:cancel` stops them. */
  jobs?: JobRegistry;
  /**
   * Folders holding one folder per workspace (`<root>/<workspace>/catalog.db`), whose catalogs a
   * backup must never overwrite. Default: the data folder, and the folder two levels above a
   * database named `catalog.db` (the desktop app's `userData/workspaces`).
   */
  workspaceRoots?: readonly string[];
  /**
   * Where the pseudonym key lives, outside the database; default 0600 files in
   * {@link keyDirFor}`(dbPath)`. The desktop app passes the OS keystore (Electron safeStorage).
   */
  secrets?: SecretStore;
}

const open = (options: CatalogServiceOptions) => {
  const cdb = openCatalogDb({
    path: options.dbPath,
    logger: options.logger,
    slowQueryMs: options.slowQueryMs,
  });
  const repo = createRepository(
    cdb,
    undefined,
    createPseudonyms(cdb, options.secrets ?? defaultSecretStore(options.dbPath)),
  );
  // A key an older SonoFuse kept in the database moves out now, before any backup can copy it.
  // If the key folder cannot be written now, the catalog still opens; pseudonymising refuses later.
  try {
    if (repo.pseudonyms.migrate()) options.logger?.info('catalog', 'pseudonym key moved out of the catalog');
  } catch (error) {
    options.logger?.warn(
      'catalog',
      `pseudonym key not moved out of the catalog: ${(error as Error).message}`,
    );
  }
  const store = createContentStore(options.storeDir ?? storeDirFor(options.dbPath));
  if (cdb.wasLoose) {
    // An older SonoFuse left the catalog world-readable: its image store too.
    const tightened = restrictTree(store.root);
    options.logger?.info(
      'catalog',
      `made an older catalog's store owner-only: ${tightened.folders} folders, ${tightened.files} files`,
    );
  }
  // Imports killed mid-way (SIGKILL, crash) left `running` rows and temporary files: settle them.
  recoverInterruptedImports(cdb, store, { logger: options.logger });
  const edits = createCatalogEdits(cdb, repo);
  return {
    cdb,
    repo,
    store,
    edits,
    splits: createCatalogSplits(cdb, repo),
    images: createCatalogImages(cdb, store, edits, repo),
    flags: createCatalogFlags(cdb, repo),
    taskEdits: createTaskEdits(cdb, repo, edits),
    datasets: createCatalogDatasets(cdb),
    raters: createCatalogRaters(cdb, repo),
    jobs: createLabelJobs(cdb),
  };
};

const firstIds = (ids: readonly number[]): number[] => ids.slice(0, 1000);

/**
 * The catalog of one workspace, behind the `catalog:*` calls. The database opens on first use (so
 * building the services touches no disk), and closes with {@link CatalogService.close}.
 */
export const createCatalogService = (options: CatalogServiceOptions) => {
  let state: ReturnType<typeof open> | null = null;
  const s = (): ReturnType<typeof open> => (state ??= open(options));
  const running = new Map<string, AbortController>();
  const progressListeners = new Set<(p: ImportProgress) => void>();
  const changeListeners = new Set<(c: CatalogChange) => void>();
  const changed = (change: CatalogChange): void => {
    for (const l of [...changeListeners]) l(change);
  };
  const datasetOf = (imageId: number): number | null =>
    s().cdb.get<{ dataset_id: number }>(
      'image.dataset',
      'SELECT dataset_id FROM images WHERE id = ?',
      imageId,
    )?.dataset_id ?? null;

  /**
   * What the import report must also say (stored with it): images another dataset already has, a
   * manifest lying next to an imported folder, and a folder import that left its task without
   * classes.
   */
  const addHints = (report: ImportReport, input: ImportOptions): void => {
    const { cdb, datasets, edits } = s();
    const notices: string[] = [];
    const elsewhere = datasets.elsewhere(report.importId);
    if (elsewhere) {
      report.elsewhere = elsewhere;
      notices.push(elsewhereNotice(elsewhere.images, elsewhere.datasets));
    }
    if (isFolder(input.source)) {
      const manifest = manifestBeside(input.source);
      if (manifest) notices.push(manifestNotice(manifest));
      const task = edits.tasks(report.datasetId).find((t) => t.name === input.task);
      if (report.imported > 0 && task && task.classes.length === 0)
        notices.push(noClassesNotice(input.task, report.imported));
    }
    if (notices.length === 0) return;
    report.notices = [...(report.notices ?? []), ...notices];
    cdb.run(
      'import.report.update',
      'UPDATE import_jobs SET report = ? WHERE id = ?',
      JSON.stringify(report),
      report.importId,
    );
  };

  const service = {
    dbPath: options.dbPath,
    /** The open database, for the trainer and tests. */
    db: (): CatalogDb => s().cdb,
    /** Datasets that are not deleted, with their image counts. */
    datasets: () => s().datasets.list(),
    renameDataset(input: { datasetId: number; name: string; user: string }) {
      const dataset = s().datasets.rename(input);
      changed({ datasetId: input.datasetId, kind: 'datasets', imageIds: [] });
      return dataset;
    },
    /**
     * Deletes a dataset (a mark: the audit trail stays). `confirmName` must be its current name, so
     * a stale or mistyped id never deletes the wrong one.
     */
    deleteDataset(input: { datasetId: number; confirmName: string; user: string }) {
      const current = s()
        .datasets.list()
        .find((d) => d.id === input.datasetId);
      if (!current) throw new AppError('NOT_FOUND', `dataset ${input.datasetId} does not exist`);
      if (current.name !== input.confirmName.trim())
        throw new AppError('CONFLICT', `the name typed does not match dataset "${current.name}"`);
      const change = s().datasets.remove(input);
      changed({ datasetId: input.datasetId, kind: 'datasets', imageIds: [] });
      options.logger?.info('catalog', `dataset ${change.id} deleted`);
      return change;
    },
    /** Settings of this workspace's catalog (a stored view that no longer parses reads as null). */
    settings(): CatalogSettings {
      const view = ViewState.safeParse(s().datasets.viewState());
      return { userName: s().datasets.userName(), view: view.success ? view.data : null };
    },
    setUserName(name: string): CatalogSettings {
      s().datasets.setUserName(name);
      return service.settings();
    },
    setViewState(view: ViewState): CatalogSettings {
      s().datasets.setViewState(view);
      return service.settings();
    },
    async import(input: ImportOptions, signal?: AbortSignal): Promise<ImportReport> {
      const jobId = input.jobId ?? crypto.randomUUID();
      if (running.has(jobId)) throw new AppError('CONFLICT', `import ${jobId} is already running`);
      const { cdb, repo, store, datasets } = s();
      if (datasets.isDeletedName(input.dataset))
        throw new AppError('CONFLICT', `"${input.dataset}" names a deleted dataset; choose another name`);
      const controller = new AbortController();
      running.set(jobId, controller);
      const job = options.jobs?.start({
        kind: 'import',
        title: `Import into ${input.dataset}`,
        cancellable: true,
      });
      job?.signal.addEventListener('abort', () => controller.abort());
      try {
        const report = await runImport(
          {
            cdb,
            repo,
            store,
            logger: options.logger,
            progressIntervalMs: options.progressIntervalMs,
            onProgress: (p) => {
              job?.progress(p.done, p.total);
              for (const l of [...progressListeners]) l(p);
            },
          },
          { ...input, jobId },
          signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
        );
        addHints(report, input);
        changed({ datasetId: report.datasetId, kind: 'import', imageIds: [] });
        if (report.status === 'cancelled') job?.cancelled(`${report.imported} imported before the stop`);
        else
          job?.succeed(
            `${report.imported} imported, ${report.duplicates.length} duplicates, ${report.errors.length} errors`,
          );
        return report;
      } catch (error) {
        job?.fail(error instanceof AppError ? error.message : 'import failed; see the log');
        // The System log lists failed imports: the dataset and the error's code, no paths or text.
        options.logger?.warn(
          'catalog',
          `import into "${input.dataset}" failed (${error instanceof AppError ? error.code : 'INTERNAL'})`,
        );
        throw error;
      } finally {
        running.delete(jobId);
      }
    },
    cancelImport(jobId: string): { cancelled: boolean } {
      const controller = running.get(jobId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
    exportImportReport: (input: { importId: number; path: string; format: 'csv' | 'json' }) =>
      exportImportReport(s().cdb, input),
    /** In multi-rater tasks an undecided image shows only the viewer's own label. */
    images: (q: Parameters<typeof queryImages>[1]) =>
      s().raters.pageFor(queryImages(s().cdb, q), q.task, s().datasets.userName()),
    image: (id: number, task = 'label') =>
      s().raters.detailFor(s().images.detail(id, task), task, s().datasets.userName(), s().raters.role()),
    filePath: (id: number) => s().images.filePath(id),
    /** The file to show a person: never one with embedded metadata unless the user kept it. */
    viewPath: (id: number) => s().images.viewPath(id),
    thumbnailPath: (id: number) => s().images.thumbnailPath(id),
    tasks: (datasetId: number) =>
      s()
        .edits.tasks(datasetId)
        .map((t) => ({ ...t, raters: s().raters.ratersOf(t.id) })),
    defineTask: (input: Parameters<ReturnType<typeof createCatalogEdits>['defineTask']>[0]) =>
      s().edits.defineTask(input),
    editTask(input: TaskEditInput) {
      const { task, imageIds } = s().taskEdits.editTask(input);
      changed({ datasetId: input.datasetId, kind: 'tasks', imageIds: firstIds(imageIds) });
      return task;
    },
    taskHistory: (datasetId: number, task = 'label', limit = 50) =>
      s().taskEdits.taskHistory(datasetId, task, limit),
    setFlag(input: { imageId: number; flagged: boolean; user: string; reason: string }) {
      const result = s().flags.setFlag(input);
      if (result.batchId !== null)
        changed({ datasetId: datasetOf(input.imageId), kind: 'flags', imageIds: [input.imageId] });
      return result;
    },
    setLabels(input: {
      imageId: number;
      task: string;
      labels: string[];
      user: string;
      reason: string;
      suggestion?: AcceptedSuggestion;
      baseVersion?: number;
    }) {
      // A task asking for several raters keeps this rater's label apart (see catalog-raters.ts).
      const rated = s().raters.ratersOfTask(datasetOf(input.imageId) ?? 0, input.task);
      if (rated && rated.raters > 1) {
        const own = s().raters.setRaterLabel({ ...input, taskId: rated.id, rater: input.user });
        if (own.changed)
          changed({ datasetId: datasetOf(input.imageId), kind: 'labels', imageIds: [input.imageId] });
        return { labels: own.labels, batchId: null, version: 0 };
      }
      const result = s().edits.setLabels(input);
      if (result.batchId !== null)
        changed({ datasetId: datasetOf(input.imageId), kind: 'labels', imageIds: [input.imageId] });
      // A relabel with a reason (review, correction) goes to the System log; ids only, no text.
      if (result.batchId !== null && input.reason.trim())
        options.logger?.info(
          'catalog',
          `image ${input.imageId} relabelled in task "${input.task}" (batch ${result.batchId})`,
        );
      return result;
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
      baseVersions?: Array<{ imageId: number; version: number }>;
    }) {
      // A bulk relabel would decide images over the raters' heads: adjudicate them one by one.
      if ((s().raters.ratersOfTask(input.datasetId, input.task)?.raters ?? 1) > 1)
        throw new AppError(
          'INVALID_INPUT',
          `task "${input.task}" asks for several raters; adjudicate its images instead`,
        );
      const { changed: count, batchId, imageIds } = s().edits.bulkRelabel(input);
      if (batchId !== null) {
        changed({ datasetId: input.datasetId, kind: 'labels', imageIds: firstIds(imageIds) });
        options.logger?.info(
          'catalog',
          `${count} image(s) of dataset ${input.datasetId} relabelled in task "${input.task}" (batch ${batchId})`,
        );
      }
      return { changed: count, batchId };
    },
    setNote(input: { imageId: number; text: string; user: string; reason: string }) {
      const result = s().edits.setNote(input);
      if (result.batchId !== null)
        changed({ datasetId: datasetOf(input.imageId), kind: 'notes', imageIds: [input.imageId] });
      return result;
    },
    history: (imageId: number | undefined, limit = 200) => s().edits.history(imageId, limit),
    undo(user?: string, undoneBy?: string, batchId?: number) {
      const result = s().edits.undo(user, undoneBy ?? user ?? 'undo', batchId);
      if (result.batchId !== null) {
        changed({
          datasetId: result.imageIds[0] === undefined ? null : datasetOf(result.imageIds[0]),
          kind: 'undo',
          imageIds: firstIds(result.imageIds),
        });
      }
      return { batchId: result.batchId, undone: result.undone };
    },
    stats: (datasetId: number | undefined, task = 'label') => s().splits.stats(datasetId, task),
    whoAmI: () => ({
      user: s().datasets.userName(),
      role: s().raters.role(),
      roleSource: 'setting' as const,
    }),
    setRole(role: RaterRole) {
      s().raters.setRole(role);
      return service.whoAmI();
    },
    /** Reviewers only: a labeler lowering k to 1 would decide images without adjudication. */
    setRaters(input: { datasetId: number; task: string; raters: number }) {
      if (s().raters.role() !== 'reviewer')
        throw new AppError('FORBIDDEN', 'only a reviewer sets how many raters a task asks for');
      const result = s().raters.setRaters(input);
      changed({ datasetId: input.datasetId, kind: 'tasks', imageIds: [] });
      return result;
    },
    agreement: (datasetId: number, task = 'label') => s().raters.agreement(datasetId, task),
    /** The work split (label-jobs.ts): assign a batch, list batches, a batch's labeling queue. */
    createLabelJob: (input: {
      datasetId: number;
      task: string;
      assignee: string;
      size: number;
      user: string;
    }) => s().jobs.create(input),
    labelJobs: (input: { datasetId: number; task?: string; assignee?: string }) => s().jobs.list(input),
    labelJobQueue: (jobId: number, limit = 200) => s().jobs.queue(jobId, limit),
    /** The multi-rater part of this catalog (for the SQLite rater store). */
    raters: () => s().raters,
    /** Labels asked per image of a task (1: one label). */
    ratersOf: (taskId: number) => s().raters.ratersOf(taskId),
    /** A multi-rater task's training labels: decided, else the majority; ties and unrated listed. */
    trainingLabels: (taskId: number, imageIds: readonly number[]) =>
      s().raters.trainingLabels(taskId, imageIds),
    /** Reviewers only: the queue shows every rater's label. */
    adjudicationQueue(input: { datasetId: number; task: string; limit: number }) {
      if (s().raters.role() !== 'reviewer')
        throw new AppError('FORBIDDEN', 'only a reviewer sees the adjudication queue');
      return s().raters.queue(input);
    },
    adjudicate(input: { imageId: number; task: string; label: string; user: string; reason: string }) {
      const datasetId = datasetOf(input.imageId);
      if (datasetId === null) throw new AppError('NOT_FOUND', `no image ${input.imageId}`);
      const result = s().raters.adjudicate({ ...input, datasetId, role: s().raters.role() });
      changed({ datasetId, kind: 'labels', imageIds: [input.imageId] });
      options.logger?.info(
        'catalog',
        `image ${input.imageId} adjudicated in task "${input.task}" (batch ${result.batchId})`,
      );
      return result;
    },
    /** Sets (or clears) a dataset's burned-in masking rectangle; by id, or by name (created if missing). */
    setBurnedInMask(input: { datasetId?: number; dataset?: string; mask: BurnedInMask | null }) {
      const { repo } = s();
      const datasetId =
        input.datasetId ?? (input.dataset === undefined ? undefined : repo.ensureDataset(input.dataset));
      if (datasetId === undefined || repo.datasetName(datasetId) === undefined)
        throw new AppError('NOT_FOUND', `dataset ${input.datasetId ?? input.dataset} does not exist`);
      repo.setBurnedInMask(datasetId, input.mask);
      changed({ datasetId, kind: 'import', imageIds: [] });
      return { datasetId, mask: input.mask };
    },
    createSplit(input: Parameters<ReturnType<typeof createCatalogSplits>['create']>[0]) {
      const split = s().splits.create(input);
      if (!split.reused) changed({ datasetId: input.datasetId, kind: 'split', imageIds: [] });
      return split;
    },
    splits: (datasetId: number) => s().splits.list(datasetId),
    splitAssignments: (splitId: number) => s().splits.assignments(splitId),
    export: (input: {
      datasetId: number;
      path: string;
      format: 'csv' | 'json';
      splitId?: number;
      task: string;
    }) => exportDataset(s().cdb, input),
    /**
     * Online backup through SQLite's backup API (consistent even while imports write), written 0600
     * and atomically. Refuses (CONFLICT) the catalog itself and every workspace's catalog, also
     * through symbolic or hard links.
     */
    backup(path: string): Promise<{ path: string; bytes: number }> {
      const roots = options.workspaceRoots ?? [
        dataDir(),
        ...(basename(options.dbPath) === 'catalog.db' ? [dirname(dirname(options.dbPath))] : []),
      ];
      return backupCatalog(s().cdb.db, path, protectedCatalogFiles(options.dbPath, roots));
    },
    onImportProgress(listener: (p: ImportProgress) => void): () => void {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onChanged(listener: (c: CatalogChange) => void): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    close(): void {
      for (const controller of running.values()) controller.abort();
      state?.cdb.close();
      state = null;
    },
  };
  return service;
};

export type CatalogService = ReturnType<typeof createCatalogService>;
