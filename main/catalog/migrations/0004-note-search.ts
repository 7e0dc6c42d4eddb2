import type { Migration } from './migration';

/**
 * Full-text search over clinical notes (SQLite FTS5, external content on `notes`), kept in step by
 * triggers. The final `rebuild` indexes notes written before this migration, so an upgraded
 * database can search its old notes.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'note-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE notes_fts USING fts5(
        text, content = 'notes', content_rowid = 'image_id', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        INSERT INTO notes_fts (rowid, text) VALUES (new.image_id, new.text);
      END;
      CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
        INSERT INTO notes_fts (notes_fts, rowid, text) VALUES ('delete', old.image_id, old.text);
      END;
      CREATE TRIGGER notes_fts_update AFTER UPDATE OF text ON notes BEGIN
        INSERT INTO notes_fts (notes_fts, rowid, text) VALUES ('delete', old.image_id, old.text);
        INSERT INTO notes_fts (rowid, text) VALUES (new.image_id, new.text);
      END;
      INSERT INTO notes_fts (notes_fts) VALUES ('rebuild');
    `);
  },
  postgres: `
      -- Note search: PostgreSQL's own text search ('simple': no stemming, like FTS5's unicode61).
      ALTER TABLE notes ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED;
      CREATE INDEX notes_tsv ON notes USING gin (tsv);
  `,
};
