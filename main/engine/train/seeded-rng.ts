/**
 * A seeded PRNG (mulberry32) whose whole state is one uint32, so a checkpoint can store it and a
 * resumed run draws the same numbers an uninterrupted one would.
 */
export interface SeededRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** The state to put in a checkpoint; `createSeededRng(state, true)` continues from it. */
  state(): number;
  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): number[];
}

/** Creates the RNG from a seed, or (`fromState`) from a saved state. */
export const createSeededRng = (seedOrState: number, fromState = false): SeededRng => {
  let s = fromState ? seedOrState >>> 0 : mixSeed(seedOrState);
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    state: () => s,
    permutation: (n) => {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return order;
    },
  };
};

/** Spreads small seeds (0, 1, 2 …) over the state space. */
const mixSeed = (seed: number): number => {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
};

/**
 * A per-batch seed from (run seed, epoch, sample offset): batch augmentation seeded this way is the
 * same after a resume without storing the augmenter's state.
 */
export const batchSeed = (seed: number, epoch: number, offset: number): number =>
  mixSeed((mixSeed(seed) ^ Math.imul(epoch + 1, 0x27d4eb2d) ^ Math.imul(offset + 1, 0x165667b1)) >>> 0);
