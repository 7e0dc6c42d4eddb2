/**
 * Every seeded random stream in SonoFuse, in one module: one generator (mulberry32, whose whole
 * state is one uint32) and one set of seed mixers. The named APIs below are thin wrappers that
 * keep the sequences they had when they lived apart (augmentation, the fit loop, the demo set and
 * stored splits), so seeds recorded in runs, splits and tests still mean what they meant.
 */

/** One mulberry32 generator from a raw uint32 state: uniform floats in [0, 1). */
export const mulberry32 = (state: number): { next(): number; state(): number } => {
  let s = state >>> 0;
  return {
    next: () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
    state: () => s,
  };
};

// ---- seed mixers -----------------------------------------------------------------------------

/** murmur3's 32-bit finaliser: a bijective avalanche mix. */
const fmix32 = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** Splits a non-negative safe integer into its low and high 32-bit words. */
const words = (n: number): [number, number] => {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`seed part must be a safe integer >= 0, got ${n}`);
  return [n >>> 0, Math.floor(n / 2 ** 32) >>> 0];
};

/**
 * Hashes any number of non-negative integers into one 32-bit seed (stream seeds: an image's
 * augmentation draws, a test-time view, a feature view). Order matters: `mixSeed(1, 2) !== mixSeed(2, 1)`.
 */
export const mixSeed = (...parts: number[]): number => {
  let h = 0x9e3779b9;
  for (const part of parts) {
    for (const w of words(part)) h = fmix32((h ^ fmix32((w + 0x7f4a7c15) >>> 0)) + 0x6a09e667);
  }
  return h;
};

/** Spreads one small seed (0, 1, 2 …) over the uint32 state space (the fit loop's RNG start). */
export const spreadSeed = (seed: number): number => {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
};

/**
 * The per-batch seed of a training batch, from (run seed, epoch, sample offset): the fit loop
 * hands it to every batch, so augmentation seeded with it is the same after a resume without
 * storing any augmenter state, and the two halves of a batch split after out-of-memory (different
 * offsets) get different seeds.
 */
export const batchSeed = (seed: number, epoch: number, offset: number): number =>
  spreadSeed((spreadSeed(seed) ^ Math.imul(epoch + 1, 0x27d4eb2d) ^ Math.imul(offset + 1, 0x165667b1)) >>> 0);

/** An independent seed from a base seed and labels (FNV-1a over the parts): the demo generator's. */
export const deriveSeed = (base: number, ...parts: Array<string | number>): number => {
  let h = 0x811c9dc5 ^ (base >>> 0);
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
};

// ---- generators --------------------------------------------------------------------------------

/** Stream ids that keep the independent draws of one image apart (augmentation). */
export const STREAM = { params: 1, noise: 2 } as const;

/** The draws augmentation needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** True with probability p (always consumes one draw). */
  chance(p: number): boolean;
  /** Standard normal (Box-Muller, consumes two draws). */
  normal(): number;
}

/** The augmentation generator; equal seeds give equal sequences. */
export const createRng = (seed: number): Rng => {
  const { next } = mulberry32(seed);
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.min(hi - lo, Math.floor(next() * (hi - lo + 1))),
    chance: (p) => next() < p,
    normal: () => {
      const u = 1 - next(); // (0, 1]: log is finite
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
};

/** Fills `out` with standard normals from `rng` (two per Box-Muller pair, both used). */
export const fillNormal = (rng: Rng, out: Float32Array, scale = 1): Float32Array => {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.next())) * scale;
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
  }
  return out;
};

/** The fit loop's generator: its state goes into checkpoints, so a resume draws the same numbers. */
export interface SeededRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** The state to put in a checkpoint; `createSeededRng(state, true)` continues from it. */
  state(): number;
  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): number[];
}

/** Creates it from a seed (spread by `spreadSeed`), or (`fromState`) from a saved state. */
export const createSeededRng = (seedOrState: number, fromState = false): SeededRng => {
  const g = mulberry32(fromState ? seedOrState : spreadSeed(seedOrState));
  return {
    next: g.next,
    state: g.state,
    permutation: (n) => {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i -= 1) {
        const j = Math.floor(g.next() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      return order;
    },
  };
};

/** The draws the demo generator, stored splits and benchmarks need. */
export interface Random {
  next(): number;
  range(min: number, max: number): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  normal(): number;
  chance(p: number): boolean;
}

/** Same seed, same sequence on every platform: the demo set and splits are reproducible. */
export const createRandom = (seed: number): Random => {
  const { next } = mulberry32(seed);
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, maxInclusive) => min + Math.floor(next() * (maxInclusive - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    normal: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    chance: (p) => next() < p,
  };
};
