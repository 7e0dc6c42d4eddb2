import type { Migration } from './migration';

/** Datasets, groups (patient/exam/source), images, typed metadata, notes and import jobs. */
export const migration0001: Migration = {
  version: 1,
  name: 'images',
  up(db) {
    db.exec(`
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('patient', 'exam', 'source')),
        key TEXT NOT NULL,
        UNIQUE (dataset_id, kind, key)
      );
      CREATE TABLE import_jobs (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('manifest', 'folder', 'file')),
        options TEXT NOT NULL CHECK (json_valid(options)),
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        report TEXT CHECK (report IS NULL OR json_valid(report))
      );
      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        frame INTEGER NOT NULL DEFAULT 0 CHECK (frame >= 0),
        file TEXT NOT NULL,
        original_path TEXT NOT NULL,
        stored_path TEXT,
        format TEXT NOT NULL,
        source_format TEXT NOT NULL,
        width INTEGER NOT NULL CHECK (width > 0),
        height INTEGER NOT NULL CHECK (height > 0),
        bytes INTEGER NOT NULL,
        patient_group_id INTEGER REFERENCES groups(id),
        exam_group_id INTEGER REFERENCES groups(id),
        source_group_id INTEGER REFERENCES groups(id),
        import_job_id INTEGER REFERENCES import_jobs(id),
        imported_at TEXT NOT NULL,
        UNIQUE (dataset_id, sha256, frame)
      );
      CREATE INDEX images_dataset ON images (dataset_id, id);
      CREATE INDEX images_file ON images (dataset_id, file);
      CREATE INDEX images_patient ON images (patient_group_id);
      CREATE TABLE image_metadata (
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('number', 'category', 'date')),
        num REAL,
        text TEXT NOT NULL,
        PRIMARY KEY (image_id, key)
      ) WITHOUT ROWID;
      CREATE INDEX image_metadata_num ON image_metadata (key, num);
      CREATE INDEX image_metadata_text ON image_metadata (key, text);
      CREATE TABLE notes (
        image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );
    `);
  },
};
