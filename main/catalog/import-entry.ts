import type { ImportIssue } from '../../shared/contract/catalog';

/** One file the import will try, with everything its source says about it. */
export interface ImportEntry {
  /** How the source names it: the manifest `file` value or the path under the folder. */
  file: string;
  /** Absolute path on disk. */
  path: string;
  /** 1-based manifest line, or null for folders. */
  line: number | null;
  labels: string[];
  patient: string | null;
  exam: string | null;
  sourceGroup: string | null;
  note: string | null;
  /** Raw metadata text by column; typed when stored. Own keys only (may be null-prototype). */
  metadata: Record<string, string>;
  /**
   * The folder the file must really be in (symlinks resolved): the manifest's folder for manifest
   * rows. Reading elsewhere needs ImportOptions.allowOutsidePaths.
   */
  confineTo?: string;
}

/** What a source (manifest, folder, single file) yields before any file is read. */
export interface ImportPlan {
  kind: 'manifest' | 'folder' | 'file';
  entries: ImportEntry[];
  /** Problems found while reading the source itself (malformed lines, wrong encoding). */
  issues: ImportIssue[];
}

/**
 * A plan read batch by batch, so an import never holds more than one batch of entries (a manifest is
 * read twice: once to count and check, once to import).
 */
export interface StreamedPlan {
  kind: ImportPlan['kind'];
  /** Entries the source lists, known before the first batch. */
  total: number;
  /** Problems found in the source itself, all known before the first batch. */
  issues: ImportIssue[];
  batches(size: number): AsyncIterable<ImportEntry[]>;
}

/** A plan already in memory (folders, single files), served in batches. */
export const streamPlan = (plan: ImportPlan): StreamedPlan => ({
  kind: plan.kind,
  total: plan.entries.length,
  issues: plan.issues,
  async *batches(size) {
    for (let start = 0; start < plan.entries.length; start += size)
      yield plan.entries.slice(start, start + size);
  },
});

/** Splits a label cell into classes: one class, or several for multi-label tasks. */
export const splitLabels = (cell: string | undefined, multi: boolean): string[] => {
  const value = (cell ?? '').trim();
  if (!value) return [];
  if (!multi) return [value];
  return [
    ...new Set(
      value
        .split(/[;|]/)
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
};
