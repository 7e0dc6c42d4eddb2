import { kCenterGreedy } from './k-center';
import { uncertaintyOrder, type UncertaintyKind } from './uncertainty';

export interface DiverseUncertaintyOptions {
  /** The candidate pool is the `poolFactor × k` most uncertain candidates (default 4). */
  poolFactor?: number;
  kind?: UncertaintyKind;
}

/**
 * Uncertainty mixed with diversity: take the most uncertain `poolFactor·k` candidates, then pick
 * `k` of them by greedy k-center against the labeled rows and each other. A batch then covers
 * several uncertain regions instead of ten frames of one ambiguous sweep.
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
  return kCenterGreedy(x, dim, pool, labeled, k);
};
