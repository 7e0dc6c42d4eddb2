import { bestPerCluster, kMeans } from './k-means';

/**
 * The first images to label before any label exists: a diverse, typical set. The pool is
 * clustered into `k` groups (k-means) and the image closest to each centroid is taken, so every
 * mode of the data is seen early and outliers (which farthest-first would pick) are not.
 */
export const coldStartOrder = (
  x: Float32Array,
  dim: number,
  candidates: readonly number[],
  k: number,
  seed = 1,
): number[] => {
  if (k <= 0 || candidates.length === 0) return [];
  const clusters = kMeans(x, dim, candidates, k, { seed });
  return bestPerCluster(x, dim, candidates, clusters, () => 0);
};
