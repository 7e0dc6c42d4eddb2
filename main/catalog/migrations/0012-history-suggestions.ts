import type { Migration } from './migration';

/**
 * A label accepted from the labeling assistant is recorded as such: the history row keeps the
 * suggesting model's id and the probability it gave the class (both NULL for a label typed from
 * scratch), so audits and exports can tell the two apart.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'history-suggestions',
  up(db) {
    db.exec(`
      ALTER TABLE history ADD COLUMN suggestion_model TEXT;
      ALTER TABLE history ADD COLUMN suggestion_p REAL;
    `);
  },
  postgres: `
    ALTER TABLE history ADD COLUMN suggestion_model TEXT;
    ALTER TABLE history ADD COLUMN suggestion_p DOUBLE PRECISION;
  `,
};
