import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { ImportOptions, ImportReport } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import type { Logger } from '../core/logger';
import { createCatalogService } from '../catalog/catalog-service';
import { createFileSecretStore } from '../catalog/pseudonym-keys';
import type { CatalogStore, NewImage } from './catalog-store';

/** Where the department's pseudonym key lives: beside the shared images, so every workstation pseudonymises alike. */
export const sharedKeyDir = (storeDir: string): string => join(storeDir, '.sonofuse-keys');

const CHUNK = 500;

/**
 * Imports into a shared catalog (PostgreSQL) by reusing the whole local importer (manifests,
 * folders, DICOM de-identification, pseudonyms, duplicate checks): it imports into a throwaway
 * SQLite catalog whose image store IS the shared store folder, then copies the rows into `store`
 * with store-relative paths only (an original's path is kept relative to the imported folder).
 * Images already in the shared catalog are counted as skipped.
 */
export const importIntoStore = async (input: {
  store: CatalogStore;
  /** The shared image store folder every workstation mounts. */
  storeDir: string;
  options: ImportOptions;
  logger?: Logger;
  signal?: AbortSignal;
}): Promise<ImportReport> => {
  if (input.options.referenceInPlace)
    throw new AppError(
      'INVALID_INPUT',
      'a shared catalog keeps copies in the shared store: --reference-in-place is not available',
    );
  const staging = mkdtempSync(join(tmpdir(), 'sonofuse-import-'));
  const catalog = createCatalogService({
    dbPath: join(staging, 'catalog.db'),
    storeDir: input.storeDir,
    logger: input.logger,
    secrets: createFileSecretStore(sharedKeyDir(input.storeDir)),
  });
  try {
    const report = await catalog.import(input.options, input.signal);
    const db = catalog.db();
    const local = db.get<{ id: number }>(
      'staging.dataset',
      'SELECT id FROM datasets WHERE name = ?',
      input.options.dataset,
    );
    if (!local) return report;
    const datasetId = await input.store.ensureDataset(input.options.dataset);
    for (const task of catalog.tasks(local.id))
      await input.store.defineTask({
        datasetId,
        name: task.name,
        kind: task.kind,
        classes: task.classes.map((c) => c.name),
      });
    const base = input.options.source.toLowerCase().endsWith('.csv')
      ? dirname(input.options.source)
      : input.options.source;
    const relativeTo = (path: string): string => {
      if (!isAbsolute(path)) return path;
      const rel = relative(base, path);
      return rel.startsWith('..') || isAbsolute(rel) ? path.split(sep).pop()! : rel;
    };
    const user = await input.store.currentUser();
    const images = db.all<{
      id: number;
      sha256: string;
      frame: number;
      file: string;
      original_path: string;
      stored_path: string | null;
      format: string;
      source_format: string;
      width: number;
      height: number;
      bytes: number;
      patient: string | null;
      exam: string | null;
      source: string | null;
      note: string | null;
    }>(
      'staging.images',
      `SELECT i.*, pg.key AS patient, eg.key AS exam, sg.key AS source, n.text AS note FROM images i
       LEFT JOIN groups pg ON pg.id = i.patient_group_id LEFT JOIN groups eg ON eg.id = i.exam_group_id
       LEFT JOIN groups sg ON sg.id = i.source_group_id LEFT JOIN notes n ON n.image_id = i.id
       WHERE i.dataset_id = ? ORDER BY i.id`,
      local.id,
    );
    let inserted = 0;
    let duplicates = 0;
    for (let at = 0; at < images.length; at += CHUNK) {
      const rows: NewImage[] = images.slice(at, at + CHUNK).map((r) => {
        const metadata = Object.fromEntries(
          db
            .all<{ key: string; text: string }>(
              'staging.meta',
              'SELECT key, text FROM image_metadata WHERE image_id = ?',
              r.id,
            )
            .map((m) => [m.key, m.text]),
        );
        const labels: Record<string, string[]> = {};
        for (const l of db.all<{ task: string; name: string }>(
          'staging.labels',
          `SELECT t.name AS task, c.name FROM image_labels l JOIN label_tasks t ON t.id = l.task_id
           JOIN label_classes c ON c.id = l.class_id WHERE l.image_id = ? ORDER BY c.ordinal`,
          r.id,
        ))
          (labels[l.task] ??= []).push(l.name);
        return {
          datasetId,
          sha256: r.sha256,
          frame: r.frame,
          file: r.file,
          originalPath: relativeTo(r.original_path),
          storedPath: r.stored_path,
          format: r.format,
          sourceFormat: r.source_format,
          width: r.width,
          height: r.height,
          bytes: r.bytes,
          patient: r.patient,
          exam: r.exam,
          source: r.source,
          metadata,
          note: r.note,
          labels,
          user,
        };
      });
      const result = await input.store.addImages(rows);
      inserted += result.inserted.length;
      duplicates += result.duplicates;
    }
    return {
      ...report,
      datasetId,
      imported: inserted,
      skipped: report.skipped + duplicates,
      notices: [
        ...(report.notices ?? []),
        ...(duplicates > 0 ? [`${duplicates} image(s) were already in the shared catalog`] : []),
      ],
    };
  } finally {
    catalog.close();
    rmSync(staging, { recursive: true, force: true });
  }
};
