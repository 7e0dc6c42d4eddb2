import { createSeededRng } from '../../../shared/random/seeded-random';

/**
 * BADGE (Ash et al., 2020) on the softmax head: each candidate's gradient embedding of the loss
 * under its own predicted class, (p − onehot(ŷ)) ⊗ x, whose length grows with uncertainty and whose
 * direction follows the features; k-means++ seeding over those picks a batch that is both
 * uncertain and diverse, with no pool size to tune. First pick: the longest embedding.
 */
export const badgeOrder = (
  x: Float32Array,
  dim: number,
  probs: Float32Array | readonly number[],
  classes: number,
  candidates: readonly number[],
  k: number,
  seed = 1,
): number[] => {
  const n = candidates.length;
  const kk = Math.min(k, n);
  if (kk <= 0) return [];
  // ‖(p−e)⊗x − (q−f)⊗z‖² = ‖p−e‖²‖x‖² + ‖q−f‖²‖z‖² − 2 (p−e)·(q−f) x·z: no C×dim vectors needed.
  const g = new Float64Array(n * classes);
  const xx = new Float64Array(n);
  const gg = new Float64Array(n);
  candidates.forEach((r, i) => {
    let top = 0;
    for (let c = 1; c < classes; c++) if (probs[r * classes + c]! > probs[r * classes + top]!) top = c;
    for (let c = 0; c < classes; c++) {
      const v = probs[r * classes + c]! - (c === top ? 1 : 0);
      g[i * classes + c] = v;
      gg[i]! += v * v;
    }
    for (let d = 0; d < dim; d++) xx[i]! += x[r * dim + d]! ** 2;
  });
  const dist2 = (i: number, j: number) => {
    let gdot = 0;
    for (let c = 0; c < classes; c++) gdot += g[i * classes + c]! * g[j * classes + c]!;
    let xdot = 0;
    const a = candidates[i]! * dim;
    const b = candidates[j]! * dim;
    for (let d = 0; d < dim; d++) xdot += x[a + d]! * x[b + d]!;
    return Math.max(0, gg[i]! * xx[i]! + gg[j]! * xx[j]! - 2 * gdot * xdot);
  };
  let first = 0;
  for (let i = 1; i < n; i++) if (gg[i]! * xx[i]! > gg[first]! * xx[first]!) first = i;
  const picked = [first];
  const taken = new Uint8Array(n);
  taken[first] = 1;
  const nearest = new Float64Array(n).fill(Infinity);
  const rng = createSeededRng(seed);
  while (picked.length < kk) {
    const last = picked[picked.length - 1]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      nearest[i] = Math.min(nearest[i]!, dist2(i, last));
      total += nearest[i]!;
    }
    let pick = -1;
    if (total > 0) {
      let u = rng.next() * total;
      for (let i = 0; i < n && pick < 0; i++) if (!taken[i] && (u -= nearest[i]!) < 0) pick = i;
    }
    if (pick < 0) pick = taken.findIndex((t) => !t); // all remaining at distance 0
    taken[pick] = 1;
    picked.push(pick);
  }
  return picked.map((i) => candidates[i]!);
};
