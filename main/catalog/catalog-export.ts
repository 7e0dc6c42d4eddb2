import { writeFilePrivate } from '../security/private-files';
import type { ImportReport } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import { toCsv } from '../../shared/csv/csv-writer';
import { importReportCsv } from '../../shared/csv/import-report-csv';
import type { CatalogDb } from './catalog-db';

/** One image of an export: its labels of the task joined with `;` (null: none). */
export interface ExportRow {
  id: number;
  file: string;
  frame: number;
  sha256: string;
  patient: string | null;
  exam: string | null;
  source: string | null;
  note: string | null;
  part: string | null;
  labels: string | null;
}

export interface MetadataRow {
  image_id: number;
  key: string;
  type: string;
  num: number | null;
  text: string;
}

/** The history row that set an image's current label (see {@link labelSources}). */
export interface SourceRow {
  image_id: number;
  origin: 'import' | 'edit';
  suggestion_model: string | null;
  suggestion_p: number | null;
}

/** Where each image's current label came from; exported next to the label. */
export const SOURCE_COLUMNS = ['label_source', 'suggestion_model', 'suggestion_p'] as const;

/**
 * The history row that set each image's current label of `task`: the newest label row that is not
 * an undo and whose change was not undone (an undo puts back what that row's predecessor set).
 */
const labelSources = (cdb: CatalogDb, datasetId: number, task: string): Map<number, SourceRow> =>
  new Map(
    cdb
      .all<SourceRow>(
        'export.labelSources',
        `SELECT h.image_id, h.origin, h.suggestion_model, h.suggestion_p FROM history h
         WHERE h.id IN (
           SELECT max(h2.id) FROM history h2 JOIN images i ON i.id = h2.image_id
           WHERE i.dataset_id = ? AND h2.kind = 'label' AND h2.origin <> 'undo'
             AND h2.task_id = (SELECT id FROM label_tasks WHERE dataset_id = ? AND name = ?)
             AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes_batch = h2.batch_id)
           GROUP BY h2.image_id)`,
        datasetId,
        datasetId,
        task,
      )
      .map((r) => [r.image_id, r]),
  );

/**
 * `label_source`: `import` (from the manifest or folder), `typed` (chosen by a person) or
 * `suggestion` (an accepted assistant suggestion, with its model and probability); empty when the
 * image has no label.
 */
const sourceColumns = (r: SourceRow | undefined): Array<[string, string | number]> => [
  [
    'label_source',
    !r ? '' : r.suggestion_model !== null ? 'suggestion' : r.origin === 'import' ? 'import' : 'typed',
  ],
  ['suggestion_model', r?.suggestion_model ?? ''],
  ['suggestion_p', r?.suggestion_p ?? ''],
];

/**
 * Writes labels, notes and metadata of a dataset in the manifest convention (`file`, `label`,
 * `patient_id`, `note`, metadata columns), so an export can be imported again; `label_source`,
 * `suggestion_model` and `suggestion_p` say whether each label was imported, typed or an accepted
 * suggestion. Multi-label values are
 * joined with `;`. JSON keeps metadata typed (numbers as numbers).
 */
export const exportDataset = (
  cdb: CatalogDb,
  input: { datasetId: number; path: string; format: 'csv' | 'json'; splitId?: number; task: string },
): { path: string; rows: number } => {
  if (!cdb.get('dataset.exists', 'SELECT 1 FROM datasets WHERE id = ?', input.datasetId))
    throw new AppError('NOT_FOUND', `no dataset ${input.datasetId}`);
  const rows = cdb.all<ExportRow>(
    'export.rows',
    `SELECT i.id, i.file, i.frame, i.sha256, pg.key AS patient, eg.key AS exam, sg.key AS source, n.text AS note, sa.part,
       (SELECT group_concat(name, ';') FROM (SELECT c.name FROM image_labels l JOIN label_classes c ON c.id = l.class_id
         JOIN label_tasks t ON t.id = l.task_id WHERE l.image_id = i.id AND t.name = ? ORDER BY c.ordinal)) AS labels
     FROM images i
     LEFT JOIN groups pg ON pg.id = i.patient_group_id
     LEFT JOIN groups eg ON eg.id = i.exam_group_id
     LEFT JOIN groups sg ON sg.id = i.source_group_id
     LEFT JOIN notes n ON n.image_id = i.id
     LEFT JOIN split_assignments sa ON sa.split_id = ? AND sa.image_id = i.id
     WHERE i.dataset_id = ? ORDER BY i.id`,
    input.task,
    input.splitId ?? -1,
    input.datasetId,
  );
  const metadataRows = cdb.all<MetadataRow>(
    'export.metadata',
    'SELECT m.image_id, m.key, m.type, m.num, m.text FROM image_metadata m JOIN images i ON i.id = m.image_id WHERE i.dataset_id = ?',
    input.datasetId,
  );
  return writeDatasetExport(input, rows, metadataRows, labelSources(cdb, input.datasetId, input.task));
};

/**
 * Writes an export from an engine's rows (SQLite here, PostgreSQL in main/catalog-store/pg-export.ts),
 * so both engines write the same columns in the same order and format.
 */
export const writeDatasetExport = (
  input: { path: string; format: 'csv' | 'json' },
  rows: readonly ExportRow[],
  metadataRows: readonly MetadataRow[],
  sources: ReadonlyMap<number, SourceRow>,
): { path: string; rows: number } => {
  // Own-property maps throughout: a metadata key may be `constructor` or `__proto__`.
  const metadata = new Map<number, Map<string, string | number>>();
  const keys = new Set<string>();
  for (const m of metadataRows) {
    keys.add(m.key);
    const record = metadata.get(m.image_id) ?? new Map<string, string | number>();
    record.set(m.key, m.type === 'number' && m.num !== null ? m.num : m.text);
    metadata.set(m.image_id, record);
  }
  const metaKeys = [...keys].sort();
  const records = rows.map(
    (r) =>
      new Map<string, string | number>([
        ['file', r.file],
        ['frame', r.frame],
        ['label', r.labels ?? ''],
        ['patient_id', r.patient ?? ''],
        ['exam_id', r.exam ?? ''],
        ['source_id', r.source ?? ''],
        ['split', r.part ?? ''],
        ['note', r.note ?? ''],
        ['sha256', r.sha256],
        ...sourceColumns(r.labels ? sources.get(r.id) : undefined),
        ...(metadata.get(r.id) ?? []),
      ]),
  );
  if (input.format === 'json')
    writeFilePrivate(
      input.path,
      JSON.stringify(
        records.map((r) => Object.fromEntries(r)),
        null,
        1,
      ),
    );
  else
    writeFilePrivate(
      input.path,
      toCsv(
        [
          'file',
          'frame',
          'label',
          'patient_id',
          'exam_id',
          'source_id',
          'split',
          'note',
          'sha256',
          ...SOURCE_COLUMNS,
          ...metaKeys,
        ],
        records,
      ),
    );
  return { path: input.path, rows: records.length };
};

/** Writes the stored report of an import: the whole report as JSON, or its problem lines as CSV. */
export const exportImportReport = (
  cdb: CatalogDb,
  input: { importId: number; path: string; format: 'csv' | 'json' },
): { path: string; rows: number } => {
  const row = cdb.get<{ report: string | null }>(
    'import.report',
    'SELECT report FROM import_jobs WHERE id = ?',
    input.importId,
  );
  if (!row?.report) throw new AppError('NOT_FOUND', `no finished import ${input.importId}`);
  const report = JSON.parse(row.report) as ImportReport;
  const { csv, rows } = importReportCsv(report);
  writeFilePrivate(input.path, input.format === 'json' ? JSON.stringify(report, null, 1) : csv);
  return { path: input.path, rows };
};
