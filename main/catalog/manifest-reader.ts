import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  MAX_MANIFEST_RECORD_CHARS,
  MAX_METADATA_KEY_CHARS,
  MAX_METADATA_VALUE_CHARS,
  MAX_NOTE_CHARS,
} from '../../shared/contract/catalog-limits';
import type { ImportIssue } from '../../shared/contract/catalog';
import { AppError } from '../../shared/contract/result';
import { splitLabels, type ImportEntry, type StreamedPlan } from './import-entry';
import { readManifestRecords, type ManifestRecord } from './manifest-records';

/**
 * Columns with a meaning; every other column is metadata. The label-source columns of an export
 * are audit facts, not image metadata (a model must never see them), so a re-import skips them.
 */
const RESERVED = new Set([
  'file',
  'label',
  'patient_id',
  'exam_id',
  'source_id',
  'note',
  'label_source',
  'suggestion_model',
  'suggestion_p',
]);

const count = (n: number): string => n.toLocaleString('en');

type Cells = { cells: string[] } | { error: string };

/** The cells of one record, or why they cannot be read. */
const cellsOf = (text: string): Cells => {
  try {
    const rows = parse(text, { relax_column_count: true }) as string[][];
    return { cells: rows[0] ?? [] };
  } catch (error) {
    return { error: `malformed CSV: ${String((error as Error).message).replace(/ at line \d+/, '')}` };
  }
};

/** Records parsed together: one csv-parse call costs about what one row does (~0.2 ms a call). */
const BATCH_RECORDS = 256;
const BATCH_CHARS = MAX_MANIFEST_RECORD_CHARS;

/**
 * The cells of many records at once. The records were cut by the scanner, so they are joined with
 * LF and must come back one for one; when they do not (a malformed row), each is parsed alone to
 * say which one is wrong.
 */
const parseBatch = (texts: readonly string[]): Cells[] => {
  if (texts.length > 1) {
    try {
      const rows = parse(texts.join('\n'), {
        relax_column_count: true,
        record_delimiter: '\n',
      }) as string[][];
      if (rows.length === texts.length) return rows.map((cells) => ({ cells }));
    } catch {
      // Parsed one by one below.
    }
  }
  return texts.map(cellsOf);
};

/** Each record with its cells (or why they cannot be read), in file order, parsed in batches. */
async function* withCells(
  records: AsyncIterable<ManifestRecord>,
): AsyncGenerator<{ record: ManifestRecord; parsed: Cells | null }> {
  let batch: Array<ManifestRecord & { kind: 'text' }> = [];
  let chars = 0;
  const flush = () => {
    const parsed = parseBatch(batch.map((r) => r.text));
    const out = batch.map((record, i) => ({ record, parsed: parsed[i]! }));
    batch = [];
    chars = 0;
    return out;
  };
  for await (const record of records) {
    if (record.kind === 'text') {
      batch.push(record);
      chars += record.text.length;
      if (batch.length >= BATCH_RECORDS || chars >= BATCH_CHARS) yield* flush();
    } else {
      yield* flush();
      yield { record, parsed: null };
    }
  }
  yield* flush();
}

/**
 * The header's column names after `mapping` (`{ old: new }`, own keys only: a column may be called
 * `constructor` or `__proto__`), or an AppError that names the header's line.
 */
const readHeader = (record: ManifestRecord, mapping: Record<string, string>): string[] => {
  const refuse = (why: string): never => {
    throw new AppError(
      'INVALID_INPUT',
      `the manifest header (line ${record.line}) ${why}; fix that line and import again`,
    );
  };
  if (record.kind === 'oversize')
    refuse(`is ${count(record.chars)} characters long (the limit is ${count(MAX_MANIFEST_RECORD_CHARS)})`);
  if (record.kind !== 'text') throw new Error('unreachable');
  if (record.invalidUtf8 && record.text.includes('\uFFFD'))
    refuse('is not valid UTF-8 (wrong text encoding?); save the manifest as UTF-8');
  const parsed = cellsOf(record.text);
  if ('error' in parsed) return refuse(`is ${parsed.error}`);
  const header = parsed.cells.map((cell) => {
    const name = cell.trim();
    return Object.hasOwn(mapping, name) ? mapping[name]!.trim() : name;
  });
  const seen = new Set<string>();
  for (const name of header) {
    if (name.length > MAX_METADATA_KEY_CHARS)
      refuse(`has a column name over ${MAX_METADATA_KEY_CHARS} characters`);
    if (name && seen.has(name)) refuse(`names the column "${name}" twice`);
    seen.add(name);
  }
  if (!seen.has('file'))
    throw new AppError(
      'INVALID_INPUT',
      'the manifest has no "file" column (rename one with a column mapping, e.g. --map path=file)',
    );
  return header;
};

type ManifestOptions = { mapping: Record<string, string>; multiLabel: boolean };
type ManifestRow = { entry: ImportEntry } | { issue: ImportIssue };

/**
 * Reads a manifest in the shared convention (`file`, `label`, optional `patient_id`, `exam_id`,
 * `source_id`, `note`, anything else → metadata). `mapping` renames columns first (`{ old: new }`).
 * Paths resolve under the `images/` folder next to the manifest when there is one; each entry is
 * confined to the manifest's folder (checked when the file is read, see import-reader).
 *
 * The file is streamed: a row over MAX_MANIFEST_RECORD_CHARS is reported without being held, and a
 * cell over the note/metadata limit (catalog-limits) refuses its row with the reason. A header that
 * cannot be read refuses the whole manifest with its line number.
 */
async function* manifestRows(manifestPath: string, options: ManifestOptions): AsyncGenerator<ManifestRow> {
  const manifestName = basename(manifestPath) || 'manifest.csv';
  const folder = dirname(manifestPath);
  const images = join(folder, 'images');
  const base = existsSync(images) && statSync(images).isDirectory() ? images : folder;
  const records = readManifestRecords(manifestPath, { maxRecordChars: MAX_MANIFEST_RECORD_CHARS });
  const first = await records.next();
  if (first.done)
    throw new AppError(
      'INVALID_INPUT',
      'the manifest is empty: it needs a header line with a "file" column, then one line per image',
    );
  let header: string[];
  try {
    header = readHeader(first.value, options.mapping);
  } catch (error) {
    await records.return(undefined); // closes the file
    throw error;
  }
  const column = new Map(header.map((name, at) => [name, at] as const).reverse());
  for await (const { record, parsed } of withCells(records)) {
    const line = record.line;
    const problem = (code: ImportIssue['code'], reason: string, file = manifestName): ManifestRow => ({
      issue: { file, line, code, reason },
    });
    if (record.kind === 'oversize') {
      const lines = record.lastLine > line ? `lines ${line}-${record.lastLine}` : `line ${line}`;
      yield problem(
        'too-large',
        `row of ${count(record.chars)} characters (${lines}) is over the limit of ${count(MAX_MANIFEST_RECORD_CHARS)}: not read`,
      );
      continue;
    }
    if (!parsed || 'error' in parsed) {
      yield problem('malformed-row', parsed?.error ?? 'malformed CSV');
      continue;
    }
    const cells = parsed.cells;
    const cell = (name: string): string | undefined => {
      const at = column.get(name);
      return at === undefined ? undefined : cells[at];
    };
    const file = (cell('file') ?? '').trim();
    const shown = file.length > 300 ? `${file.slice(0, 300)}…` : file || manifestName;
    if (cells.length !== header.length) {
      yield problem(
        'malformed-row',
        `malformed CSV line: ${cells.length} fields where the header has ${header.length}`,
        shown,
      );
      continue;
    }
    if (record.invalidUtf8 && cells.some((v) => v.includes('\uFFFD'))) {
      yield problem('encoding', 'not valid UTF-8 (wrong text encoding?); save the manifest as UTF-8', shown);
      continue;
    }
    if (!file) {
      yield problem('missing-field', 'the "file" cell is empty');
      continue;
    }
    const tooLong = header.findIndex(
      (name, i) => (cells[i]?.length ?? 0) > (name === 'note' ? MAX_NOTE_CHARS : MAX_METADATA_VALUE_CHARS),
    );
    if (tooLong >= 0) {
      const name = header[tooLong]!;
      const limit = name === 'note' ? MAX_NOTE_CHARS : MAX_METADATA_VALUE_CHARS;
      yield problem(
        'too-large',
        `the "${name}" cell holds ${count(cells[tooLong]!.length)} characters, over the limit of ${count(limit)}`,
        shown,
      );
      continue;
    }
    // Own keys only: a column called `constructor` or `__proto__` is plain metadata.
    const metadata = Object.create(null) as Record<string, string>;
    header.forEach((name, i) => {
      const value = cells[i]?.trim() ?? '';
      if (!RESERVED.has(name) && name && value) metadata[name] = value;
    });
    const optional = (name: string): string | null => cell(name)?.trim() || null;
    yield {
      entry: {
        file,
        path: isAbsolute(file) ? file : resolve(base, file),
        line,
        labels: splitLabels(cell('label'), options.multiLabel),
        patient: optional('patient_id'),
        exam: optional('exam_id'),
        sourceGroup: optional('source_id'),
        note: optional('note'),
        metadata,
        confineTo: folder,
      },
    };
  }
}

/**
 * Plans a manifest import: one pass counts the entries and collects every problem of the file
 * (a malformed header throws here, before anything is written); `batches` reads it again and
 * yields its entries a batch at a time.
 */
export const planManifest = async (manifestPath: string, options: ManifestOptions): Promise<StreamedPlan> => {
  const issues: ImportIssue[] = [];
  let total = 0;
  for await (const row of manifestRows(manifestPath, options)) {
    if ('issue' in row) issues.push(row.issue);
    else total++;
  }
  return {
    kind: 'manifest',
    total,
    issues,
    async *batches(size) {
      let batch: ImportEntry[] = [];
      for await (const row of manifestRows(manifestPath, options)) {
        if (!('entry' in row)) continue;
        batch.push(row.entry);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
};
