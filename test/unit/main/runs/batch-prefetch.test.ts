import { describe, expect, it } from 'vitest';
import { createBatchPrefetcher } from '../../../../main/runs/batch-prefetch';

const ctx = (seed: number) => ({ phase: 'train' as const, epoch: 0, offset: 0, seed });

describe('batch prefetcher', () => {
  it('hands over the batch built ahead for the same positions and seed, and builds the rest', () => {
    const built: string[] = [];
    const batches = createBatchPrefetcher((positions, c) => {
      built.push(`${c.seed}:${positions.join(',')}`);
      return { x: Float32Array.from(positions, (p) => p * 10 + c.seed), shape: [positions.length, 1] };
    });
    expect(Array.from(batches.take([0, 1], ctx(7)).x)).toEqual([7, 17]);
    batches.prefetch([2, 3], ctx(8));
    // The prefetched batch is the one take() would build, and it is not built twice.
    expect(Array.from(batches.take([2, 3], ctx(8)).x)).toEqual([28, 38]);
    expect(built).toEqual(['7:0,1', '8:2,3']);
    // After an out-of-memory split the loop asks for other rows or another seed: built anew.
    batches.prefetch([4, 5], ctx(9));
    expect(Array.from(batches.take([4], ctx(9)).x)).toEqual([49]);
    expect(Array.from(batches.take([4, 5], ctx(9)).x)).toEqual([49, 59]);
    expect(built).toEqual(['7:0,1', '8:2,3', '9:4,5', '9:4', '9:4,5']);
  });
});
