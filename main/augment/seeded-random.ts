/**
 * Deterministic seeds and random numbers for augmentation. All parameter draws happen in JS from
 * these streams (never from tfjs' own RNG), so a seed fixes the parameters on every backend and the
 * pixels on a given backend.
 */

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
 * Hashes any number of non-negative integers into one 32-bit seed. Order matters:
 * `mixSeed(1, 2) !== mixSeed(2, 1)`.
 */
export const mixSeed = (...parts: number[]): number => {
  let h = 0x9e3779b9;
  for (const part of parts) {
    for (const w of words(part)) h = fmix32((h ^ fmix32((w + 0x7f4a7c15) >>> 0)) + 0x6a09e667);
  }
  return h;
};

/** The seed of one training batch: `f(runSeed, epoch, batchIndex)`. */
export const batchSeed = (runSeed: number, epoch: number, batchIndex: number): number =>
  mixSeed(runSeed, epoch, batchIndex);

/** Stream ids that keep the independent draws of one image apart. */
export const STREAM = { params: 1, noise: 2 } as const;

/** A small seeded PRNG (mulberry32) with the draws augmentation needs. */
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

/** Creates a mulberry32 generator; equal seeds give equal sequences. */
export const createRng = (seed: number): Rng => {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
