import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../shared/contract/result';
import type { ImportIssue } from '../../shared/contract/catalog';
import { splitLabels, type ImportEntry, type ImportPlan } from './import-entry';

/** Columns with a meaning; every other column is metadata. */
const RESERVED = new Set(['file', 'label', 'patient_id', 'exam_id', 'source_id', 'note']);

/**
 * Decodes manifest bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM. Bytes that are not
 * valid UTF-8 become U+FFFD so the rows that hold them can be reported, and the rest imported.
 */
export const decodeManifestText = (bytes: Uint8Array): { text: string; valid: boolean } => {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), valid: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), valid: true };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), valid: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(body), valid: false };
  }
};

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads a manifest in the shared convention (`file`, `label`, optional `patient_id`, `exam_id`,
 * `source_id`, `note`, anything else → metadata). `mapping` renames columns first (`{ old: new }`).
 * Paths resolve under the `images/` folder next to the manifest when there is one.
 */
export const readManifest = (
  manifestPath: string,
  options: { mapping: Record<string, string>; multiLabel: boolean },
): ImportPlan => {
  const { text, valid } = decodeManifestText(readFileSync(manifestPath));
  const issues: ImportIssue[] = [];
  const manifestName = manifestPath.split(/[\\/]/).pop() ?? 'manifest.csv';
  const rows = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      issues.push({
        file: manifestName,
        line: (error as { lines?: number } | undefined)?.lines ?? null,
        code: 'malformed-row',
        reason: `malformed CSV: ${error?.message ?? 'unreadable record'}`,
      });
      return undefined;
    },
  }) as unknown as ParsedRecord[];
  const header = rows[0]?.record.map((h) => {
    const name = h.trim();
    return options.mapping[name] ?? name;
  });
  if (!header || !header.includes('file')) {
    throw new AppError(
      'INVALID_INPUT',
      'the manifest has no "file" column (rename one with a column mapping, e.g. --map path=file)',
    );
  }
  const base =
    existsSync(join(dirname(manifestPath), 'images')) &&
    statSync(join(dirname(manifestPath), 'images')).isDirectory()
      ? join(dirname(manifestPath), 'images')
      : dirname(manifestPath);
  const entries: ImportEntry[] = [];
  for (const { record, info } of rows.slice(1)) {
    const line = info.lines;
    const cell = (name: string): string | undefined => {
      const at = header.indexOf(name);
      return at >= 0 ? record[at] : undefined;
    };
    const file = (cell('file') ?? '').trim();
    if (record.length !== header.length) {
      issues.push({
        file: file || manifestName,
        line,
        code: 'malformed-row',
        reason: `malformed CSV line: ${record.length} fields where the header has ${header.length}`,
      });
      continue;
    }
    if (!valid && record.some((v) => v.includes('\uFFFD'))) {
      issues.push({
        file: file || manifestName,
        line,
        code: 'encoding',
        reason: 'not valid UTF-8 (wrong text encoding?); save the manifest as UTF-8',
      });
      continue;
    }
    if (!file) {
      issues.push({ file: manifestName, line, code: 'missing-field', reason: 'the "file" cell is empty' });
      continue;
    }
    const metadata: Record<string, string> = {};
    header.forEach((name, i) => {
      const value = record[i]?.trim() ?? '';
      if (!RESERVED.has(name) && name && value) metadata[name] = value;
    });
    const optional = (name: string): string | null => cell(name)?.trim() || null;
    entries.push({
      file,
      path: isAbsolute(file) ? file : resolve(base, file),
      line,
      labels: splitLabels(cell('label'), options.multiLabel),
      patient: optional('patient_id'),
      exam: optional('exam_id'),
      sourceGroup: optional('source_id'),
      note: cell('note')?.trim() || null,
      metadata,
    });
  }
  return { kind: 'manifest', entries, issues };
};
