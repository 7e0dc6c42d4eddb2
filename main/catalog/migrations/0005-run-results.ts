import type { Migration } from './migration';

/**
 * Run results as the two-stage trainer writes them: a run records its task, label-history
 * position, run folder, summary (RunSummary JSON) and error; predictions are keyed by the run's
 * method names (linear_probe … proposed) instead of 0003's placeholder image/note/fused, and
 * record which seed produced them. 0003's predictions table held no trainer output yet; any rows
 * are carried over with their methods renamed.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'run-results',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN task TEXT;
      ALTER TABLE runs ADD COLUMN label_version INTEGER;
      ALTER TABLE runs ADD COLUMN run_dir TEXT;
      ALTER TABLE runs ADD COLUMN summary TEXT CHECK (summary IS NULL OR json_valid(summary));
      ALTER TABLE runs ADD COLUMN error TEXT;
      CREATE TABLE predictions_v5 (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images(id),
        method TEXT NOT NULL CHECK (method IN ('linear_probe', 'traditional_multimodal', 'stage1_image', 'proposed', 'note_only', 'metadata_only')),
        split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        probs TEXT NOT NULL CHECK (json_valid(probs)),
        predicted TEXT NOT NULL,
        actual TEXT,
        correct INTEGER CHECK (correct IS NULL OR correct IN (0, 1)),
        confidence REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, method, image_id)
      ) WITHOUT ROWID;
      INSERT INTO predictions_v5 (run_id, image_id, method, split, probs, predicted, actual, correct)
        SELECT run_id, image_id,
          CASE method WHEN 'image' THEN 'stage1_image' WHEN 'note' THEN 'note_only' ELSE 'proposed' END,
          split, probs, predicted, actual, correct FROM predictions;
      DROP TABLE predictions;
      ALTER TABLE predictions_v5 RENAME TO predictions;
      CREATE INDEX predictions_review ON predictions (run_id, method, split, correct, confidence);
      CREATE INDEX predictions_image ON predictions (image_id);
    `);
  },
  postgres: `
      ALTER TABLE runs ADD COLUMN task TEXT;
      ALTER TABLE runs ADD COLUMN label_version INTEGER;
      ALTER TABLE runs ADD COLUMN run_dir TEXT;
      ALTER TABLE runs ADD COLUMN summary TEXT;
      ALTER TABLE runs ADD COLUMN error TEXT;
      CREATE TABLE predictions_v5 (
        run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        image_id BIGINT NOT NULL REFERENCES images(id),
        method TEXT NOT NULL CHECK (method IN ('linear_probe', 'traditional_multimodal', 'stage1_image', 'proposed', 'note_only', 'metadata_only')),
        split TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        probs TEXT NOT NULL,
        predicted TEXT NOT NULL,
        actual TEXT,
        correct INTEGER CHECK (correct IS NULL OR correct IN (0, 1)),
        confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, method, image_id)
      );
      INSERT INTO predictions_v5 (run_id, image_id, method, split, probs, predicted, actual, correct)
        SELECT run_id, image_id,
          CASE method WHEN 'image' THEN 'stage1_image' WHEN 'note' THEN 'note_only' ELSE 'proposed' END,
          split, probs, predicted, actual, correct FROM predictions;
      DROP TABLE predictions;
      ALTER TABLE predictions_v5 RENAME TO predictions;
      CREATE INDEX predictions_review ON predictions (run_id, method, split, correct, confidence);
      CREATE INDEX predictions_image ON predictions (image_id);
  `,
};
