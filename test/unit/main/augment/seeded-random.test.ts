import { describe, expect, it } from 'vitest';
import { batchSeed, createRng, fillNormal, mixSeed } from '../../../../main/augment/seeded-random';

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

  it('gives distinct batch seeds over a grid of (epoch, batch)', () => {
    const seen = new Set<number>();
    for (let e = 0; e < 20; e++) for (let b = 0; b < 500; b++) seen.add(batchSeed(20251, e, b));
    expect(seen.size).toBe(10000);
  });
});
