/**
 * Uncertainty of class-probability rows (`probs` holds rows × classes, row-major). Higher = more
 * informative to label next. Pure functions: the queue and `assist-sim` share them.
 */
export type UncertaintyKind = 'margin' | 'entropy';

/** 1 − (p₁ − p₂): the gap between the two most likely classes, turned so a tie scores 1. */
export const marginScores = (probs: Float32Array | readonly number[], classes: number): Float64Array => {
  const rows = probs.length / classes;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let a = -Infinity;
    let b = -Infinity;
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c]!;
      if (p > a) {
        b = a;
        a = p;
      } else if (p > b) b = p;
    }
    out[r] = 1 - (a - (classes > 1 ? b : 0));
  }
  return out;
};

/** Shannon entropy −Σ p log p (natural log; 0·log 0 = 0). */
export const entropyScores = (probs: Float32Array | readonly number[], classes: number): Float64Array => {
  const rows = probs.length / classes;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let h = 0;
    for (let c = 0; c < classes; c++) {
      const p = probs[r * classes + c]!;
      if (p > 0) h -= p * Math.log(p);
    }
    out[r] = h;
  }
  return out;
};

export const uncertaintyScores = (
  probs: Float32Array | readonly number[],
  classes: number,
  kind: UncertaintyKind = 'margin',
): Float64Array => (kind === 'margin' ? marginScores(probs, classes) : entropyScores(probs, classes));

/** Candidate positions sorted by descending score; ties keep the candidates' order (stable). */
export const orderByScore = (candidates: readonly number[], score: ArrayLike<number>): number[] =>
  candidates
    .map((c, i) => ({ c, i, s: score[c]! }))
    .sort((x, y) => y.s - x.s || x.i - y.i)
    .map((e) => e.c);

/** The `k` most uncertain candidates (rows of `probs`), most uncertain first. */
export const uncertaintyOrder = (
  probs: Float32Array | readonly number[],
  classes: number,
  candidates: readonly number[],
  k: number,
  kind: UncertaintyKind = 'margin',
): number[] => orderByScore(candidates, uncertaintyScores(probs, classes, kind)).slice(0, k);
