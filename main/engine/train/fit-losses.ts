import type { Optimizer } from '@tensorflow/tfjs';
import type { LossFn, LossName, OptimizerSpec, Tf } from './fit-types';

/** Resolves a loss name to a function (mean over the batch). */
export const resolveLoss = (tf: Tf, loss: LossName | LossFn): LossFn => {
  if (typeof loss === 'function') return loss;
  switch (loss) {
    case 'softmaxCrossEntropy':
      return (y, logits) => tf.losses.softmaxCrossEntropy(y, logits);
    case 'categoricalCrossentropy':
      // Same formula as tfjs-layers: -sum(y * log(clip(p))) per row, mean over rows.
      return (y, p) =>
        tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1))));
    case 'meanSquaredError':
      return (y, p) => tf.losses.meanSquaredError(y, p);
  }
};

/** Builds the optimizer a spec describes. The caller owns it: release with {@link disposeOptimizer}. */
export const createOptimizer = (tf: Tf, spec: OptimizerSpec): Optimizer => {
  if (spec.type === 'adam') return tf.train.adam(spec.learningRate, spec.beta1, spec.beta2, spec.epsilon);
  return spec.momentum
    ? tf.train.momentum(spec.learningRate, spec.momentum, spec.nesterov ?? false)
    : tf.train.sgd(spec.learningRate);
};

/**
 * `optimizer.dispose()` plus what tfjs 4.22 forgets: MomentumOptimizer.dispose does not call
 * SGDOptimizer.dispose, so its learning-rate scalar `c` would leak one tensor per fit.
 */
export const disposeOptimizer = (optimizer: Optimizer): void => {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: { isDisposed: boolean; dispose(): void } }).c;
  if (c && !c.isDisposed) c.dispose();
};

/** Error messages that mean "this batch did not fit in memory" on the backends we run. */
const OOM_PATTERNS = [
  /out of memory/i,
  /\bOOM\b/,
  /resource exhausted/i, // libtensorflow (tfjs-node, tfjs-node-gpu)
  /CUDA_ERROR_OUT_OF_MEMORY/,
  /failed to allocate/i,
  /cannot allocate memory/i,
  /Array buffer allocation failed/i, // V8 (cpu backend)
  /Cannot enlarge memory/i, // emscripten heap (wasm backend)
  /Aborted\(OOM\)/,
  /Requested size .* exceeds/i, // WebGPU / WebGL buffer limits
];

/** Default out-of-memory test of the fit loop; override with `FitOptions.isOutOfMemory`. */
export const isOutOfMemoryError = (err: unknown): boolean => {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return OOM_PATTERNS.some((p) => p.test(text));
};
