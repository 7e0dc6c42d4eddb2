/**
 * Greedy k-center (Sener & Savarese's core-set pick) on feature rows (`x` holds rows × dim):
 * repeatedly takes the candidate farthest (squared Euclidean) from everything chosen so far, so
 * ten near-identical frames of one sweep are not picked together.
 */
export const squaredDistance = (x: Float32Array, dim: number, a: number, b: number): number => {
  let s = 0;
  const oa = a * dim;
  const ob = b * dim;
  for (let d = 0; d < dim; d++) {
    const t = x[oa + d]! - x[ob + d]!;
    s += t * t;
  }
  return s;
};

/**
 * Picks `k` of `candidates` by greedy k-center, given the rows already `selected` (labeled).
 * With nothing selected the first pick is the candidate closest to the candidates' mean (a
 * typical image, deterministic), then farthest-first. Ties go to the earlier candidate.
 */
export const kCenterGreedy = (
  x: Float32Array,
  dim: number,
  candidates: readonly number[],
  selected: readonly number[],
  k: number,
): number[] => {
  const n = candidates.length;
  const want = Math.min(k, n);
  const minDist = new Float64Array(n).fill(Infinity);
  const taken = new Uint8Array(n);
  const picks: number[] = [];
  const update = (row: number) => {
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const d = squaredDistance(x, dim, candidates[i]!, row);
      if (d < minDist[i]!) minDist[i] = d;
    }
  };
  for (const s of selected) update(s);
  if (selected.length === 0 && want > 0) {
    const mean = new Float64Array(dim);
    for (const c of candidates) for (let d = 0; d < dim; d++) mean[d]! += x[c * dim + d]! / n;
    let best = 0;
    let bestD = Infinity;
    candidates.forEach((c, i) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += (x[c * dim + d]! - mean[d]!) ** 2;
      if (s < bestD) [best, bestD] = [i, s];
    });
    taken[best] = 1;
    picks.push(candidates[best]!);
    update(candidates[best]!);
  }
  while (picks.length < want) {
    let best = -1;
    let bestD = -1;
    for (let i = 0; i < n; i++) if (!taken[i] && minDist[i]! > bestD) [best, bestD] = [i, minDist[i]!];
    taken[best] = 1;
    picks.push(candidates[best]!);
    update(candidates[best]!);
  }
  return picks;
};
