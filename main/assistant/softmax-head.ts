import { createSeededRng } from '../../shared/random/seeded-random';

/**
 * The assistant's model: multinomial logistic regression (softmax, L2) on standardised feature
 * rows, in plain TypeScript. Small and exact enough to retrain in well under a second on a few
 * thousand labels, deterministic (zero start, full-batch), and warm-startable from the previous
 * model so a retrain after one new label needs few iterations.
 */
export interface SoftmaxHead {
  dim: number;
  classes: number;
  /** Row-major [classes, dim]. */
  w: Float32Array;
  b: Float32Array;
}

/**
 * The assistant's training schedule, shared by the service and `assist-sim`: step 0.05 on
 * standardised features (0.5 oscillated on BUSI's 1280 columns: train accuracy < 1 and test
 * accuracy jumping ±10 points between rounds), 100 iterations for a first fit, 30 when warm-started
 * from the previous model. Chosen on BUSI's validation part.
 */
export const ASSISTANT_SCHEDULE = { lr: 0.05, first: 100, warm: 30 } as const;

export interface SoftmaxTrainOptions {
  classes: number;
  /** L2 strength on w (per label, averaged loss); default 1e-3. */
  l2?: number;
  /** Full-batch gradient iterations; default 100. */
  iterations?: number;
  /** Step size (Nesterov momentum 0.9); default 0.05. */
  lr?: number;
  /** Start from this head (same dim and classes) instead of zeros. */
  warm?: SoftmaxHead | null;
  /** Weight per class (balanced = n / (classes · count)); default all 1. */
  classWeights?: Float32Array;
  /**
   * Rows per iteration: when there are more labeled rows, each iteration uses a seeded sample of
   * this many (mini-batch), so a warm retrain at 10,000 images costs a fixed amount; default all.
   */
  batchRows?: number;
  seed?: number;
}

const softmaxInPlace = (z: Float64Array | Float32Array, off: number, c: number): void => {
  let m = -Infinity;
  for (let k = 0; k < c; k++) m = Math.max(m, z[off + k]!);
  let s = 0;
  for (let k = 0; k < c; k++) {
    const e = Math.exp(z[off + k]! - m);
    z[off + k] = e;
    s += e;
  }
  for (let k = 0; k < c; k++) z[off + k]! /= s;
};

/** Class probabilities of `rows` (indices into `x`, rows × dim), row-major [rows.length, classes]. */
export const predictSoftmax = (head: SoftmaxHead, x: Float32Array, rows: readonly number[]): Float32Array => {
  const { dim, classes: c, w, b } = head;
  const out = new Float32Array(rows.length * c);
  const z = new Float64Array(c);
  rows.forEach((r, i) => {
    const o = r * dim;
    for (let k = 0; k < c; k++) {
      let s = b[k]!;
      const wk = k * dim;
      for (let d = 0; d < dim; d++) s += w[wk + d]! * x[o + d]!;
      z[k] = s;
    }
    softmaxInPlace(z, 0, c);
    for (let k = 0; k < c; k++) out[i * c + k] = z[k]!;
  });
  return out;
};

/** Balanced class weights n / (classes · count_k) of labels `y` (absent classes weigh 0). */
export const balancedWeights = (y: ArrayLike<number>, classes: number): Float32Array => {
  const count = new Float64Array(classes);
  for (let i = 0; i < y.length; i++) count[y[i]!]! += 1;
  const present = count.filter((v) => v > 0).length;
  return Float32Array.from(count, (n) => (n > 0 ? y.length / (present * n) : 0));
};

/**
 * One trainer over `rows` of `x` with labels `y` (class index per listed row): full-batch gradient
 * descent with Nesterov momentum on the mean weighted cross-entropy + l2/2·‖w‖². `step()` runs
 * one iteration, so callers can yield to their event loop between iterations.
 */
export const createSoftmaxTrainer = (
  x: Float32Array,
  dim: number,
  rows: readonly number[],
  y: ArrayLike<number>,
  options: SoftmaxTrainOptions,
): { step(): void; head(): SoftmaxHead; iterations: number } => {
  const c = options.classes;
  const l2 = options.l2 ?? 1e-3;
  const lr = options.lr ?? ASSISTANT_SCHEDULE.lr;
  const warm = options.warm && options.warm.dim === dim && options.warm.classes === c ? options.warm : null;
  const w = warm ? Float32Array.from(warm.w) : new Float32Array(c * dim);
  const b = warm ? Float32Array.from(warm.b) : new Float32Array(c);
  const vw = new Float32Array(c * dim);
  const vb = new Float32Array(c);
  const gw = new Float64Array(c * dim);
  const gb = new Float64Array(c);
  const z = new Float64Array(c);
  const cw = options.classWeights;
  const batch = Math.min(rows.length, options.batchRows ?? rows.length);
  const sampled = batch < rows.length;
  const rng = sampled ? createSeededRng(options.seed ?? 1) : null;
  const pick = new Int32Array(batch).map((_, i) => i);
  const n = batch;
  const mu = 0.9;
  // Look-ahead weights for Nesterov: the gradient is taken at w + mu·v.
  const lw = new Float32Array(c * dim);
  const lb = new Float32Array(c);
  const step = () => {
    if (n === 0) return;
    for (let j = 0; j < w.length; j++) lw[j] = w[j]! + mu * vw[j]!;
    for (let k = 0; k < c; k++) lb[k] = b[k]! + mu * vb[k]!;
    gw.fill(0);
    gb.fill(0);
    // A seeded sample without replacement (partial Fisher-Yates) when mini-batching.
    if (rng) {
      const all = Int32Array.from(rows.keys());
      for (let i = 0; i < batch; i++) {
        const j = i + Math.floor(rng.next() * (all.length - i));
        [all[i], all[j]] = [all[j]!, all[i]!];
        pick[i] = all[i]!;
      }
    }
    for (let t = 0; t < n; t++) {
      const i = pick[t]!;
      const o = rows[i]! * dim;
      for (let k = 0; k < c; k++) {
        let s = lb[k]!;
        const wk = k * dim;
        for (let d = 0; d < dim; d++) s += lw[wk + d]! * x[o + d]!;
        z[k] = s;
      }
      softmaxInPlace(z, 0, c);
      const yi = y[i]!;
      const weight = (cw ? cw[yi]! : 1) / n;
      for (let k = 0; k < c; k++) {
        const g = (z[k]! - (k === yi ? 1 : 0)) * weight;
        if (g === 0) continue;
        gb[k]! += g;
        const wk = k * dim;
        for (let d = 0; d < dim; d++) gw[wk + d]! += g * x[o + d]!;
      }
    }
    for (let j = 0; j < w.length; j++) {
      vw[j] = mu * vw[j]! - lr * (gw[j]! + l2 * lw[j]!);
      w[j]! += vw[j]!;
    }
    for (let k = 0; k < c; k++) {
      vb[k] = mu * vb[k]! - lr * gb[k]!;
      b[k]! += vb[k]!;
    }
  };
  return {
    step,
    head: () => ({ dim, classes: c, w, b }),
    iterations: options.iterations ?? ASSISTANT_SCHEDULE.first,
  };
};

/** Trains to the end synchronously (simulations, tests). */
export const trainSoftmax = (
  x: Float32Array,
  dim: number,
  rows: readonly number[],
  y: ArrayLike<number>,
  options: SoftmaxTrainOptions,
): SoftmaxHead => {
  const t = createSoftmaxTrainer(x, dim, rows, y, options);
  for (let it = 0; it < t.iterations; it++) t.step();
  return t.head();
};

/**
 * The same training, yielding to the event loop after every iteration (one pass over the labels:
 * ~80 ms at 10,000 labels × 1280 features on our cores), so the app's main process stays
 * responsive while the assistant retrains. Stops early (returning null) when `signal` aborts.
 */
export const trainSoftmaxAsync = async (
  x: Float32Array,
  dim: number,
  rows: readonly number[],
  y: ArrayLike<number>,
  options: SoftmaxTrainOptions & { signal?: AbortSignal },
): Promise<SoftmaxHead | null> => {
  const t = createSoftmaxTrainer(x, dim, rows, y, options);
  for (let it = 0; it < t.iterations; it++) {
    if (options.signal?.aborted) return null;
    t.step();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return t.head();
};
