import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createKernelModule } from '../../../../../main/engine/wasm/kernel-module';
import { KERNEL_VARIANTS, kernelsPathFor, relativeError, seededFloats } from './wasm-test-setup';

/** A plain memory with a bump allocator: the kernel module's host heap, no tfjs needed. */
const plainHeap = () => {
  const memory = new WebAssembly.Memory({ initial: 256 });
  let top = 1024;
  return {
    memory,
    malloc: (n: number) => {
      const p = top;
      top = (top + n + 15) & ~15;
      return p;
    },
    free: () => undefined,
  };
};

/** C = op(A) op(B) in float64 (the reference), A(i,k) = a[i*rsa + k*csa], B(k,j) = b[k*rsb + j*csb]. */
const reference = (
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  rsa: number,
  csa: number,
  b: Float32Array,
  rsb: number,
  csb: number,
) => {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * rsa + p * csa]! * b[p * rsb + j * csb]!;
      c[i * n + j] = s;
    }
  return c;
};

// [m, n, k]: odd sizes around the 6x8 micro-tile and the 4-wide transposed packing of row-major A
const shapes: Array<[number, number, number]> = [
  [13, 11, 9],
  [6, 8, 4],
  [7, 17, 3],
  [25, 24, 33],
  [1, 5, 2],
];

describe.each(KERNEL_VARIANTS)('packed GEMM (%s build)', (variant) => {
  const heap = plainHeap();
  const k = createKernelModule(readFileSync(kernelsPathFor(variant)), heap);

  it.each(
    shapes.flatMap(([m, n, kk]) =>
      (['NN', 'TN', 'NT', 'TT'] as const).map((t) => [`${m}x${n}x${kk} ${t}`, m, n, kk, t] as const),
    ),
  )('matches a float64 reference for %s (A row- or column-major, B likewise)', (_name, m, n, kk, t) => {
    const [rsa, csa] = t[0] === 'N' ? [kk, 1] : [1, m];
    const [rsb, csb] = t[1] === 'N' ? [n, 1] : [1, kk];
    const av = seededFloats(m * 7 + kk, m * kk);
    const bv = seededFloats(n * 5 + kk, kk * n);
    const a = k.scratch(m * kk);
    const b = k.scratch(kk * n);
    const c = k.scratch(m * n);
    new Float32Array(heap.memory.buffer, a, m * kk).set(av);
    new Float32Array(heap.memory.buffer, b, kk * n).set(bv);
    k.exports.sf_gemm(m, n, kk, a, rsa, csa, b, rsb, csb, c, n, 0, 0);
    const out = new Float32Array(heap.memory.buffer, c, m * n).slice();
    expect(relativeError(out, reference(m, n, kk, av, rsa, csa, bv, rsb, csb))).toBeLessThan(1e-5);
    // accumulate = 1 adds onto what C holds
    k.exports.sf_gemm(m, n, kk, a, rsa, csa, b, rsb, csb, c, n, 1, 0);
    const twice = new Float32Array(heap.memory.buffer, c, m * n).slice();
    expect(
      relativeError(
        twice,
        out.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-5);
    k.release();
  });
});
