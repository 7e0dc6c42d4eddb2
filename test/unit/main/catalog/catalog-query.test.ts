import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageQuery, type ImageQueryInput } from '../../../../shared/contract/catalog';
import { openCatalogDb, type CatalogDb } from '../../../../main/catalog/catalog-db';
import { ftsQuery, queryImages } from '../../../../main/catalog/catalog-query';
import { seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import { tempDir } from './support/catalog-fixtures';

describe('image query', () => {
  let cdb: CatalogDb;
  let datasetId: number;
  const query = (input: Partial<ImageQueryInput>) =>
    queryImages(cdb, ImageQuery.parse({ datasetId, ...input }));
  /** The same question answered by plain SQL, to check the query builder against. */
  const count = (sql: string, ...params: unknown[]) => cdb.get<{ n: number }>('t', sql, ...params)!.n;

  beforeAll(() => {
    cdb = openCatalogDb({ path: join(tempDir(), 'q.db') });
    datasetId = seedSyntheticCatalog(cdb, { count: 2000, seed: 3 });
  });
  afterAll(() => cdb.close());

  it('pages through all images with a stable order and a total', () => {
    const first = query({ limit: 50 });
    const second = query({ limit: 50, offset: 50 });
    expect(first.total).toBe(2000);
    expect(first.items).toHaveLength(50);
    expect(second.items[0]!.id).toBe(first.items[49]!.id + 1);
    expect(query({ offset: 1990, limit: 50 }).items).toHaveLength(10);
  });

  it('filters by a list of ids (the suggestion filter), combined with the others', () => {
    const ids = [5, 17, 42, 1999, 123456];
    const page = query({ ids, sort: { by: 'id', dir: 'desc' } });
    expect([page.total, page.items.map((i) => i.id)]).toEqual([4, [1999, 42, 17, 5]]);
    const unlabeled = query({ unlabeled: true, limit: 3 }).items.map((i) => i.id);
    expect(query({ ids: [...unlabeled, 1, 2, 3], unlabeled: true }).items.map((i) => i.id)).toEqual(
      unlabeled,
    );
    expect(query({ ids: [] }).total).toBe(0);
  });

  it('filters by label, unlabeled, patient, note text and metadata ranges, and counts right', () => {
    const brain = count(
      `SELECT count(*) AS n FROM image_labels l JOIN label_classes c ON c.id = l.class_id WHERE c.name = 'brain'`,
    );
    expect(query({ labels: ['brain'] }).total).toBe(brain);
    expect(query({ labels: ['brain'], limit: 500 }).items.every((i) => i.labels[0] === 'brain')).toBe(true);
    const unlabeled = count(
      'SELECT count(*) AS n FROM images i WHERE NOT EXISTS (SELECT 1 FROM image_labels l WHERE l.image_id = i.id)',
    );
    expect(unlabeled).toBeGreaterThan(50);
    expect(query({ unlabeled: true }).total).toBe(unlabeled);
    const patient = query({ limit: 1 }).items[0]!.patient!;
    expect(query({ patient }).items.every((i) => i.patient === patient)).toBe(true);
    expect(query({ patient }).total).toBe(
      count(
        `SELECT count(*) AS n FROM images i JOIN groups g ON g.id = i.patient_group_id WHERE g.key = ?`,
        patient,
      ),
    );
    const echo = count(
      `SELECT count(*) AS n FROM notes WHERE text LIKE '%echogenic%' AND text LIKE '%breech%'`,
    );
    expect(query({ text: 'echogenic breech' }).total).toBe(echo);
    const mid = count(
      `SELECT count(*) AS n FROM image_metadata WHERE key = 'ga_weeks' AND num BETWEEN 20 AND 24`,
    );
    expect(query({ metadata: [{ key: 'ga_weeks', min: 20, max: 24 }] }).total).toBe(mid);
    const combined = query({
      labels: ['femur'],
      metadata: [
        { key: 'ga_weeks', min: 20 },
        { key: 'view', values: ['axial'] },
      ],
      limit: 500,
    });
    expect(combined.total).toBe(
      count(`SELECT count(*) AS n FROM images i
        WHERE i.id IN (SELECT l.image_id FROM image_labels l JOIN label_classes c ON c.id = l.class_id WHERE c.name = 'femur')
          AND i.id IN (SELECT image_id FROM image_metadata WHERE key = 'ga_weeks' AND num >= 20)
          AND i.id IN (SELECT image_id FROM image_metadata WHERE key = 'view' AND text = 'axial')`),
    );
  });

  it('sorts by columns, label order and metadata', () => {
    const widths = query({ sort: { by: 'width', dir: 'desc' }, limit: 100 }).items.map((i) => i.width);
    expect(widths).toEqual([...widths].sort((a, b) => b - a));
    // Ascending label order: unlabeled images first, then classes in task order (brain, abdomen, …).
    const order = ['', 'brain', 'abdomen', 'femur', 'thorax', 'other'];
    const byLabel = query({ sort: { by: 'label', dir: 'asc' }, offset: 0, limit: 500 }).items.map((i) =>
      order.indexOf(i.labels[0] ?? ''),
    );
    expect(byLabel).toEqual([...byLabel].sort((a, b) => a - b));
    expect([byLabel[0], byLabel.at(-1)]).toEqual([0, 2]); // ~100 unlabeled, ~380 brain, then abdomen
    const ga = query({ sort: { by: 'metadata', key: 'ga_weeks', dir: 'asc' }, limit: 20 }).items.map(
      (i) => i.id,
    );
    const expected = cdb
      .all<{ image_id: number }>(
        't',
        `SELECT image_id FROM image_metadata WHERE key = 'ga_weeks' ORDER BY num, image_id LIMIT 20`,
      )
      .map((r) => r.image_id);
    expect(ga).toEqual(expected);
  });

  it('makes FTS queries safe', () => {
    expect(ftsQuery('cyst AND "x" NEAR(')).toBe('"cyst"* "AND"* "x"* "NEAR"*');
    expect(ftsQuery('  ,;  ')).toBeNull();
  });
});
