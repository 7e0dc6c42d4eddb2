import { describe, expect, it } from 'vitest';
import {
  batchSeed,
  createRandom,
  createRng,
  createSeededRng,
  fillNormal,
  mixSeed,
} from '../../../../shared/random/seeded-random';

describe('createRng (mulberry32)', () => {
  it('matches the reference mulberry32 sequence', () => {
    // bryc's reference implementation, seed 1: 0.6270739405881613, 0.002735721180215478, 0.5274470399599522.
    const rng = createRng(1);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it('draws ints inclusively and normals with mean 0, variance 1', () => {
    const rng = createRng(9);
    const ints = new Set(Array.from({ length: 2000 }, () => rng.int(2, 5)));
    expect([...ints].sort()).toEqual([2, 3, 4, 5]);
    const z = fillNormal(createRng(4), new Float32Array(20000));
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    // Standard errors: mean 1/√20000 ≈ 0.007, variance √(2/20000) = 0.01.
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });
});

describe('seed mixing', () => {
  it('is deterministic, order-sensitive and accepts run seeds above 2^32', () => {
    expect(mixSeed(1, 2, 3)).toBe(mixSeed(1, 2, 3));
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
    expect(mixSeed(2 ** 40)).not.toBe(mixSeed(0));
    expect(() => mixSeed(-1)).toThrow(RangeError);
  });

  it('gives distinct stream seeds over a grid of (epoch, batch)', () => {
    const seen = new Set<number>();
    for (let e = 0; e < 20; e++) for (let b = 0; b < 500; b++) seen.add(mixSeed(20251, e, b));
    expect(seen.size).toBe(10000);
  });

  it("gives the fit loop's batches distinct seeds per (epoch, offset), also both halves of a split batch", () => {
    const seen = new Set<number>();
    for (let e = 0; e < 20; e++) for (let o = 0; o < 500; o++) seen.add(batchSeed(7, e, o));
    expect(seen.size).toBe(10000);
    // A batch of 20 at offset 40 halved after out-of-memory: offsets 40 and 50.
    expect(batchSeed(7, 3, 40)).not.toBe(batchSeed(7, 3, 50));
  });
});

describe('one generator under every wrapper (sequences kept from the separate modules)', () => {
  it('augmentation, demo/split and fit-loop streams are mulberry32 from their seeds', () => {
    // The same raw state gives the same first draws in the augmentation and demo wrappers.
    const a = createRng(12345);
    const d = createRandom(12345);
    expect([a.next(), a.next()]).toEqual([d.next(), d.next()]);
    // The fit loop's RNG resumes from its state exactly.
    const r = createSeededRng(11);
    r.permutation(10);
    const saved = r.state();
    const next = r.permutation(10);
    expect(createSeededRng(saved, true).permutation(10)).toEqual(next);
  });

  it('keeps the recorded sequences: fit-loop shuffle, batch seeds and demo draws as before the merge', () => {
    // Printed from the separate modules (engine/train/seeded-rng.ts, demo/seeded-random.ts) at
    // commit 9435a35, before they were merged here.
    expect(createSeededRng(11).permutation(8)).toEqual(FIT_PERMUTATION_11);
    expect([batchSeed(1, 0, 0), batchSeed(1, 2, 40)]).toEqual(BATCH_SEEDS);
    const d = createRandom(7);
    expect([d.int(0, 9), d.int(0, 9), d.int(0, 9)]).toEqual(DEMO_INTS_7);
  });
});

const FIT_PERMUTATION_11 = [3, 6, 2, 1, 0, 5, 7, 4];
const BATCH_SEEDS = [138360000, 2019758314];
const DEMO_INTS_7 = [0, 0, 9];
