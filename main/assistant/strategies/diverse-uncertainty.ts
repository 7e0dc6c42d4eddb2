import { bestPerCluster, kMeans } from './k-means';
import { kCenterGreedy } from './k-center';
import { uncertaintyOrder, uncertaintyScores, type UncertaintyKind } from './uncertainty';

export interface DiverseUncertaintyOptions {
  /** The candidate pool is the `poolFactor × k` most uncertain candidates (default 4). */
  poolFactor?: number;
  kind?: UncertaintyKind;
  /** How the pool is spread: k-means then the most uncertain per cluster (default), or k-center. */
  diversity?: 'kmeans' | 'kcenter';
  seed?: number;
}

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
  const pool = uncertaintyOrder(
    probs,
    classes,
    candidates,
    Math.max(k, Math.ceil((options.poolFactor ?? 4) * k)),
    options.kind,
  );
  if (options.diversity === 'kcenter') return kCenterGreedy(x, dim, pool, labeled, k);
  const score = uncertaintyScores(probs, classes, options.kind);
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
