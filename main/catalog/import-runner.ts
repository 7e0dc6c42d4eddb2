import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/contract/result';
import type {
  ImportDuplicate,
  ImportIssue,
  ImportOptions,
  ImportProgress,
  ImportReport,
} from '../../shared/contract/catalog';
import type { Logger } from '../core/logger';
import type { CatalogDb } from './catalog-db';
import type { Repository } from './catalog-repository';
import type { ContentStore } from './content-store';
import { scanFolder } from './folder-scanner';
import { streamPlan, type StreamedPlan } from './import-entry';
import { currentOwner } from './import-owner';
import { confineEntry, outsideFolderNotice, outsideNotice } from './import-confinement';
import { readEntry, type EntryOutcome } from './import-reader';
import { strippedNotice } from './image-metadata-strip';
import { writeChunk, type ReadyEntry } from './import-writer';
import { planManifest } from './manifest-reader';

/** Entries per transaction: a crash loses at most one chunk of work, never half of one. */
export const IMPORT_CHUNK = 32;
/** Files read and decoded at once (sharp decodes off the main thread). */
const IN_FLIGHT = 4;
/**
 * Encoded images (store copies and thumbnails) a chunk may hold before what is ready is written:
 * with a file's own cap (e.g. 256 MiB of DICOM frames) this bounds an import's memory, where a
 * chunk of 32 large files otherwise held all of them at once.
 */
export const MAX_HELD_BYTES = 256 * 1024 ** 2;

export interface ImportDeps {
  /** Overrides {@link MAX_HELD_BYTES} (tests). */
  maxHeldBytes?: number;
  cdb: CatalogDb;
  repo: Repository;
  store: ContentStore;
  logger?: Logger;
  onProgress?: (progress: ImportProgress) => void;
  /** Minimum time between progress events (default 250 ms: about 4 per second). */
  progressIntervalMs?: number;
}

const planFor = async (source: string, options: ImportOptions): Promise<StreamedPlan> => {
  if (!existsSync(source)) throw new AppError('NOT_FOUND', 'the import source does not exist');
  if (statSync(source).isFile() && source.toLowerCase().endsWith('.csv')) {
    return planManifest(source, { mapping: options.mapping, multiLabel: options.multiLabel });
  }
  return streamPlan(scanFolder(source));
};

/**
 * Imports a manifest, folder or file into a dataset. Streams in chunks (one transaction each),
 * reports progress, stops between chunks when `signal` aborts, and is resumable: a re-run skips
 * what is already there. Bad files become report lines; valid ones are imported regardless.
 */
export const runImport = async (
  deps: ImportDeps,
  options: ImportOptions,
  signal?: AbortSignal,
): Promise<ImportReport> => {
  const { cdb, repo } = deps;
  const jobId = options.jobId ?? randomUUID();
  const started = performance.now();
  const source = resolve(options.source);
  const plan = await planFor(source, options);
  const { datasetId, taskId, importJobId } = cdb.transaction(() => {
    const datasetId = repo.ensureDataset(options.dataset);
    const task = repo.ensureTask(datasetId, options.task, options.multiLabel ? 'multi' : 'single');
    const importJobId = Number(
      cdb.run(
        'import.start',
        `INSERT INTO import_jobs (dataset_id, source, kind, options, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)`,
        datasetId,
        source,
        plan.kind,
        // The owner lets a later open tell a killed import from a live one (import-recovery).
        JSON.stringify({ ...options, source, owner: currentOwner() }),
        repo.now(),
      ).lastInsertRowid,
    );
    return { datasetId, taskId: task.id, importJobId };
  });
  const errors: ImportIssue[] = [...plan.issues];
  const duplicates: ImportDuplicate[] = [];
  const labels: Record<string, number> = {};
  const seen = new Map<string, { file: string; labels: string[] }>();
  let imported = 0;
  let skipped = 0;
  let done = 0;
  let lastEmit = 0;
  const total = plan.total;
  const emit = (phase: ImportProgress['phase'], force = false): void => {
    const nowMs = performance.now();
    if (!force && nowMs - lastEmit < (deps.progressIntervalMs ?? 250)) return;
    lastEmit = nowMs;
    const seconds = (nowMs - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    deps.onProgress?.({
      jobId,
      phase,
      done,
      total,
      imported,
      skipped,
      duplicates: duplicates.length,
      errors: errors.length,
      ratePerSecond: rate,
      etaSeconds:
        phase === 'importing' && rate > 0 ? (total - done) / rate : phase === 'importing' ? null : 0,
    });
  };
  emit('scanning', true);
  let status: ImportReport['status'] = 'done';
  let outside = 0;
  const stripped = { files: 0, kinds: new Set<string>() };
  const outsidePolicy = { allow: options.allowOutsidePaths, onOutside: () => void outside++ };
  const ctx = {
    cdb,
    datasetId,
    frames: options.frames,
    thumbnails: options.thumbnails,
    burnedIn: { policy: options.burnedIn, mask: repo.burnedInMask(datasetId) },
    // In place: nothing is stored (the original is shown through a stripped copy made on view).
    copy: options.referenceInPlace ? 'none' : options.keepOriginalBytes ? 'original' : 'stripped',
  } as const;
  try {
    for await (const chunk of plan.batches(IMPORT_CHUNK)) {
      if (signal?.aborted) {
        status = 'cancelled';
        break;
      }
      // What is ready is written (one transaction) whenever it holds more than maxHeldBytes of
      // encoded images, and at the end of the chunk.
      let ready: ReadyEntry[] = [];
      let held = 0;
      const flush = (): void => {
        if (ready.length === 0) return;
        const batch = ready;
        ready = [];
        held = 0;
        const written = cdb.transaction(() =>
          writeChunk({ repo, store: deps.store, datasetId, taskId, importJobId, options }, batch),
        );
        written.forEach((count, i) => {
          imported += count;
          for (const label of batch[i]!.entry.labels) labels[label] = (labels[label] ?? 0) + count;
          const removed = batch[i]!.decoded.images.flatMap((image) => image.removedMetadata);
          if (removed.length > 0) stripped.files++;
          for (const kind of removed) stripped.kinds.add(kind);
        });
      };
      // Up to IN_FLIGHT reads run at once; outcomes are taken in the chunk's order.
      const pending: Array<Promise<EntryOutcome>> = [];
      let next = 0;
      const launch = (): void => {
        const entry = chunk[next++]!;
        const read = confineEntry(entry, outsidePolicy).then((confined) =>
          confined.kind === 'error' ? confined : readEntry(confined.entry, ctx),
        );
        read.catch(() => undefined); // a failure surfaces where it is awaited, never unhandled
        pending.push(read);
      };
      while (next < chunk.length && pending.length < IN_FLIGHT) launch();
      for (const entry of chunk) {
        const outcome = await pending.shift()!;
        if (next < chunk.length) launch();
        if (outcome.kind === 'error') errors.push(outcome.issue);
        else if (outcome.kind === 'skipped') skipped++;
        else if (outcome.kind === 'duplicate') {
          const theirs = repo.labels(outcome.existingId, taskId);
          duplicates.push({
            file: entry.file,
            duplicateOf: outcome.duplicateOf,
            sameLabel: sameSet(theirs, entry.labels),
          });
        } else {
          const earlier = seen.get(outcome.sha256);
          if (earlier) {
            duplicates.push({
              file: entry.file,
              duplicateOf: earlier.file,
              sameLabel: sameSet(earlier.labels, entry.labels),
            });
          } else {
            seen.set(outcome.sha256, { file: entry.file, labels: entry.labels });
            ready.push({ entry, sha256: outcome.sha256, bytes: outcome.bytes, decoded: outcome.decoded });
            held += outcome.decoded.images.reduce(
              (sum, image) => sum + image.storeBytes.length + (image.thumbnail?.length ?? 0),
              0,
            );
            if (held > (deps.maxHeldBytes ?? MAX_HELD_BYTES)) flush();
          }
        }
      }
      flush();
      done += chunk.length;
      emit('importing');
    }
  } catch (error) {
    finish('failed');
    emit('failed', true);
    throw error;
  }
  const report = finish(status);
  emit(status === 'done' ? 'done' : 'cancelled', true);
  deps.logger?.info(
    'catalog',
    `import ${importJobId} ${status}: ${imported} imported, ${skipped} skipped, ${duplicates.length} duplicates, ${errors.length} errors in ${report.seconds.toFixed(1)} s`,
  );
  return report;

  function finish(final: ImportReport['status']): ImportReport {
    const result: ImportReport = {
      jobId,
      importId: importJobId,
      dataset: options.dataset,
      datasetId,
      source,
      status: final,
      total,
      imported,
      skipped,
      duplicates,
      errors,
      labels,
      seconds: (performance.now() - started) / 1000,
      burnedIn: repo.burnedInCount(importJobId),
      notices: [
        ...(options.allowOutsidePaths && plan.kind === 'manifest' ? [outsideNotice(source, outside)] : []),
        ...(options.allowOutsidePaths && plan.kind === 'folder' && outside > 0
          ? [outsideFolderNotice(source, outside)]
          : []),
        ...(stripped.files > 0 ? [strippedNotice(stripped.files, stripped.kinds)] : []),
      ],
    };
    cdb.run(
      'import.finish',
      'UPDATE import_jobs SET status = ?, finished_at = ?, report = ? WHERE id = ?',
      final,
      repo.now(),
      JSON.stringify(result),
      importJobId,
    );
    return result;
  }
};

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));
