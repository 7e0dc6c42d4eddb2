import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, ModuleFor } from './wasm-backend-io';
import { output, ptr, withModule } from './wasm-backend-io';

/** Kernel names of the fused training-mode BatchNormalization (wasm only). */
export const BN_TRAIN_KERNELS = {
  forward: 'SonoFuseBatchNormTrain',
  backward: 'SonoFuseBatchNormTrainGrad',
} as const;

const size = (t: TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);

/** Inputs x[..., C], gamma[C], beta[C]; attr epsilon; outputs y, batch mean[C], biased variance[C]. */
export const bnTrainForwardConfig = (moduleFor: ModuleFor): KernelConfig => ({
  kernelName: BN_TRAIN_KERNELS.forward,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, gamma, beta } = inputs;
      const eps = (attrs as { epsilon: number }).epsilon;
      const c = x.shape[x.shape.length - 1];
      const [y, yp] = output(be, [...x.shape]);
      const [mean, mp] = output(be, [c]);
      const [variance, vp] = output(be, [c]);
      const scratch = mod.scratch(2 * c);
      mod.exports.sf_bn_train_fwd(
        ptr(be, x),
        ptr(be, gamma),
        ptr(be, beta),
        eps,
        size(x) / c,
        c,
        yp,
        mp,
        vp,
        scratch,
      );
      return [y, mean, variance];
    })) as unknown as KernelFunc,
});

/** Inputs x, dy, mean, variance, gamma; attr epsilon; outputs dx, dgamma, dbeta. */
export const bnTrainBackwardConfig = (moduleFor: ModuleFor): KernelConfig => ({
  kernelName: BN_TRAIN_KERNELS.backward,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, dy, mean, variance, gamma } = inputs;
      const eps = (attrs as { epsilon: number }).epsilon;
      const c = x.shape[x.shape.length - 1];
      const [dx, dxp] = output(be, [...x.shape]);
      const [dg, dgp] = output(be, [c]);
      const [db, dbp] = output(be, [c]);
      const scratch = mod.scratch(5 * c);
      mod.exports.sf_bn_train_bwd(
        ptr(be, x),
        ptr(be, dy),
        ptr(be, mean),
        ptr(be, variance),
        ptr(be, gamma),
        eps,
        size(x) / c,
        c,
        dxp,
        dgp,
        dbp,
        scratch,
      );
      return [dx, dg, db];
    })) as unknown as KernelFunc,
});
