import { createSeededRng } from '../../../shared/random/seeded-random';
import { kCenterGreedy } from './k-center';

/**
 * The first images to label before any label exists: a diverse set by greedy k-center over the
 * whole pool, so every mode of the data is seen early. Without a seed it starts from the pool's
 * most typical image; with one, from a seeded random image (so simulations can vary the start).
 */
export const coldStartOrder = (
  x: Float32Array,
  dim: number,
  candidates: readonly number[],
  k: number,
  seed?: number,
): number[] => {
  if (seed === undefined || k <= 0 || candidates.length === 0)
    return kCenterGreedy(x, dim, candidates, [], k);
  const first = candidates[Math.floor(createSeededRng(seed).next() * candidates.length)]!;
  const rest = candidates.filter((c) => c !== first);
  return [first, ...kCenterGreedy(x, dim, rest, [first], k - 1)];
};
