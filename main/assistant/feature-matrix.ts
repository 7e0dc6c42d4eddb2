/**
 * Feature rows made ready for the assistant: standardised per column on the WHOLE pool (labels
 * are not used, so nothing about validation or test labels leaks), then optionally projected to
 * fewer columns by a fixed seeded Gaussian projection (Johnson-Lindenstrauss) so retraining and
 * distances stay fast at 10,000 images.
 */
import { createRng, fillNormal } from '../../shared/random/seeded-random';

export const standardiseColumns = (x: Float32Array, rows: number, dim: number): Float32Array => {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++)
    for (let d = 0; d < dim; d++) {
      const v = x[r * dim + d]!;
      mean[d]! += v;
      sq[d]! += v * v;
    }
  const out = new Float32Array(rows * dim);
  const inv = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    mean[d]! /= Math.max(1, rows);
    const sd = Math.sqrt(Math.max(0, sq[d]! / Math.max(1, rows) - mean[d]! ** 2));
    inv[d] = sd > 1e-8 ? 1 / sd : 0;
  }
  for (let r = 0; r < rows; r++)
    for (let d = 0; d < dim; d++) out[r * dim + d] = (x[r * dim + d]! - mean[d]!) * inv[d]!;
  return out;
};

/** x (rows × dim) times a seeded N(0, 1/k) matrix (dim × k); identity when k ≥ dim. */
export const randomProjection = (
  x: Float32Array,
  rows: number,
  dim: number,
  k: number,
  seed = 1,
): { x: Float32Array; dim: number } => {
  if (k >= dim) return { x, dim };
  const p = fillNormal(createRng(seed), new Float32Array(dim * k), 1 / Math.sqrt(k));
  const out = new Float32Array(rows * k);
  const acc = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    for (let d = 0; d < dim; d++) {
      const v = x[r * dim + d]!;
      if (v === 0) continue;
      const pd = d * k;
      for (let j = 0; j < k; j++) acc[j]! += v * p[pd + j]!;
    }
    for (let j = 0; j < k; j++) out[r * k + j] = acc[j]!;
  }
  return { x: out, dim: k };
};

/** Concatenates column blocks of equal row count: [a | b | …]. */
export const concatColumns = (
  rows: number,
  blocks: ReadonlyArray<{ x: Float32Array; dim: number }>,
): { x: Float32Array; dim: number } => {
  const dim = blocks.reduce((s, b) => s + b.dim, 0);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let o = r * dim;
    for (const b of blocks) {
      out.set(b.x.subarray(r * b.dim, (r + 1) * b.dim), o);
      o += b.dim;
    }
  }
  return { x: out, dim };
};
