import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ensureKernelsBuilt } from '../../../../../main/engine/wasm/build-kernels';
import type { WasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import { installWasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';

/** Builds the kernels if missing or stale (fails with clang's message) and installs them on `tf`. */
export const setupWasmKernels = async (): Promise<WasmTrainingKernels> => {
  const wasmPath = ensureKernelsBuilt();
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
