import type { Migration } from './migration';

/**
 * Label tasks with ordered (optionally hierarchical) classes, current labels, and the append-only
 * history of every label and note change. Updates and deletes of history rows are refused by triggers.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'labels',
  up(db) {
    db.exec(`
      CREATE TABLE label_tasks (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('single', 'multi')),
        created_at TEXT NOT NULL,
        UNIQUE (dataset_id, name)
      );
      CREATE TABLE label_classes (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES label_tasks(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        parent_id INTEGER REFERENCES label_classes(id),
        UNIQUE (task_id, name)
      );
      CREATE TABLE image_labels (
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        task_id INTEGER NOT NULL REFERENCES label_tasks(id) ON DELETE CASCADE,
        class_id INTEGER NOT NULL REFERENCES label_classes(id),
        PRIMARY KEY (image_id, task_id, class_id)
      ) WITHOUT ROWID;
      CREATE INDEX image_labels_class ON image_labels (class_id, image_id);
      CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL,
        image_id INTEGER NOT NULL REFERENCES images(id),
        kind TEXT NOT NULL CHECK (kind IN ('label', 'note')),
        task_id INTEGER REFERENCES label_tasks(id),
        from_value TEXT,
        to_value TEXT,
        user TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL CHECK (origin IN ('import', 'edit', 'undo')),
        undoes_batch INTEGER,
        at TEXT NOT NULL
      );
      CREATE INDEX history_image ON history (image_id, id);
      CREATE INDEX history_batch ON history (batch_id);
      CREATE INDEX history_undoes ON history (undoes_batch);
      CREATE TRIGGER history_no_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
      CREATE TRIGGER history_no_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
    `);
  },
};
