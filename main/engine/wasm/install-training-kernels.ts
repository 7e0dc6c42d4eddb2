import type { KernelConfig } from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { adamUpdateConfig } from './fused-adam';
import { bnTrainBackwardConfig, bnTrainForwardConfig } from './batchnorm-train-kernels';
import {
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  fastConv2dForward,
} from './conv-gradient-kernels';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-gradient-kernels';
import {
  batchNormGradConfig,
  channelMeanGradConfig,
  clipGradConfig,
  reluGradConfig,
  squareGradConfig,
} from './elementwise-gradient-kernels';
import type { TfSliceLike, TfUtilLike } from './fast-stock-kernels';
import {
  fastFusedBatchNorm,
  fastMean,
  fastSlice,
  fastSum,
  zeroCopyCast,
  zeroCopyIdentity,
} from './fast-stock-kernels';
import type { TfGradLike } from './gradient-overrides';
import { overrideGradients } from './gradient-overrides';
import type { TfLike } from './wasm-backend-io';
import { moduleCache } from './wasm-backend-io';

/** Options of {@link installWasmTrainingKernels}. */
export interface WasmTrainingKernelOptions {
  /** The compiled module (out/kernels/sonofuse-kernels.wasm); read lazily on the first kernel call. */
  wasmPath?: string;
  /** Or its bytes directly (takes precedence over wasmPath). */
  wasmBytes?: Uint8Array;
  /** Also replace stock wasm kernels that are slow in training (default true). */
  replaceStock?: boolean;
  /**
   * Route the FusedBatchNorm, ClipByValue, Relu, Mean and Square gradients through fused kernels
   * when the backend is wasm (default true; other backends keep the stock gradients).
   */
  fuseGradients?: boolean;
}

/** What the installer did; `uninstall` restores the kernels and gradients that were there before. */
export interface WasmTrainingKernels {
  /** Kernel names now served by SonoFuse's kernels on the 'wasm' backend. */
  readonly kernelNames: readonly string[];
  uninstall(): void;
}

/** Kernels the stock tfjs-backend-wasm 4.22 lacks, without which conv training cannot run. */
export const MISSING_WASM_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
] as const;

const installed = new WeakMap<object, WasmTrainingKernels>();

/**
 * Registers SonoFuse's WebAssembly SIMD kernels for the tfjs 'wasm' backend: the three gradients
 * the stock backend lacks, plus (with `replaceStock`) faster versions of stock kernels that dominate
 * a training step, and (with `fuseGradients`) fused gradients. The kernels run inside the backend's
 * own heap (a side module sharing its memory), so tensors are never copied. Idempotent per `tf`
 * namespace: a second call returns the first call's handle. Call before or after
 * `tf.setBackend('wasm')`; the module is instantiated on first use.
 */
export const installWasmTrainingKernels = (
  tf: TfLike & TfGradLike & TfUtilLike & TfSliceLike,
  options: WasmTrainingKernelOptions = {},
): WasmTrainingKernels => {
  const existing = installed.get(tf);
  if (existing) return existing;

  const moduleFor = moduleCache(() => {
    const bytes = options.wasmBytes ?? (options.wasmPath ? readFileSync(options.wasmPath) : null);
    if (!bytes) throw new Error('installWasmTrainingKernels needs wasmPath or wasmBytes');
    return bytes;
  });

  const configs: KernelConfig[] = [
    conv2dBackpropFilterConfig(tf, moduleFor),
    depthwiseBackpropFilterConfig(tf, moduleFor),
    depthwiseBackpropInputConfig(tf, moduleFor),
  ];
  if (options.replaceStock ?? true) {
    configs.push(conv2dBackpropInputConfig(tf, moduleFor));
    const stock = (name: string, make: (k: KernelConfig) => KernelConfig) => {
      const k = tf.getKernel(name, 'wasm');
      if (k) configs.push(make(k));
    };
    stock('FusedConv2D', (k) => fastConv2dForward(tf, moduleFor, k));
    stock('Conv2D', (k) => fastConv2dForward(tf, moduleFor, k));
    stock('Identity', zeroCopyIdentity);
    stock('Cast', zeroCopyCast);
    stock('Slice', (k) => fastSlice(tf, moduleFor, k));
    stock('Mean', (k) => fastMean(tf, moduleFor, k));
    stock('Sum', (k) => fastSum(tf, moduleFor, k));
    stock('FusedBatchNorm', (k) => fastFusedBatchNorm(moduleFor, k));
  }
  const fuse = options.fuseGradients ?? true;
  if (fuse) {
    configs.push(
      batchNormGradConfig(moduleFor),
      clipGradConfig(moduleFor),
      reluGradConfig(moduleFor),
      channelMeanGradConfig(moduleFor),
      squareGradConfig(moduleFor),
      bnTrainForwardConfig(moduleFor),
      bnTrainBackwardConfig(moduleFor),
      adamUpdateConfig(moduleFor),
    );
  }

  const previous: KernelConfig[] = [];
  for (const config of configs) {
    const before = tf.getKernel(config.kernelName, 'wasm');
    if (before) {
      previous.push(before);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
  const restoreGradients = fuse ? overrideGradients(tf) : () => undefined;

  const handle: WasmTrainingKernels = {
    kernelNames: configs.map((c) => c.kernelName),
    uninstall: () => {
      restoreGradients();
      for (const config of configs) tf.unregisterKernel(config.kernelName, 'wasm');
      for (const config of previous) tf.registerKernel(config);
      installed.delete(tf);
    },
  };
  installed.set(tf, handle);
  return handle;
};
