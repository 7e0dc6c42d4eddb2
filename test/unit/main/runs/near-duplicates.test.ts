import { describe, expect, it } from 'vitest';
import { findNearDuplicates, nearDuplicateNotice } from '../../../../main/runs/near-duplicates';

const rows = (...r: number[][]) => Float32Array.from(r.flat());

describe('near-duplicate check between training and evaluation images', () => {
  const train = rows([1, 0, 0], [0, 1, 0], [0, 0, 1]);
  it('finds evaluation rows whose nearest training row is near-identical (cosine), scale-free', () => {
    const report = findNearDuplicates(
      {
        train,
        // 0: a scaled copy of train row 1; 1: halfway between rows 0 and 2 (cosine 0.707).
        validation: rows([0, 5, 0.01], [1, 0, 1]),
        // 0: train row 2 slightly tilted (cosine 0.995); 1: all zero (never a duplicate).
        test: rows([0, 0.1, 1], [0, 0, 0]),
      },
      3,
    );
    expect(report.checked).toEqual({ validation: 2, test: 2 });
    expect(report.pairs.map((p) => [p.part, p.row, p.trainRow])).toEqual([
      ['validation', 0, 1],
      ['test', 0, 2],
    ]);
    expect(report.pairs[1]!.similarity).toBeCloseTo(1 / Math.sqrt(1.01), 6);
    expect(nearDuplicateNotice(report)).toBe(
      '1 of 2 test and 1 of 2 validation images have a near-identical training image (cosine ≥ 0.99 of ' +
        'pretrained features): metrics may be optimistic; put such images in one group (e.g. a patient_id ' +
        'column) before splitting',
    );
  });

  it('stays quiet without pairs and samples evenly above the work budget', () => {
    const none = findNearDuplicates({ train, validation: rows([1, 1, 0]), test: rows([0, 1, 1]) }, 3);
    expect(none.pairs).toEqual([]);
    expect(nearDuplicateNotice(none)).toBeNull();
    const many = Float32Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 1 : 0)); // 10 copies of row 0
    const sampled = findNearDuplicates({ train, validation: many, test: many }, 3, { maxProducts: 12 });
    // 12 products / 3 training rows → 4 of the 10 rows per part.
    expect(sampled.checked).toEqual({ validation: 4, test: 4 });
    expect(sampled.pairs.map((p) => p.row)).toEqual([0, 2, 5, 7, 0, 2, 5, 7]);
  });
});
