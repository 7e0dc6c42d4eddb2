import { createSeededRng } from '../../../shared/random/seeded-random';

/**
 * k-means (k-means++ seeding from the shared seeded generator, then Lloyd iterations) on the
 * feature rows `rows` of `x`; returns each row's cluster and the centroids. Used to spread a
 * batch over the modes of the data without chasing outliers the way farthest-first does.
 */
export const kMeans = (
  x: Float32Array,
  dim: number,
  rows: readonly number[],
  k: number,
  options: { seed?: number; iterations?: number } = {},
): { assignment: Int32Array; centroids: Float32Array; k: number } => {
  const n = rows.length;
  const kk = Math.max(1, Math.min(k, n));
  const rng = createSeededRng(options.seed ?? 1);
  const centroids = new Float32Array(kk * dim);
  const dist = new Float64Array(n).fill(Infinity);
  const setCentroid = (c: number, row: number) =>
    centroids.set(x.subarray(row * dim, (row + 1) * dim), c * dim);
  const toCentroid = (row: number, c: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const t = x[row * dim + d]! - centroids[c * dim + d]!;
      s += t * t;
    }
    return s;
  };
  setCentroid(0, rows[Math.floor(rng.next() * n)]!);
  for (let c = 1; c < kk; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      dist[i] = Math.min(dist[i]!, toCentroid(rows[i]!, c - 1));
      total += dist[i]!;
    }
    let u = rng.next() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= dist[i]!;
      if (u < 0) {
        pick = i;
        break;
      }
    }
    setCentroid(c, rows[pick]!);
  }
  const assignment = new Int32Array(n);
  const iterations = options.iterations ?? 10;
  for (let it = 0; it < iterations; it++) {
    let changed = it === 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < kk; c++) {
        const d = toCentroid(rows[i]!, c);
        if (d < bestD) [best, bestD] = [c, d];
      }
      if (assignment[i] !== best) changed = true;
      assignment[i] = best;
    }
    if (!changed) break;
    const sums = new Float64Array(kk * dim);
    const counts = new Int32Array(kk);
    for (let i = 0; i < n; i++) {
      const c = assignment[i]!;
      counts[c]!++;
      for (let d = 0; d < dim; d++) sums[c * dim + d]! += x[rows[i]! * dim + d]!;
    }
    for (let c = 0; c < kk; c++)
      if (counts[c]! > 0)
        for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d]! / counts[c]!;
  }
  return { assignment, centroids, k: kk };
};

/**
 * One row per cluster: the row with the highest `score` in each (ties: closest to the
 * centroid, then earlier). Clusters come out in descending order of their pick's score.
 */
export const bestPerCluster = (
  x: Float32Array,
  dim: number,
  rows: readonly number[],
  clusters: { assignment: Int32Array; centroids: Float32Array; k: number },
  score: (row: number) => number,
): number[] => {
  const best: Array<{ row: number; s: number; d: number } | undefined> = new Array(clusters.k);
  rows.forEach((row, i) => {
    const c = clusters.assignment[i]!;
    const s = score(row);
    let d = 0;
    for (let j = 0; j < dim; j++) d += (x[row * dim + j]! - clusters.centroids[c * dim + j]!) ** 2;
    const cur = best[c];
    if (!cur || s > cur.s || (s === cur.s && d < cur.d)) best[c] = { row, s, d };
  });
  return best
    .filter((b): b is { row: number; s: number; d: number } => b !== undefined)
    .sort((a, b) => b.s - a.s || a.d - b.d)
    .map((b) => b.row);
};
