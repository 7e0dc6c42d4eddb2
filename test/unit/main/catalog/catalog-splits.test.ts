import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCatalogDb } from '../../../../main/catalog/catalog-db';
import { createRepository } from '../../../../main/catalog/catalog-repository';
import { createCatalogSplits } from '../../../../main/catalog/catalog-splits';
import { buildSplit, groupComponents, type SplitItem } from '../../../../main/catalog/split-builder';
import { seedSyntheticCatalog } from '../../../../main/catalog/synthetic-catalog';
import { tempDir } from './support/catalog-fixtures';

const ratios = { train: 0.7, validation: 0.15, test: 0.15 };

/** 300 items: patients of 1-4 images, two classes 2:1, plus 30 ungrouped images. */
const items = (): SplitItem[] => {
  const out: SplitItem[] = [];
  let id = 1;
  for (let p = 0; p < 110; p++) {
    for (let k = 0; k < (p % 4) + 1 && id <= 270; k++)
      out.push({ id: id++, groups: [`p${p}`], label: p % 3 === 0 ? 'b' : 'a' });
  }
  while (id <= 300) out.push({ id: id++, groups: [], label: id % 3 === 0 ? 'b' : 'a' });
  return out;
};

describe('group-aware stratified split', () => {
  it('links images through any shared group (patient, exam, source)', () => {
    const components = groupComponents([
      { id: 1, groups: ['p1'], label: null },
      { id: 2, groups: ['p2', 'e9'], label: null },
      { id: 3, groups: ['p1', 'e9'], label: null },
      { id: 4, groups: [], label: null },
    ]);
    expect(components.map((c) => c.sort()).sort()).toEqual([[0, 1, 2], [3]]);
  });

  it('never puts a group in two parts, hits the ratios and keeps classes stratified', () => {
    const list = items();
    const split = buildSplit(list, ratios, 42);
    const partOfGroup = new Map<string, string>();
    for (const item of list) {
      for (const g of item.groups) {
        const part = split.get(item.id)!;
        expect(partOfGroup.get(g) ?? part).toBe(part);
        partOfGroup.set(g, part);
      }
    }
    const sizes = { train: 0, validation: 0, test: 0 };
    const bShare = { train: 0, validation: 0, test: 0 };
    for (const item of list) {
      sizes[split.get(item.id)!]++;
      if (item.label === 'b') bShare[split.get(item.id)!]++;
    }
    // Targets 210 / 45 / 45 of 300; groups of up to 4 images allow a few images of slack.
    expect(Math.abs(sizes.train - 210)).toBeLessThanOrEqual(6);
    expect(Math.abs(sizes.validation - 45)).toBeLessThanOrEqual(6);
    expect(Math.abs(sizes.test - 45)).toBeLessThanOrEqual(6);
    const overall = list.filter((i) => i.label === 'b').length / list.length;
    for (const part of ['train', 'validation', 'test'] as const)
      expect(Math.abs(bShare[part] / sizes[part] - overall)).toBeLessThan(0.08);
  });

  it('is reproducible for a seed and different for another', () => {
    const a = [...buildSplit(items(), ratios, 1)];
    expect([...buildSplit(items(), ratios, 1)]).toEqual(a);
    expect([...buildSplit(items(), ratios, 2)]).not.toEqual(a);
  });

  it('stores splits, reuses one by name, and keeps patients whole at 5,000 synthetic images', () => {
    const cdb = openCatalogDb({ path: join(tempDir(), 's.db') });
    const datasetId = seedSyntheticCatalog(cdb, { count: 5000, seed: 11 });
    const splits = createCatalogSplits(cdb, createRepository(cdb));
    const made = splits.create({ datasetId, seed: 42, ratios, task: 'label' });
    expect(made.name).toBe('seed42-70-15-15');
    expect(made.reused).toBe(false);
    expect(made.parts.reduce((n, p) => n + p.images, 0)).toBe(5000);
    expect(made.parts.map((p) => Math.round((p.images / 5000) * 100))).toEqual([70, 15, 15]);
    const leaks = cdb.get<{ n: number }>(
      't',
      `SELECT count(*) AS n FROM (SELECT i.patient_group_id FROM split_assignments a JOIN images i ON i.id = a.image_id
        WHERE a.split_id = ? GROUP BY i.patient_group_id HAVING count(DISTINCT a.part) > 1)`,
      made.id,
    )!.n;
    expect(leaks).toBe(0);
    const again = splits.create({ datasetId, seed: 42, ratios, task: 'label' });
    expect(again).toEqual({ ...made, reused: true });
    expect(splits.stats(datasetId, 'label')[0]!.splits).toHaveLength(1);
    cdb.close();
  });
});
