import type { Migration } from './migration';

/**
 * Review flags per image, a colour per label class, and task edits in their own append-only log.
 *
 * The history table is rebuilt (same columns, same rows, same ids) only to widen its `kind` check
 * to `flag`: SQLite cannot alter a CHECK in place. Its append-only triggers are dropped first and
 * recreated last, so the copy never counts as an update or delete. A flag's history value is the
 * flag's reason while set and null once cleared, so undo restores it like a note.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'flags-colours',
  up(db) {
    db.exec(`
      ALTER TABLE label_classes ADD COLUMN colour TEXT
        CHECK (colour IS NULL OR (length(colour) = 7 AND colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'));
      CREATE TABLE image_flags (
        image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        flagged_by TEXT NOT NULL,
        flagged_at TEXT NOT NULL
      );
      CREATE TABLE task_history (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES label_tasks(id) ON DELETE CASCADE,
        from_value TEXT NOT NULL CHECK (json_valid(from_value)),
        to_value TEXT NOT NULL CHECK (json_valid(to_value)),
        user TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
      );
      CREATE INDEX task_history_task ON task_history (task_id, id);
      CREATE TRIGGER task_history_no_update BEFORE UPDATE ON task_history
        BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END;

      DROP TRIGGER history_no_update;
      DROP TRIGGER history_no_delete;
      CREATE TABLE history_v7 (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL,
        image_id INTEGER NOT NULL REFERENCES images(id),
        kind TEXT NOT NULL CHECK (kind IN ('label', 'note', 'flag')),
        task_id INTEGER REFERENCES label_tasks(id),
        from_value TEXT,
        to_value TEXT,
        user TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL CHECK (origin IN ('import', 'edit', 'undo')),
        undoes_batch INTEGER,
        at TEXT NOT NULL
      );
      INSERT INTO history_v7 (id, batch_id, image_id, kind, task_id, from_value, to_value, user, reason, origin, undoes_batch, at)
        SELECT id, batch_id, image_id, kind, task_id, from_value, to_value, user, reason, origin, undoes_batch, at FROM history;
      DROP TABLE history;
      ALTER TABLE history_v7 RENAME TO history;
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
