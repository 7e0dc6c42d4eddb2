import { describe, expect, it } from 'vitest';
import { cohenKappa, fleissKappa, raterAgreement } from '../../../../shared/metrics/rater-agreement';

/**
 * Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (depression, personality
 * disorder, schizophrenia, neurosis, other); counts per patient as printed there (also R irr's
 * `diagnoses`). Published: kappa = 0.430; category-wise (irr kappam.fleiss detail=TRUE)
 * 0.245, 0.245, 0.520, 0.471, 0.566.
 */
const FLEISS_1971 = [
  [0, 0, 0, 6, 0],
  [0, 3, 0, 0, 3],
  [0, 1, 4, 0, 1],
  [0, 0, 0, 0, 6],
  [0, 3, 0, 3, 0],
  [2, 0, 4, 0, 0],
  [0, 0, 4, 0, 2],
  [2, 0, 3, 1, 0],
  [2, 0, 0, 4, 0],
  [0, 0, 0, 0, 6],
  [1, 0, 0, 5, 0],
  [1, 1, 0, 4, 0],
  [0, 3, 3, 0, 0],
  [1, 0, 0, 5, 0],
  [0, 2, 0, 3, 1],
  [0, 0, 5, 0, 1],
  [3, 0, 0, 1, 2],
  [5, 1, 0, 0, 0],
  [0, 2, 0, 4, 0],
  [1, 0, 2, 0, 3],
  [0, 0, 0, 0, 6],
  [0, 1, 0, 5, 0],
  [0, 2, 0, 1, 3],
  [2, 0, 0, 4, 0],
  [1, 0, 0, 4, 1],
  [0, 5, 0, 1, 0],
  [4, 0, 0, 0, 2],
  [0, 2, 0, 4, 0],
  [1, 0, 5, 0, 0],
  [0, 0, 0, 0, 6],
];

/**
 * Wikipedia "Fleiss' kappa" worked example: 10 subjects, 14 raters, 5 categories.
 * Published there: P-bar = 0.378, P-e = 0.213, kappa = 0.210.
 */
const WIKIPEDIA_14 = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];

/** Expands a 2-rater contingency table (rows rater A, columns rater B) into rating pairs. */
const pairsOf = (table: number[][]): Array<[number, number]> =>
  table.flatMap((row, a) =>
    row.flatMap((n, b) => Array.from({ length: n }, () => [a, b] as [number, number])),
  );

describe('fleissKappa', () => {
  it('reproduces Fleiss (1971): kappa 0.430 and the category-wise kappas', () => {
    const r = fleissKappa(FLEISS_1971);
    expect(r.kappa).toBeCloseTo(0.43, 3);
    expect(r.items).toBe(30);
    const published = [0.245, 0.245, 0.52, 0.471, 0.566];
    r.perClass.forEach((k, j) => expect(k).toBeCloseTo(published[j]!, 3));
  });

  it('reproduces the Wikipedia 14-rater table: P-bar 0.378, P-e 0.213, kappa 0.210', () => {
    const r = fleissKappa(WIKIPEDIA_14);
    expect(r.observed).toBeCloseTo(0.378, 3);
    expect(r.expected).toBeCloseTo(0.213, 3);
    expect(r.kappa).toBeCloseTo(0.21, 3);
  });

  it('is 1 for perfect agreement over two classes, undefined (null) when only one class is used', () => {
    expect(
      fleissKappa([
        [3, 0],
        [0, 3],
        [3, 0],
      ]).kappa,
    ).toBe(1);
    const one = fleissKappa([
      [3, 0],
      [3, 0],
    ]);
    expect(one.kappa).toBeNull();
    expect(one.perClass).toEqual([null, null]);
  });

  it('takes subjects with missing ratings over their own n and drops subjects with fewer than two', () => {
    // Subject 3 has one rating only: left out. Two subjects of 3 raters and one of 2 remain.
    const r = fleissKappa([
      [3, 0],
      [0, 3],
      [1, 0],
      [1, 1],
    ]);
    expect(r.items).toBe(3);
    // Pair agreement 1, 1, 0 -> 2/3; shares: class 0 = 4/8, class 1 = 4/8 -> expected 0.5.
    expect(r.observed).toBeCloseTo(2 / 3, 12);
    expect(r.expected).toBeCloseTo(0.5, 12);
    expect(r.kappa).toBeCloseTo(1 / 3, 12);
  });

  it('equals the constant-n formula when every subject has the same n (no missing ratings)', () => {
    const dropped = fleissKappa([...WIKIPEDIA_14, [0, 0, 0, 0, 1]]);
    expect(dropped.kappa).toBeCloseTo(fleissKappa(WIKIPEDIA_14).kappa!, 12);
  });
});

describe('cohenKappa', () => {
  it('reproduces Fleiss, Levin & Paik (2003) Table 18.1: 100 patients, 3 diagnoses, kappa 0.68', () => {
    // Rows: rater A psychotic / neurotic / organic; columns: rater B. p_o = 0.89, p_e = 0.66.
    const r = cohenKappa(
      pairsOf([
        [75, 1, 4],
        [5, 4, 1],
        [0, 0, 10],
      ]),
      3,
    );
    expect(r.observed).toBeCloseTo(0.89, 12);
    expect(r.expected).toBeCloseTo(0.66, 12);
    expect(r.kappa).toBeCloseTo(0.676, 3);
    // One vs rest, from the collapsed 2x2 tables (hand-computed): psychotic (75,5,5,15) 0.6875,
    // neurotic (4,6,1,89) 0.500, organic (10,0,5,85) 0.7727.
    expect(r.perClass[0]).toBeCloseTo(0.6875, 4);
    expect(r.perClass[1]).toBeCloseTo(0.5, 4);
    expect(r.perClass[2]).toBeCloseTo(0.7727, 4);
  });

  it("reproduces Wikipedia's Cohen example: 50 proposals (20/5/10/15), p_o 0.7, p_e 0.5, kappa 0.4", () => {
    const r = cohenKappa(
      pairsOf([
        [20, 5],
        [10, 15],
      ]),
      2,
    );
    expect(r.kappa).toBeCloseTo(0.4, 12);
    // With two classes one-vs-rest is the overall table itself.
    expect(r.perClass[0]).toBeCloseTo(0.4, 12);
    expect(r.perClass[1]).toBeCloseTo(0.4, 12);
  });

  it('is 1 for perfect agreement, null with a single class or no items', () => {
    expect(
      cohenKappa(
        [
          [0, 0],
          [1, 1],
        ],
        2,
      ).kappa,
    ).toBe(1);
    expect(
      cohenKappa(
        [
          [0, 0],
          [0, 0],
        ],
        2,
      ).kappa,
    ).toBeNull();
    expect(cohenKappa([], 2)).toMatchObject({ kappa: null, items: 0 });
  });

  it('refuses classes out of range', () => {
    expect(() => cohenKappa([[0, 2]], 2)).toThrow(/out of range/);
  });
});

describe('raterAgreement', () => {
  it('uses Cohen for two raters (items both rated) and counts incomplete and unanimous items', () => {
    const items = [
      {
        ratings: [
          { rater: 'ann', classIndex: 0 },
          { rater: 'bo', classIndex: 0 },
        ],
      },
      {
        ratings: [
          { rater: 'bo', classIndex: 1 },
          { rater: 'ann', classIndex: 1 },
        ],
      },
      {
        ratings: [
          { rater: 'ann', classIndex: 0 },
          { rater: 'bo', classIndex: 1 },
        ],
      },
      { ratings: [{ rater: 'ann', classIndex: 1 }] },
    ];
    const r = raterAgreement(items, 2);
    expect(r.method).toBe('cohen');
    expect(r.raters).toEqual(['ann', 'bo']);
    expect(r.items).toBe(3);
    expect(r.incomplete).toBe(1);
    expect(r.unanimous).toBe(2);
    // ann: 0,1,0; bo: 0,1,1 -> p_o 2/3, p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9 -> kappa 0.4.
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });

  it('uses Fleiss for three or more raters and matches fleissKappa on the same counts', () => {
    // Nine people, six of them on each patient (not the same six everywhere).
    const items = FLEISS_1971.map((row, i) => ({
      ratings: row
        .flatMap((n, c) => Array.from({ length: n }, () => c))
        .map((c, k) => ({ rater: `r${(i + k) % 9}`, classIndex: c })),
    }));
    const r = raterAgreement(items, 5);
    expect(r.method).toBe('fleiss');
    expect(r.kappa).toBeCloseTo(0.43, 3);
  });
});
