import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, ModuleFor } from './wasm-backend-io';
import { output, ptr, withModule } from './wasm-backend-io';

/** Names of the SonoFuse-only kernels the gradient overrides call on the wasm backend. */
export const FUSED_GRAD_KERNELS = {
  batchNorm: 'SonoFuseBatchNormGrad',
  clip: 'SonoFuseClipByValueGrad',
  relu: 'SonoFuseReluGrad',
  meanGrad: 'SonoFuseChannelMeanGrad',
  squareGrad: 'SonoFuseSquareGrad',
} as const;

const size = (t: TensorInfo | number[]): number => ('shape' in t ? t.shape : t).reduce((a, b) => a * b, 1);

const config = (
  kernelName: string,
  kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[],
): KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: kernelFunc as unknown as KernelFunc,
});

/** Inputs x, dy, mean, variance[, scale] (per-channel, rank 1); outputs dx, dmean, dvar, dscale, doffset. */
export const batchNormGradConfig = (moduleFor: ModuleFor): KernelConfig =>
  config(FUSED_GRAD_KERNELS.batchNorm, ({ inputs, backend, attrs }) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, dy, mean, variance, scale } = inputs;
      const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
      const channels = mean.shape[0];
      const outs = [output(be, [...x.shape]), ...[0, 1, 2, 3].map(() => output(be, [channels]))];
      const sums = mod.scratch(2 * channels);
      const [dx, dm, dv, ds, doff] = outs.map(([, p]) => p);
      mod.exports.sf_batchnorm_grad(
        ptr(be, x),
        ptr(be, dy),
        ptr(be, mean),
        ptr(be, variance),
        scale ? ptr(be, scale) : 0,
        eps,
        size(x) / channels,
        channels,
        dx,
        dm,
        dv,
        ds,
        doff,
        sums,
      );
      return outs.map(([t]) => t);
    }),
  );

/** Inputs x, dy; attrs clipValueMin/Max; output dy where min <= x <= max, else 0. */
export const clipGradConfig = (moduleFor: ModuleFor): KernelConfig =>
  config(FUSED_GRAD_KERNELS.clip, ({ inputs, backend, attrs }) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, dy } = inputs;
      const { clipValueMin, clipValueMax } = attrs as { clipValueMin: number; clipValueMax: number };
      const [out, op] = output(be, [...x.shape]);
      mod.exports.sf_clip_grad(ptr(be, x), ptr(be, dy), clipValueMin, clipValueMax, size(x), op);
      return out;
    }),
  );

/** Inputs x, dy; output dy * step(x). */
export const reluGradConfig = (moduleFor: ModuleFor): KernelConfig =>
  config(FUSED_GRAD_KERNELS.relu, ({ inputs, backend }) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, dy } = inputs;
      const [out, op] = output(be, [...x.shape]);
      mod.exports.sf_relu_grad(ptr(be, x), ptr(be, dy), size(x), op);
      return out;
    }),
  );

/** Input dy[C]; attrs outShape ([..., C]); output dy[c] / (positions) broadcast to outShape. */
export const channelMeanGradConfig = (moduleFor: ModuleFor): KernelConfig =>
  config(FUSED_GRAD_KERNELS.meanGrad, ({ inputs, backend, attrs }) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { dy } = inputs;
      const shape = (attrs as { outShape: number[] }).outShape;
      const channels = shape[shape.length - 1];
      const positions = size(shape) / channels;
      const [out, op] = output(be, [...shape]);
      mod.exports.sf_broadcast_rows(ptr(be, dy), 1 / positions, positions, channels, op);
      return out;
    }),
  );

/** Inputs x, dy; output 2 x dy (the gradient of Square). */
export const squareGradConfig = (moduleFor: ModuleFor): KernelConfig =>
  config(FUSED_GRAD_KERNELS.squareGrad, ({ inputs, backend }) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, dy } = inputs;
      const [out, op] = output(be, [...x.shape]);
      mod.exports.sf_square_grad(ptr(be, x), ptr(be, dy), size(x), op);
      return out;
    }),
  );
