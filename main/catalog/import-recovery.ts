import type { ImportReport } from '../../shared/contract/catalog';
import type { Logger } from '../core/logger';
import type { CatalogDb } from './catalog-db';
import type { ContentStore } from './content-store';
import { ownerAlive, processExists, type ImportOwner } from './import-owner';

/** Stored as the report message of an import whose process died before it finished. */
export const INTERRUPTED_MESSAGE =
  'The import was interrupted: the process running it stopped (killed or crashed) before it finished. ' +
  'Everything it committed is kept; run the same import again to resume (only what is missing is added).';

/** A report as stored for an interrupted import: the report fields plus why it stopped. */
export type InterruptedReport = ImportReport & { interrupted: true; message: string };

interface RunningJob {
  id: number;
  dataset_id: number;
  dataset: string;
  source: string;
  options: string;
  started_at: string;
  imported: number;
}

/**
 * Settles what killed imports left behind, when a catalog opens: every `running` job whose process
 * is gone becomes `failed` with a report saying it was interrupted and can be resumed by running it
 * again (counting the images it committed), and, once no import is running any more, the managed
 * store's temporary files (half-written copies, never under a real name) are removed. A job whose
 * process is alive (another SonoFuse importing into the same catalog) and its files are left alone.
 */
export const recoverInterruptedImports = (
  cdb: CatalogDb,
  store: ContentStore,
  options: { logger?: Logger; now?: () => string; exists?: (pid: number) => boolean } = {},
): { interrupted: number[]; removedTemporaryFiles: number } => {
  const now = options.now ?? (() => new Date().toISOString());
  const running = cdb.all<RunningJob>(
    'import.running',
    `SELECT j.id, j.dataset_id, d.name AS dataset, j.source, j.options, j.started_at,
       (SELECT count(*) FROM images i WHERE i.import_job_id = j.id) AS imported
     FROM import_jobs j JOIN datasets d ON d.id = j.dataset_id WHERE j.status = 'running' ORDER BY j.id`,
  );
  const stale = running.filter((job) => !ownerAlive(ownerOf(job.options), options.exists ?? processExists));
  if (stale.length > 0) {
    const finishedAt = now();
    cdb.transaction(() => {
      for (const job of stale) {
        const seconds = Math.max(0, (Date.parse(finishedAt) - Date.parse(job.started_at)) / 1000);
        const report: InterruptedReport = {
          jobId: jobIdOf(job.options),
          importId: job.id,
          dataset: job.dataset,
          datasetId: job.dataset_id,
          source: job.source,
          status: 'failed',
          // The entry list was never stored: what is known is what the import committed.
          total: job.imported,
          imported: job.imported,
          skipped: 0,
          duplicates: [],
          errors: [],
          labels: {},
          seconds: Number.isFinite(seconds) ? seconds : 0,
          notices: [],
          interrupted: true,
          message: INTERRUPTED_MESSAGE,
        };
        cdb.run(
          'import.interrupted',
          `UPDATE import_jobs SET status = 'failed', finished_at = ?, report = ? WHERE id = ? AND status = 'running'`,
          finishedAt,
          JSON.stringify(report),
          job.id,
        );
      }
    });
    options.logger?.warn(
      'catalog',
      `marked ${stale.length} interrupted import(s) as failed (${stale.map((j) => j.id).join(', ')}); running them again resumes them`,
    );
  }
  const removedTemporaryFiles = stale.length === running.length ? store.removeTemporaryFiles() : 0;
  if (removedTemporaryFiles > 0)
    options.logger?.info(
      'catalog',
      `removed ${removedTemporaryFiles} orphaned temporary file(s) from the store`,
    );
  return { interrupted: stale.map((j) => j.id), removedTemporaryFiles };
};

const parse = (options: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(options);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

const ownerOf = (options: string): Partial<ImportOwner> | null =>
  (parse(options).owner as Partial<ImportOwner> | undefined) ?? null;

const jobIdOf = (options: string): string => {
  const jobId = parse(options).jobId;
  return typeof jobId === 'string' ? jobId : '';
};
