import type { ImportOptionsInput } from '../../shared/contract/catalog';

/** One issue the import report must list: the file as the source names it and its category. */
export interface ExpectedIssue {
  /** The report's `file` (exact text), or a pattern; absent when any file may carry it. */
  file?: string | RegExp;
  /** Acceptable `ImportIssue.code` values (usually one). Kept as text so new categories fit. */
  codes: readonly string[];
}

/** What importing one hostile source must come to. */
export interface HostileExpectation {
  /** Images stored by the import (0 for a bad single file). */
  imported: number;
  /** Every issue the report lists, one each; the report lists nothing else. */
  errors: readonly ExpectedIssue[];
  /** The whole source is refused: `catalog.import` rejects with this AppError code and message. */
  refused?: { code: string; message: RegExp };
}

/** One generated hostile (or deliberately valid but unusual) input and its expected outcome. */
export interface HostileCase {
  /** Unique, descriptive: `png-truncated-half`, `csv-path-dotdot`, … */
  name: string;
  group: 'png' | 'jpeg' | 'dicom' | 'csv' | 'folder' | 'other';
  /** What to import: one file, a folder or a manifest. */
  source: string;
  /** Import options beyond source and dataset. */
  options?: Partial<ImportOptionsInput>;
  expect: HostileExpectation;
  /** Why the case exists: the attack or accident it stands for. */
  why: string;
}

/** A single image file (or DICOM) that must fail with one of `codes`. */
export const failsAs = (codes: readonly string[]): HostileExpectation => ({
  imported: 0,
  errors: [{ codes }],
});

/** A file that must import as `count` images with no issue. */
export const importsAs = (count = 1): HostileExpectation => ({ imported: count, errors: [] });
