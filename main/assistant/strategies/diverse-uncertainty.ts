import { badgeOrder } from './badge';
import { bestPerCluster, kMeans } from './k-means';
import { kCenterGreedy } from './k-center';
import { orderByScore, uncertaintyScores, type UncertaintyKind } from './uncertainty';

export interface DiverseUncertaintyOptions {
  /** The candidate pool is the `poolFactor × k` most uncertain candidates (default 4). */
  poolFactor?: number;
  kind?: UncertaintyKind;
  /**
   * How the pool is spread: k-means then the most uncertain per cluster (default), or k-center;
   * `badge`: k-means++ over gradient embeddings of every candidate (no pool, see badge.ts).
   */
  diversity?: 'kmeans' | 'kcenter' | 'badge';
  /**
   * Information density: uncertainty × density^β (default β = 0, off), density = 1 / (1 + mean
   * squared distance to the candidates / dim), so typical uncertain images beat uncertain outliers.
   */
  density?: number;
  seed?: number;
}

/** Up to this many evenly spaced candidates stand for the pool in the density means. */
const DENSITY_SAMPLE = 256;

/** 1 / (1 + mean squared distance per dimension to (a sample of) the candidates), per row. */
export const densityScores = (
  x: Float32Array,
  dim: number,
  candidates: readonly number[],
): Map<number, number> => {
  const step = Math.max(1, candidates.length / DENSITY_SAMPLE);
  const sample: number[] = [];
  for (let i = 0; i < candidates.length; i += step) sample.push(candidates[Math.floor(i)]!);
  const out = new Map<number, number>();
  for (const r of candidates) {
    let total = 0;
    for (const q of sample)
      for (let d = 0; d < dim; d++) {
        const t = x[r * dim + d]! - x[q * dim + d]!;
        total += t * t;
      }
    out.set(r, 1 / (1 + total / sample.length / dim));
  }
  return out;
};

/**
 * Uncertainty mixed with diversity: take the `poolFactor·k` most uncertain candidates, then spread
 * the batch over them: cluster the pool into `k` groups and take the most uncertain of each
 * (default), or greedy k-center against the labeled rows. A batch then covers several uncertain
 * regions instead of ten frames of one ambiguous sweep.
 */
export const diverseUncertaintyOrder = (
  x: Float32Array,
  dim: number,
  probs: Float32Array | readonly number[],
  classes: number,
  candidates: readonly number[],
  labeled: readonly number[],
  k: number,
  options: DiverseUncertaintyOptions = {},
): number[] => {
  if (options.diversity === 'badge') return badgeOrder(x, dim, probs, classes, candidates, k, options.seed);
  const uncertainty = uncertaintyScores(probs, classes, options.kind);
  const beta = options.density ?? 0;
  const density = beta > 0 ? densityScores(x, dim, candidates) : null;
  const score = density
    ? Float64Array.from(uncertainty, (u, r) => (density.has(r) ? u * density.get(r)! ** beta : u))
    : uncertainty;
  const pool = orderByScore(candidates, score).slice(
    0,
    Math.max(k, Math.ceil((options.poolFactor ?? 4) * k)),
  );
  if (options.diversity === 'kcenter') return kCenterGreedy(x, dim, pool, labeled, k);
  const picks = bestPerCluster(
    x,
    dim,
    pool,
    kMeans(x, dim, pool, k, { seed: options.seed }),
    (r) => score[r]!,
  );
  // Fewer clusters than k (duplicates): fill with the next most uncertain.
  const taken = new Set(picks);
  for (const r of pool) if (picks.length < k && !taken.has(r)) picks.push(r);
  return picks;
};
