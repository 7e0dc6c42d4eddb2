import type { LabelConflict } from '../../shared/contract/result';
import type { CatalogDb } from './catalog-db';

/** The version row of one (image, task) label state; version 0 (no row) = never written. */
export interface LabelVersionRow {
  version: number;
  by: string | null;
  at: string | null;
}

/**
 * The one statement that moves a label state to its next version (SQLite spelling; the pg store
 * has the same statement with `$n` parameters). With a base it applies only when the stored version
 * still equals the base: it runs in the writer's IMMEDIATE transaction (SQLite) or locks the row
 * (pg upsert), so of two writers that saw the same version exactly one gets a row back. A missing
 * row is version 0; inserting version 1 over a base > 0 is caught by {@link claimApplied}.
 * Parameters: image, task, user, at, base, base.
 */
export const CLAIM_LABEL_VERSION_SQLITE = `
  INSERT INTO label_versions (image_id, task_id, version, by_user, at) VALUES (?, ?, 1, ?, ?)
  ON CONFLICT (image_id, task_id) DO UPDATE
    SET version = label_versions.version + 1, by_user = excluded.by_user, at = excluded.at
    WHERE ? IS NULL OR label_versions.version = ?
  RETURNING version`;

/** Whether a claim answered `returned` (undefined: no row) for a write based on `base` applied. */
export const claimApplied = (returned: number | undefined, base: number | null): boolean =>
  returned !== undefined && (base === null || returned === base + 1);

const nowIso = (): string => new Date().toISOString();

/** Label-state versions over the SQLite catalog, used inside the callers' write transactions. */
export const createLabelVersions = (cdb: CatalogDb) => ({
  current(imageId: number, taskId: number): LabelVersionRow {
    const row = cdb.get<{ version: number; by_user: string; at: string }>(
      'labelVersion.get',
      'SELECT version, by_user, at FROM label_versions WHERE image_id = ? AND task_id = ?',
      imageId,
      taskId,
    );
    return row ? { version: row.version, by: row.by_user, at: row.at } : { version: 0, by: null, at: null };
  },
  /**
   * Moves the state to its next version, by `user`: unconditionally (base null: imports, undo) or
   * only from `base`. Returns the new version, or null when the state moved past `base` (the
   * caller refuses the write with CONFLICT and rolls its transaction back).
   */
  claim(imageId: number, taskId: number, base: number | null, user: string): number | null {
    const row = cdb.get<{ version: number }>(
      'labelVersion.claim',
      CLAIM_LABEL_VERSION_SQLITE,
      imageId,
      taskId,
      user,
      nowIso(),
      base,
      base,
    );
    return claimApplied(row?.version, base) ? row!.version : null;
  },
});

export type LabelVersions = ReturnType<typeof createLabelVersions>;

/** The conflict a refused write reports, from the state it lost to. */
export const labelConflict = (
  imageId: number,
  task: string,
  state: LabelVersionRow,
  labels: string[],
): LabelConflict => ({ imageId, task, version: state.version, labels, by: state.by, at: state.at });

/** The CONFLICT message for a person: which image(s), and who wrote the first one when. */
export const conflictMessage = (conflicts: readonly LabelConflict[]): string => {
  const first = conflicts[0];
  if (!first) return 'the labels changed since you saw them';
  const who = first.by ? ` by ${first.by}` : '';
  const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more image(s))` : '';
  return `image ${first.imageId} was labelled${who} since you saw it (now version ${first.version})${more}`;
};
