import type { Migration } from './migration';

/**
 * The augmentation config of each dataset, versioned: every save appends a row (version 1, 2, …
 * per dataset) and the newest row is the one the Augmentation screen edits and a run trains with.
 * Rows are never changed, so a run's `augmentation.version` always names the config it used.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'dataset-augmentations',
  up(db) {
    db.exec(`
      CREATE TABLE dataset_augmentations (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        preset TEXT NOT NULL,
        config TEXT NOT NULL CHECK (json_valid(config)),
        user TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (dataset_id, version)
      );
      CREATE TRIGGER dataset_augmentations_no_update BEFORE UPDATE ON dataset_augmentations
        BEGIN SELECT RAISE(ABORT, 'dataset augmentations are append-only'); END;
    `);
  },
};
