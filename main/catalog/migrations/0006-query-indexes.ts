import type { Migration } from './migration';

/**
 * An index on a task's classes by order (ordinal), for the page query's sort by label: it finds
 * the classes of one ordinal, and a task's ordinals in order, without scanning every class of
 * every task. Indexes only: the page query gives the same results without it, just slower.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'query-indexes',
  up(db) {
    db.exec(`CREATE INDEX IF NOT EXISTS label_classes_ordinal ON label_classes (task_id, ordinal)`);
  },
  postgres: `
      CREATE INDEX IF NOT EXISTS label_classes_ordinal ON label_classes (task_id, ordinal);
  `,
};
