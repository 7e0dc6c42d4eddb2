import { createHash } from 'node:crypto';
import { createRandom } from '../../shared/random/seeded-random';
import type { CatalogDb } from './catalog-db';

/** The classes of the generated rows, in order. */
export const SYNTHETIC_CLASSES = ['brain', 'abdomen', 'femur', 'thorax', 'other'] as const;
const WORDS = [
  'normal',
  'echogenic',
  'biometry',
  'placenta',
  'anterior',
  'posterior',
  'cephalic',
  'breech',
  'follow',
  'review',
  'cyst',
  'shadow',
];
const VIEWS = ['axial', 'sagittal', 'coronal'];

/**
 * Writes `count` SYNTHETIC image rows (no files) with labels, patient groups, notes and typed metadata,
 * for benchmarks and query tests at scale. Deterministic for a seed. 5% of images are unlabeled,
 * 60% have a note, patients hold 1-8 images.
 */
export const seedSyntheticCatalog = (
  cdb: CatalogDb,
  options: { count: number; seed?: number; dataset?: string },
): number => {
  const random = createRandom(options.seed ?? 7);
  const now = new Date(0).toISOString();
  return cdb.transaction(() => {
    const datasetId = Number(
      cdb.run(
        'syn.dataset',
        'INSERT INTO datasets (name, created_at) VALUES (?, ?)',
        options.dataset ?? 'synthetic',
        now,
      ).lastInsertRowid,
    );
    const taskId = Number(
      cdb.run(
        'syn.task',
        `INSERT INTO label_tasks (dataset_id, name, kind, created_at) VALUES (?, 'label', 'single', ?)`,
        datasetId,
        now,
      ).lastInsertRowid,
    );
    const classIds = SYNTHETIC_CLASSES.map((name, ordinal) =>
      Number(
        cdb.run(
          'syn.class',
          'INSERT INTO label_classes (task_id, name, ordinal) VALUES (?, ?, ?)',
          taskId,
          name,
          ordinal,
        ).lastInsertRowid,
      ),
    );
    let patientId = 0;
    let left = 0;
    for (let i = 0; i < options.count; i++) {
      if (left === 0) {
        patientId = Number(
          cdb.run(
            'syn.group',
            `INSERT INTO groups (dataset_id, kind, key) VALUES (?, 'patient', ?)`,
            datasetId,
            `SYN-${i}`,
          ).lastInsertRowid,
        );
        left = random.int(1, 8);
      }
      left--;
      const sha = createHash('sha256').update(`${datasetId}:${i}`).digest('hex');
      const imageId = Number(
        cdb.run(
          'syn.image',
          `INSERT INTO images (dataset_id, sha256, file, original_path, format, source_format, width, height, bytes, patient_group_id, imported_at)
           VALUES (?, ?, ?, ?, 'png', 'png', ?, ?, 1000, ?, ?)`,
          datasetId,
          sha,
          `synthetic/${i}.png`,
          `/synthetic/${i}.png`,
          random.int(200, 800),
          random.int(200, 600),
          patientId,
          new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
        ).lastInsertRowid,
      );
      if (!random.chance(0.05)) {
        cdb.run(
          'syn.label',
          'INSERT INTO image_labels (image_id, task_id, class_id) VALUES (?, ?, ?)',
          imageId,
          taskId,
          random.pick(classIds),
        );
      }
      if (random.chance(0.6)) {
        const text = Array.from({ length: random.int(4, 20) }, () => random.pick(WORDS)).join(' ');
        cdb.run(
          'syn.note',
          `INSERT INTO notes (image_id, text, updated_at, updated_by) VALUES (?, ?, ?, 'synthetic')`,
          imageId,
          text,
          now,
        );
      }
      const ga = Math.round(random.range(12, 40) * 10) / 10;
      cdb.run(
        'syn.meta',
        `INSERT INTO image_metadata (image_id, key, type, num, text) VALUES (?, 'ga_weeks', 'number', ?, ?)`,
        imageId,
        ga,
        String(ga),
      );
      cdb.run(
        'syn.meta2',
        `INSERT INTO image_metadata (image_id, key, type, num, text) VALUES (?, 'view', 'category', NULL, ?)`,
        imageId,
        random.pick(VIEWS),
      );
    }
    cdb.db.exec('ANALYZE');
    return datasetId;
  });
};
