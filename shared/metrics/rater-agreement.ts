/**
 * Agreement between raters who labelled the same items with one class each (chance-corrected):
 * Cohen's kappa for two raters and Fleiss' kappa for more, overall and per class. Pure functions,
 * shared by the catalog (CLI, stats) and the renderer.
 *
 * A kappa is `null` where it is undefined: expected agreement is 1 (every rating in one class, or
 * a class nobody / everybody chose), so there is no disagreement that chance could explain.
 */

export interface KappaResult {
  /** Chance-corrected agreement, or null where undefined (see above). */
  kappa: number | null;
  /** Observed agreement (Cohen: share of items on which both agree; Fleiss: mean pair agreement). */
  observed: number;
  /** Agreement expected by chance from the marginals. */
  expected: number;
  /** Items that entered the figure. */
  items: number;
  /** Per class: Cohen one-vs-rest kappa, Fleiss category-wise kappa (Fleiss 1971, eq. 13). */
  perClass: Array<number | null>;
}

const kappaOf = (observed: number, expected: number): number | null =>
  1 - expected < 1e-12 ? null : (observed - expected) / (1 - expected);

/**
 * Cohen's kappa (Cohen 1960) of two raters over the items both rated: `pairs[i] = [a, b]`, class
 * indexes in [0, numClasses). Per class: the kappa of "class c" versus "any other class" (one vs
 * rest), i.e. Cohen's kappa of the collapsed 2x2 table.
 */
export const cohenKappa = (
  pairs: ReadonlyArray<readonly [number, number]>,
  numClasses: number,
): KappaResult => {
  const n = pairs.length;
  const table = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (const [a, b] of pairs) {
    if (!(a >= 0 && a < numClasses && b >= 0 && b < numClasses))
      throw new Error(`class out of range: ${a} / ${b}`);
    table[a]![b]!++;
  }
  if (n === 0) return { kappa: null, observed: 0, expected: 0, items: 0, perClass: table.map(() => null) };
  const rowSum = table.map((r) => r.reduce((s, x) => s + x, 0));
  const colSum = table[0]!.map((_, j) => table.reduce((s, r) => s + r[j]!, 0));
  let agree = 0;
  let chance = 0;
  for (let c = 0; c < numClasses; c++) {
    agree += table[c]![c]!;
    chance += (rowSum[c]! / n) * (colSum[c]! / n);
  }
  const perClass = table.map((_, c) => {
    const both = table[c]![c]!;
    const neither = n - rowSum[c]! - colSum[c]! + both;
    const pa = rowSum[c]! / n;
    const pb = colSum[c]! / n;
    return kappaOf((both + neither) / n, pa * pb + (1 - pa) * (1 - pb));
  });
  return { kappa: kappaOf(agree / n, chance), observed: agree / n, expected: chance, items: n, perClass };
};

/**
 * Fleiss' kappa (Fleiss 1971) from a subjects x classes table of counts (`counts[i][j]` = raters
 * who put subject i in class j). Subjects may have different numbers of ratings (missing ratings):
 * each subject's pair agreement is taken over its own n_i ratings and the class shares over all
 * ratings; subjects with fewer than two ratings are left out. With the same n for every subject
 * this is exactly Fleiss' formula. Per class: the category-wise kappa
 * 1 - sum_i n_ij (n_i - n_ij) / (n_i - 1) / (sum_i n_i * p_j * q_j).
 */
export const fleissKappa = (counts: ReadonlyArray<readonly number[]>): KappaResult => {
  const rows = counts.filter((r) => r.reduce((s, x) => s + x, 0) >= 2);
  const k = counts[0]?.length ?? 0;
  if (rows.length === 0)
    return { kappa: null, observed: 0, expected: 0, items: 0, perClass: new Array(k).fill(null) };
  const total = new Array<number>(k).fill(0);
  let ratings = 0;
  let agreement = 0;
  const disagreement = new Array<number>(k).fill(0);
  for (const r of rows) {
    const ni = r.reduce((s, x) => s + x, 0);
    ratings += ni;
    let pairs = 0;
    r.forEach((x, j) => {
      total[j]! += x;
      pairs += x * (x - 1);
      disagreement[j]! += (x * (ni - x)) / (ni - 1);
    });
    agreement += pairs / (ni * (ni - 1));
  }
  const p = total.map((t) => t / ratings);
  const observed = agreement / rows.length;
  const expected = p.reduce((s, pj) => s + pj * pj, 0);
  const perClass = p.map((pj, j) => {
    const denom = ratings * pj * (1 - pj);
    return denom < 1e-12 ? null : 1 - disagreement[j]! / denom;
  });
  return { kappa: kappaOf(observed, expected), observed, expected, items: rows.length, perClass };
};

/** One item as the catalog holds it: each present rating as (rater, class index). */
export interface RatedItem {
  ratings: ReadonlyArray<{ rater: string; classIndex: number }>;
}

export interface RaterAgreement extends KappaResult {
  /** Which statistic: Cohen when exactly two raters rated the items, Fleiss otherwise. */
  method: 'cohen' | 'fleiss';
  raters: string[];
  /** Items with fewer than two ratings (not in the figure). */
  incomplete: number;
  /** Items rated by at least two raters on which all agreed. */
  unanimous: number;
}

/**
 * Agreement over catalog items: Cohen's kappa when exactly two distinct raters appear (over the
 * items both rated), Fleiss' kappa otherwise (raters need not be the same people on every item).
 */
export const raterAgreement = (items: readonly RatedItem[], numClasses: number): RaterAgreement => {
  const raters = [...new Set(items.flatMap((i) => i.ratings.map((r) => r.rater)))].sort();
  const rated = items.filter((i) => i.ratings.length >= 2);
  const unanimous = rated.filter((i) =>
    i.ratings.every((r) => r.classIndex === i.ratings[0]!.classIndex),
  ).length;
  const incomplete = items.length - rated.length;
  if (raters.length === 2) {
    const pairs = rated.map((i) => {
      const a = i.ratings.find((r) => r.rater === raters[0])!;
      const b = i.ratings.find((r) => r.rater === raters[1])!;
      return [a.classIndex, b.classIndex] as const;
    });
    return { ...cohenKappa(pairs, numClasses), method: 'cohen', raters, incomplete, unanimous };
  }
  const counts = rated.map((i) => {
    const row = new Array<number>(numClasses).fill(0);
    for (const r of i.ratings) row[r.classIndex]!++;
    return row;
  });
  const result = counts.length
    ? fleissKappa(counts)
    : {
        kappa: null,
        observed: 0,
        expected: 0,
        items: 0,
        perClass: new Array<number | null>(numClasses).fill(null),
      };
  return { ...result, method: 'fleiss', raters, incomplete, unanimous };
};
