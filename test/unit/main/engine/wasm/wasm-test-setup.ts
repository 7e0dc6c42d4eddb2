import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { KernelVariant } from '../../../../../main/engine/wasm/build-kernels';
import {
  defaultKernelPaths,
  ensureKernelBuild,
  ensureKernelsBuilt,
  kernelVariantOf,
} from '../../../../../main/engine/wasm/build-kernels';
import { enableRelaxedSimd } from '../../../../../main/engine/wasm/relaxed-simd';
import type { WasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import { installWasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';

/** Both kernel builds: every kernel test runs against the reference backend in each. */
export const KERNEL_VARIANTS: readonly KernelVariant[] = ['simd', 'relaxed'];

/**
 * The module path of one build (built if missing or stale). 'relaxed' turns V8's relaxed-SIMD
 * flag on in this process where Node needs it, and fails if the engine still refuses it.
 */
export const kernelsPathFor = (variant?: KernelVariant): string => {
  if (!variant) return ensureKernelsBuilt();
  if (variant === 'relaxed' && !enableRelaxedSimd()) throw new Error('this engine has no relaxed SIMD');
  const path = ensureKernelBuild(defaultKernelPaths(variant));
  if (kernelVariantOf(path) !== variant) throw new Error(`${path} is not the ${variant} build`);
  return path;
};

/**
 * Builds the kernels if missing or stale (fails with clang's message) and installs them on `tf`:
 * the given build, or the one this process would pick (ensureKernelsBuilt).
 */
export const setupWasmKernels = async (variant?: KernelVariant): Promise<WasmTrainingKernels> => {
  const wasmPath = kernelsPathFor(variant);
  const handle = installWasmTrainingKernels(tf, { wasmPath });
  await tf.setBackend('wasm');
  await tf.ready();
  return handle;
};

/** Deterministic uniform(-1, 1) floats (mulberry32), so every run checks the same inputs. */
export { benchFloats as seededFloats } from '../../../../../main/engine/bench/engine-benchmark';

/** max|a - b| / max|b|: the relative error the issue bounds by 1e-4. */
export const relativeError = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let diff = 0;
  let scale = 1e-30;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
};

/** Runs `f` on the named backend and returns its outputs as plain arrays. */
export const onBackend = async (name: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> => {
  await tf.setBackend(name);
  const outs = tf.tidy(f);
  const values = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return values;
};

export { tf };
