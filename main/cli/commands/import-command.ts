import { basename, dirname, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import {
  BurnedInMask,
  BurnedInPolicy,
  ImportOptions,
  type FrameChoice,
  type ImportReport,
} from '../../../shared/contract/catalog';
import { defaultCatalogPath } from '../../catalog/catalog-paths';
import { createCatalogService } from '../../catalog/catalog-service';
import { createLogger } from '../../core/logger';
import { importIntoStore } from '../../catalog-store/store-import';
import { isPostgresUrl, redactUrl } from '../../catalog-store/workspace-location';
import { openSharedWorkspace } from './shared-workspace';
import { UsageError, type CliCommand, type CliIo } from '../command';

/** `--map old=new` pairs → a column mapping. */
export const parseMapping = (pairs: readonly string[]): Record<string, string> =>
  Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1 || at === pair.length - 1) throw new UsageError(`--map takes old=new, got "${pair}"`);
      return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    }),
  );

/** `first`, `middle`, `all`, `every:N` or a comma list of frame numbers. */
export const parseFrames = (value: string): FrameChoice => {
  if (value === 'first' || value === 'middle' || value === 'all') return value;
  const every = /^every:(\d+)$/.exec(value);
  if (every) return { every: Number(every[1]) };
  const list = value.split(',').map(Number);
  if (list.length && list.every((n) => Number.isInteger(n) && n >= 0)) return list;
  throw new UsageError(`--frames takes first, middle, all, every:N or a list like 0,5,10; got "${value}"`);
};

/** `--mask x,y,w,h` (image pixels) → the dataset's burned-in masking rectangle. */
export const parseMask = (value: string): BurnedInMask => {
  const [x, y, w, h, ...rest] = value.split(',').map((n) => Number(n.trim()));
  const mask = BurnedInMask.safeParse({ x, y, w, h });
  if (rest.length > 0 || !mask.success)
    throw new UsageError(`--mask takes x,y,w,h in pixels (w and h at least 1), got "${value}"`);
  return mask.data;
};

const printBurnedIn = (io: CliIo, report: ImportReport): void => {
  const { images = 0, masked = 0 } = report.burnedIn ?? {};
  if (images === 0) return;
  io.out(
    `Warning: ${images} image(s) declare burned-in annotation (names, ids or dates may be in the pixels); ` +
      (masked === images
        ? 'all were masked before storing.'
        : `${masked} masked. Re-import with --burned-in mask-band (and --mask x,y,w,h) or skip.`),
  );
};

const printReport = (io: CliIo, report: ImportReport, db: string): void => {
  for (const notice of report.notices ?? []) io.out(`Notice: ${notice}`);
  io.out(
    `Imported ${report.imported} images into "${report.dataset}" (${report.status}, ${report.seconds.toFixed(1)} s): ` +
      `${report.skipped} already present, ${report.duplicates.length} duplicates, ${report.errors.length} errors.`,
  );
  printBurnedIn(io, report);
  const labels = Object.entries(report.labels).map(([label, n]) => `${label} ${n}`);
  if (labels.length) io.out(`Labels: ${labels.join(', ')}`);
  if (report.duplicates.length) {
    io.out('Duplicates (same content, not imported again):');
    for (const d of report.duplicates)
      io.out(`  ${d.file} = ${d.duplicateOf}${d.sameLabel ? '' : ' (labels differ)'}`);
  }
  if (report.errors.length) {
    io.out('Errors:');
    for (const e of report.errors) io.out(`  ${e.file}${e.line ? ` (line ${e.line})` : ''}: ${e.reason}`);
  }
  io.out(`Catalog: ${db} (import ${report.importId})`);
};

/**
 * `sonofuse import <manifest.csv|folder|file.dcm> --db FILE --dataset NAME [--json] …`: runs a
 * catalog import and prints a summary (one JSON object on stdout with --json). Ctrl+C stops after
 * the current batch; running the same command again resumes.
 */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a manifest.csv, a folder (sub-folder = class) or DICOM files into the catalog.',
  usage:
    'sonofuse import <manifest.csv|folder|file> [--db FILE] [--dataset NAME] [--json] [--reference-in-place] [--keep-original-bytes] ' +
    '[--map old=new ...] [--multi-label] [--task NAME] [--frames first|middle|all|every:N|0,5] ' +
    '[--include-identifying] [--no-pseudonymise] [--pseudonymize-patient-ids] ' +
    '[--burned-in warn|mask-band|skip] [--mask x,y,w,h] [--no-thumbnails] [--allow-outside-paths] [--user NAME] [--report FILE] ' +
    '(--db postgres://… --store DIR: a shared department catalog)',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        db: { type: 'string' },
        dataset: { type: 'string' },
        json: { type: 'boolean', default: false },
        'reference-in-place': { type: 'boolean', default: false },
        /** Store originals with their embedded metadata (EXIF, XMP…); off: stored copies are stripped. */
        'keep-original-bytes': { type: 'boolean', default: false },
        map: { type: 'string', multiple: true, default: [] },
        'multi-label': { type: 'boolean', default: false },
        task: { type: 'string', default: 'label' },
        frames: { type: 'string', default: 'all' },
        'include-identifying': { type: 'boolean', default: false },
        'no-pseudonymise': { type: 'boolean', default: false },
        'pseudonymize-patient-ids': { type: 'boolean', default: false },
        'burned-in': { type: 'string' },
        mask: { type: 'string' },
        'no-thumbnails': { type: 'boolean', default: false },
        /** Read manifest rows that point outside the manifest's folder (off: refused per row). */
        'allow-outside-paths': { type: 'boolean', default: false },
        user: { type: 'string' },
        report: { type: 'string' },
        /** The shared image store folder of a postgres:// catalog (or SONOFUSE_STORE). */
        store: { type: 'string' },
      },
    });
    if (positionals.length !== 1)
      throw new UsageError('give exactly one manifest.csv, folder or file to import');
    const source = resolve(positionals[0]!);
    const shared = values.db !== undefined && isPostgresUrl(values.db);
    const db = shared ? values.db! : resolve(values.db ?? defaultCatalogPath());
    const dataset =
      values.dataset ?? basename(source.toLowerCase().endsWith('.csv') ? dirname(source) : source);
    const burnedIn = BurnedInPolicy.safeParse(values['burned-in'] ?? (values.mask ? 'mask-band' : 'warn'));
    if (!burnedIn.success) throw new UsageError('--burned-in takes warn, mask-band or skip');
    const mask = values.mask === undefined ? undefined : parseMask(values.mask);
    const options = ImportOptions.parse({
      source,
      dataset,
      referenceInPlace: values['reference-in-place'],
      keepOriginalBytes: values['keep-original-bytes'],
      mapping: parseMapping(values.map),
      multiLabel: values['multi-label'],
      task: values.task,
      frames: parseFrames(values.frames),
      includeIdentifying: values['include-identifying'],
      pseudonymise: !values['no-pseudonymise'],
      pseudonymizePatientIds: values['pseudonymize-patient-ids'],
      burnedIn: burnedIn.data,
      thumbnails: !values['no-thumbnails'],
      allowOutsidePaths: values['allow-outside-paths'],
      user: values.user ?? (userInfo().username || 'cli'),
    });
    const logger = createLogger({ minLevel: 'warn', write: (line) => io.err(line) });
    if (shared) {
      // Department mode: images into the shared store, rows into PostgreSQL (store-relative paths only).
      const { store, storeDir } = await openSharedWorkspace({ db, store: values.store, logger });
      try {
        const report = await importIntoStore({ store, storeDir, options, logger });
        if (values.json) io.out(JSON.stringify({ ...report, db: redactUrl(db) }));
        else printReport(io, report, redactUrl(db));
        return report.status === 'cancelled' ? 130 : 0;
      } finally {
        await store.close();
      }
    }
    const catalog = createCatalogService({ dbPath: db, logger });
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    if (!values.json && io.isTty) {
      catalog.onImportProgress((p) => {
        const eta = p.etaSeconds === null ? '' : `, ${Math.ceil(p.etaSeconds)} s left`;
        io.err(`\r${p.phase} ${p.done}/${p.total} (${p.ratePerSecond.toFixed(0)}/s${eta})   `);
      });
    }
    try {
      // The rectangle is stored with the dataset: later mask-band imports (and the app) reuse it.
      if (mask) catalog.setBurnedInMask({ dataset, mask });
      const report = await catalog.import(options, controller.signal);
      if (values.report) {
        catalog.exportImportReport({
          importId: report.importId,
          path: resolve(values.report),
          format: values.report.endsWith('.csv') ? 'csv' : 'json',
        });
      }
      if (values.json) io.out(JSON.stringify({ ...report, db }));
      else printReport(io, report, db);
      return report.status === 'cancelled' ? 130 : 0;
    } finally {
      process.removeListener('SIGINT', stop);
      catalog.close();
    }
  },
};
