import type { Migration } from './migration';

/**
 * Datasets can be renamed and deleted without losing the audit trail.
 *
 * A delete is a mark (`datasets.deleted_at/deleted_by`): the images, labels and the append-only
 * history of every image stay, because history rows reference images and are never removed; the
 * dataset disappears from lists, statistics and imports, and its name is freed (the row's name gets
 * a ` [deleted N]` suffix, the original is kept in `dataset_history`). Renames and deletes are
 * logged in the append-only `dataset_history`. `images_sha256` lets an import say which of its files
 * are already in another dataset.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'dataset-lifecycle',
  up(db) {
    db.exec(`
      ALTER TABLE datasets ADD COLUMN deleted_at TEXT;
      ALTER TABLE datasets ADD COLUMN deleted_by TEXT;
      CREATE TABLE dataset_history (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('rename', 'delete')),
        from_value TEXT NOT NULL,
        to_value TEXT,
        user TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX dataset_history_dataset ON dataset_history (dataset_id, id);
      CREATE TRIGGER dataset_history_no_update BEFORE UPDATE ON dataset_history
        BEGIN SELECT RAISE(ABORT, 'dataset history is append-only'); END;
      CREATE TRIGGER dataset_history_no_delete BEFORE DELETE ON dataset_history
        BEGIN SELECT RAISE(ABORT, 'dataset history is append-only'); END;
      CREATE INDEX images_sha256 ON images (sha256);
    `);
  },
};
