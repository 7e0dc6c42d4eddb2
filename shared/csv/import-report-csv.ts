import type { ImportReport } from '../contract/catalog-schemas';
import { rowsToCsv } from './csv-writer';

/** Columns of an import report's CSV. */
export const IMPORT_REPORT_COLUMNS = ['kind', 'file', 'line', 'code', 'reason'] as const;

/**
 * The lines of an import report as table rows: its notices first (they qualify everything else),
 * then every rejected file and every duplicate. One copy for the main process's export and the
 * Import screen's download, so both files are the same.
 */
export const importReportRows = (report: ImportReport): Array<Array<string | number>> => [
  ...(report.notices ?? []).map((notice) => ['notice', '', '', 'notice', notice]),
  ...report.errors.map((e) => ['error', e.file, e.line ?? '', e.code, e.reason]),
  ...report.duplicates.map((d) => [
    'duplicate',
    d.file,
    '',
    d.sameLabel ? 'duplicate' : 'duplicate-label-conflict',
    `same content as ${d.duplicateOf}`,
  ]),
];

/** The import report as CSV through the app's one CSV writer (formula-neutralised). */
export const importReportCsv = (report: ImportReport): { csv: string; rows: number } => {
  const rows = importReportRows(report);
  return { csv: rowsToCsv([[...IMPORT_REPORT_COLUMNS], ...rows]), rows: rows.length };
};
