import type { Migration } from './migration';

/**
 * The frozen snapshot of every run (`runs.snapshot`, JSON): the image ids, content hashes,
 * labels, split parts, notes, metadata and config it trains on, taken when it starts. A resume
 * trains on it instead of the current catalog, and the review compares it with the catalog to
 * tell a run trained on an older catalog state. Runs from before this migration have none.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'run-snapshots',
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN snapshot TEXT CHECK (snapshot IS NULL OR json_valid(snapshot));`);
  },
  postgres: `
      ALTER TABLE runs ADD COLUMN snapshot TEXT;
  `,
};
