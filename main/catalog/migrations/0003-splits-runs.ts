import type { Migration } from './migration';

/**
 * Stored splits (frozen: assignments cannot be updated), training runs and per-image predictions.
 * The trainer fills runs and predictions; the schema is fixed here so results join with images.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'splits-runs',
  up(db) {
    db.exec(`
      CREATE TABLE splits (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        task_id INTEGER REFERENCES label_tasks(id),
        seed INTEGER NOT NULL,
        ratios TEXT NOT NULL CHECK (json_valid(ratios)),
        created_at TEXT NOT NULL,
        UNIQUE (dataset_id, name)
      );
      CREATE TABLE split_assignments (
        split_id INTEGER NOT NULL REFERENCES splits(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        part TEXT NOT NULL CHECK (part IN ('train', 'validation', 'test')),
        PRIMARY KEY (split_id, image_id)
      ) WITHOUT ROWID;
      CREATE INDEX split_assignments_part ON split_assignments (split_id, part, image_id);
      CREATE INDEX split_assignments_image ON split_assignments (image_id);
      CREATE TRIGGER split_assignments_frozen BEFORE UPDATE ON split_assignments
        BEGIN SELECT RAISE(ABORT, 'split assignments are frozen'); END;
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER REFERENCES datasets(id),
        split_id INTEGER REFERENCES splits(id),
        config TEXT NOT NULL CHECK (json_valid(config)),
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        backend TEXT,
        timings TEXT CHECK (timings IS NULL OR json_valid(timings)),
        created_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE TABLE predictions (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id),
        method TEXT NOT NULL CHECK (method IN ('image', 'note', 'fused')),
        split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        probs TEXT NOT NULL CHECK (json_valid(probs)),
        predicted TEXT NOT NULL,
        actual TEXT,
        correct INTEGER CHECK (correct IS NULL OR correct IN (0, 1)),
        PRIMARY KEY (run_id, image_id, method)
      ) WITHOUT ROWID;
      CREATE INDEX predictions_review ON predictions (run_id, method, split, correct);
    `);
  },
};
