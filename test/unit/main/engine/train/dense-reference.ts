/**
 * An independent float64 re-implementation, in plain arrays, of what the fit loop computes for a
 * [in, hidden, out] tanh net with softmax cross-entropy and SGD with momentum (tfjs semantics:
 * acc = m·acc + g; w -= lr·acc). Written from the formulas, sharing no code with the engine except
 * the deterministic initial kernels, so it checks the loop, the step and the optimizer wiring.
 */
export interface ReferenceRun {
  batchLosses: number[];
  /** Final [W1, b1, W2, b2], row-major. */
  weights: number[][];
}

export const referenceTrain = (
  x: number[][],
  y: number[][],
  sizes: [number, number, number],
  initKernels: number[][],
  opts: { epochs: number; batchSize: number; lr: number; momentum: number },
): ReferenceRun => {
  const [nIn, nH, nOut] = sizes;
  const w = [
    initKernels[0]!.slice(),
    new Array(nH).fill(0),
    initKernels[1]!.slice(),
    new Array(nOut).fill(0),
  ];
  const acc = w.map((a) => new Array(a.length).fill(0));
  const batchLosses: number[] = [];
  for (let e = 0; e < opts.epochs; e += 1) {
    for (let start = 0; start < x.length; start += opts.batchSize) {
      const rows = x.slice(start, start + opts.batchSize);
      const targets = y.slice(start, start + opts.batchSize);
      const B = rows.length;
      const g = w.map((a) => new Array(a.length).fill(0));
      let loss = 0;
      rows.forEach((xr, r) => {
        const h = Array.from({ length: nH }, (_, j) =>
          Math.tanh(w[1]![j]! + xr.reduce((s, v, i) => s + v * w[0]![i * nH + j]!, 0)),
        );
        const z = Array.from(
          { length: nOut },
          (_, k) => w[3]![k]! + h.reduce((s, v, j) => s + v * w[2]![j * nOut + k]!, 0),
        );
        const zMax = Math.max(...z);
        const ex = z.map((v) => Math.exp(v - zMax));
        const sum = ex.reduce((a, b) => a + b, 0);
        const p = ex.map((v) => v / sum);
        loss += -targets[r]!.reduce((s, t, k) => s + t * Math.log(p[k]!), 0) / B;
        const dz = p.map((v, k) => (v - targets[r]![k]!) / B);
        const dh = h.map((_, j) => dz.reduce((s, d, k) => s + d * w[2]![j * nOut + k]!, 0));
        const da = dh.map((d, j) => d * (1 - h[j]! * h[j]!));
        for (let j = 0; j < nH; j += 1)
          for (let k = 0; k < nOut; k += 1) g[2]![j * nOut + k]! += h[j]! * dz[k]!;
        dz.forEach((d, k) => (g[3]![k]! += d));
        for (let i = 0; i < nIn; i += 1)
          for (let j = 0; j < nH; j += 1) g[0]![i * nH + j]! += xr[i]! * da[j]!;
        da.forEach((d, j) => (g[1]![j]! += d));
      });
      batchLosses.push(loss);
      w.forEach((a, t) =>
        a.forEach((_, i) => {
          acc[t]![i] = opts.momentum * acc[t]![i]! + g[t]![i]!;
          a[i] = a[i]! - opts.lr * acc[t]![i]!;
        }),
      );
    }
  }
  return { batchLosses, weights: w };
};

/** The 8-sample, 3-feature, 2-class toy set of the fit tests (fixed formulas, no randomness). */
export const toyData = (): { x: number[][]; y: number[][] } => {
  const x = Array.from({ length: 8 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 0.9), (i % 3) - 1]);
  const y = x.map((r) => (r[0]! + 0.5 * r[1]! > 0 ? [1, 0] : [0, 1]));
  return { x, y };
};
