import { createSeededRng } from '../../../shared/random/seeded-random';

/** `k` candidates in a seeded random order (Fisher-Yates of the shared generator): the baseline. */
export const randomOrder = (candidates: readonly number[], k: number, seed: number): number[] =>
  createSeededRng(seed)
    .permutation(candidates.length)
    .slice(0, k)
    .map((i) => candidates[i]!);
