import type { Migration } from './migration';

/**
 * Several independent raters per image. A task asks for `raters` labels per image (1 = the usual
 * single label). For a task with more than one rater each rater's label lives in `rater_labels`
 * (one row per image, task and rater), and `image_labels` holds only the decided label: an
 * adjudication by a reviewer (or a label that was there before the task asked for more raters).
 * History rows of an adjudication carry `adjudication = 1`.
 */
const common = (idType: string) => `
  ALTER TABLE label_tasks ADD COLUMN raters INTEGER NOT NULL DEFAULT 1;
  CREATE TABLE rater_labels (
    image_id ${idType} NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    task_id ${idType} NOT NULL REFERENCES label_tasks(id) ON DELETE CASCADE,
    rater TEXT NOT NULL,
    class_id ${idType} NOT NULL REFERENCES label_classes(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    PRIMARY KEY (image_id, task_id, rater)
  );
  CREATE INDEX rater_labels_task ON rater_labels (task_id, image_id);
  ALTER TABLE history ADD COLUMN adjudication INTEGER NOT NULL DEFAULT 0;
`;

export const migration0014: Migration = {
  version: 14,
  name: 'raters',
  up(db) {
    db.exec(common('INTEGER'));
  },
  postgres: common('BIGINT'),
};
