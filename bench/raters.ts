/**
 * Multi-rater figures (issue #18): a synthetic SQLite catalog of N images (no files), a task asking
 * for 3 raters with 3 rater labels per image (each rater agrees with the image's "true" class 80% of
 * the time, seeded), then the time of: agreement (Fleiss over every image), the adjudication
 * queue, a run's training labels (decided else majority) for every image, a 100-image grid page as
 * a labeler, and one rater label write. Prints figures; never fails on a time.
 * `npx tsx bench/raters.ts [images]` (default 100000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageQuery } from '../shared/contract/catalog';
import { createRandom } from '../shared/random/seeded-random';
import { createCatalogService } from '../main/catalog/catalog-service';
import { SYNTHETIC_CLASSES, seedSyntheticCatalog } from '../main/catalog/synthetic-catalog';

const count = Number(process.argv[2] ?? 100_000);
const RATERS = ['ann', 'bo', 'cy'];

const time = <T>(fn: () => T, runs = 3): { ms: number; value: T } => {
  let value = fn();
  const started = performance.now();
  for (let i = 0; i < runs; i++) value = fn();
  return { ms: Number(((performance.now() - started) / runs).toFixed(1)), value };
};

const main = (): void => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-bench-raters-'));
  const catalog = createCatalogService({ dbPath: join(dir, 'catalog.db') });
  try {
    const cdb = catalog.db();
    const datasetId = seedSyntheticCatalog(cdb, { count, seed: 11 });
    catalog.defineTask({
      datasetId,
      name: 'plane',
      kind: 'single',
      classes: SYNTHETIC_CLASSES.map((name) => ({ name, parent: null })),
    });
    catalog.setRole('reviewer');
    catalog.setRaters({ datasetId, task: 'plane', raters: 3 });
    const taskId = catalog.raters().ratersOfTask(datasetId, 'plane')!.id;
    const classIds = cdb
      .all<{ id: number }>(
        'bench.classes',
        'SELECT id FROM label_classes WHERE task_id = ? ORDER BY ordinal',
        taskId,
      )
      .map((c) => c.id);
    const ids = cdb
      .all<{ id: number }>('bench.ids', 'SELECT id FROM images WHERE dataset_id = ? ORDER BY id', datasetId)
      .map((r) => r.id);
    const random = createRandom(3);
    const k = classIds.length;
    cdb.transaction(() => {
      for (const id of ids) {
        const truth = random.int(0, k - 1);
        for (const rater of RATERS) {
          const c = random.chance(0.8) ? truth : random.int(0, k - 1);
          cdb.run(
            'bench.rate',
            'INSERT INTO rater_labels (image_id, task_id, rater, class_id, at) VALUES (?, ?, ?, ?, ?)',
            id,
            taskId,
            rater,
            classIds[c]!,
            '2026-12-04T00:00:00Z',
          );
        }
      }
    });
    catalog.setRole('reviewer');
    catalog.setUserName('ann');
    const agreement = time(() => catalog.agreement(datasetId, 'plane'));
    const queue = time(() => catalog.adjudicationQueue({ datasetId, task: 'plane', limit: 500 }));
    const training = time(() => catalog.trainingLabels(taskId, ids));
    const query = ImageQuery.parse({
      datasetId,
      task: 'plane',
      sort: { by: 'file', dir: 'asc' },
      offset: 0,
      limit: 100,
    });
    const page = time(() => catalog.images(query), 10);
    const write = time(
      () =>
        catalog.setLabels({
          imageId: ids[0]!,
          task: 'plane',
          labels: [SYNTHETIC_CLASSES[0]],
          user: 'dee',
          reason: '',
        }),
      10,
    );
    console.log(
      JSON.stringify({
        images: count,
        ratings: count * RATERS.length,
        kappa: Number(agreement.value.kappa?.toFixed(4)),
        method: agreement.value.method,
        disagreements: queue.value.disagreementTotal,
        majority: training.value.labels.size,
        ties: training.value.ties.length,
        agreementMs: agreement.ms,
        queueMs: queue.ms,
        trainingLabelsMs: training.ms,
        gridPageAsLabelerMs: page.ms,
        raterWriteMs: write.ms,
      }),
    );
  } finally {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

main();
