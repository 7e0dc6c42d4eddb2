import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;

export interface AgreementResult {
  backend: string;
  reference: string;
  /** Largest |a-b| / max(|b|, floor) over the logits and every gradient. */
  maxRelDiff: number;
  maxAbsDiff: number;
  ok: boolean;
}

/** Deterministic, non-trivial values (no RNG: identical on every backend and platform). */
const wave = (n: number, phase: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase) * 0.5);

/**
 * One forward + backward pass of a fixed tiny conv net (conv 3×3 stride 2 'same' → ReLU → global
 * mean → dense → softmax cross-entropy) on the current backend. Returns the logits and the
 * gradients w.r.t. the input, the conv filter and the dense weights as plain arrays.
 */
export const tinyNetPass = (tf: Tf, options: { filterGradient?: boolean } = {}): Float32Array[] =>
  tf.tidy(() => {
    const x = tf.tensor4d(wave(2 * 8 * 8 * 3, 0.1), [2, 8, 8, 3]);
    const filter = tf.tensor4d(wave(3 * 3 * 3 * 4, 1.3), [3, 3, 3, 4]);
    const dense = tf.tensor2d(wave(4 * 3, 2.1), [4, 3]);
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    const logitsOf = (xi: tfType.Tensor4D, f: tfType.Tensor4D, w: tfType.Tensor2D) =>
      tf.matMul(tf.mean(tf.relu(tf.conv2d(xi, f, 2, 'same')), [1, 2]), w) as tfType.Tensor2D;
    const loss = (xi: tfType.Tensor, f: tfType.Tensor, w: tfType.Tensor) =>
      tf.losses.softmaxCrossEntropy(
        labels,
        logitsOf(xi as tfType.Tensor4D, f as tfType.Tensor4D, w as tfType.Tensor2D),
      ) as tfType.Scalar;
    const grads =
      options.filterGradient === false
        ? tf.grads((xi: tfType.Tensor, w: tfType.Tensor) => loss(xi, filter, w))([x, dense])
        : tf.grads(loss)([x, filter, dense]);
    return [logitsOf(x, filter, dense), ...grads].map((t) => t.dataSync() as Float32Array);
  });

/** Compares two lists of arrays element-wise with a relative tolerance and an absolute floor. */
export const compareArrays = (
  a: Float32Array[],
  b: Float32Array[],
  floor = 1e-3,
): { maxRelDiff: number; maxAbsDiff: number } => {
  if (a.length !== b.length) throw new Error(`different number of tensors: ${a.length} vs ${b.length}`);
  let maxRelDiff = 0;
  let maxAbsDiff = 0;
  a.forEach((arr, k) => {
    const ref = b[k]!;
    if (arr.length !== ref.length) throw new Error(`tensor ${k}: ${arr.length} vs ${ref.length} values`);
    for (let i = 0; i < arr.length; i++) {
      const diff = Math.abs(arr[i]! - ref[i]!);
      maxAbsDiff = Math.max(maxAbsDiff, diff);
      maxRelDiff = Math.max(maxRelDiff, diff / Math.max(Math.abs(ref[i]!), floor));
    }
  });
  return { maxRelDiff, maxAbsDiff };
};

/**
 * Runs the tiny net on `reference` and on each of `backends` and reports how far each strays:
 * the check that a GPU backend computes what the CPU engine computes (float32 tolerance 1e-4).
 * Leaves the active backend as it found it.
 */
export const checkBackendAgreement = async (
  tf: Tf,
  reference: string,
  backends: string[],
  options: { tolerance?: number; filterGradient?: boolean } = {},
): Promise<AgreementResult[]> => {
  const tolerance = options.tolerance ?? 1e-4;
  const previous = tf.getBackend();
  try {
    if (!(await tf.setBackend(reference)))
      throw new Error(`reference backend ${reference} failed to initialise`);
    const expected = tinyNetPass(tf, options);
    const results: AgreementResult[] = [];
    for (const backend of backends) {
      if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
      const { maxRelDiff, maxAbsDiff } = compareArrays(tinyNetPass(tf, options), expected);
      results.push({ backend, reference, maxRelDiff, maxAbsDiff, ok: maxRelDiff < tolerance });
    }
    return results;
  } finally {
    if (previous) await tf.setBackend(previous);
  }
};
