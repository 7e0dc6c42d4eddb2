import type { BatchContext } from '../engine/train/fit-types';

type Batch = { x: Float32Array; shape: number[] };

/**
 * The next training batch built ahead: the fit loop calls `prefetch` for batch k + 1 right after
 * it started batch k (the replicas compute while this thread augments), and `take` for batch
 * k + 1 then returns that batch when its positions and seed are the same, else builds it (after
 * an out-of-memory split, a resume). A batch is only ever built from its positions and seed, so
 * prefetching never changes what is trained on.
 */
export const createBatchPrefetcher = (build: (positions: readonly number[], ctx: BatchContext) => Batch) => {
  let ahead: { key: string; batch: Batch } | null = null;
  const keyOf = (positions: readonly number[], ctx: BatchContext) => `${ctx.seed}:${positions.join(',')}`;
  return {
    take(positions: readonly number[], ctx: BatchContext): Batch {
      const key = keyOf(positions, ctx);
      const hit = ahead?.key === key ? ahead.batch : null;
      ahead = null;
      return hit ?? build(positions, ctx);
    },
    prefetch(positions: readonly number[], ctx: BatchContext): void {
      ahead = { key: keyOf(positions, ctx), batch: build(positions, ctx) };
    },
  };
};
