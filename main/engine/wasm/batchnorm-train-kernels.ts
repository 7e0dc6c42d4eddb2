import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelArgs, ModuleFor } from './wasm-backend-io';
import { output, ptr, withModule } from './wasm-backend-io';

/** Kernel names of the fused training-mode BatchNormalization (wasm only). */
export const BN_TRAIN_KERNELS = {
  forward: 'SonoFuseBatchNormTrain',
  backward: 'SonoFuseBatchNormTrainGrad',
} as const;

const size = (t: TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);

/**
 * Inputs x[..., C], gamma[C], beta[C]; attrs epsilon and optional activationMax (> 0: the
 * following ReLU(maxValue) fused in, y clipped to [0, activationMax]); outputs y, batch mean[C],
 * biased variance[C].
 */
export const bnTrainForwardConfig = (moduleFor: ModuleFor): KernelConfig => ({
  kernelName: BN_TRAIN_KERNELS.forward,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, gamma, beta } = inputs;
      const { epsilon: eps, activationMax = 0 } = attrs as { epsilon: number; activationMax?: number };
      const c = x.shape[x.shape.length - 1];
      const [y, yp] = output(be, [...x.shape]);
      const [mean, mp] = output(be, [c]);
      const [variance, vp] = output(be, [c]);
      const scratch = mod.scratch(3 * c);
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
        activationMax,
      );
      return [y, mean, variance];
    })) as unknown as KernelFunc,
});

/**
 * Inputs x, dy, mean, variance, gamma, beta; attrs epsilon and activationMax (as the forward: dy
 * is masked where the recomputed pre-activation is outside (0, activationMax]); outputs dx,
 * dgamma, dbeta.
 */
export const bnTrainBackwardConfig = (moduleFor: ModuleFor): KernelConfig => ({
  kernelName: BN_TRAIN_KERNELS.backward,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { x, dy, mean, variance, gamma, beta } = inputs;
      const { epsilon: eps, activationMax = 0 } = attrs as { epsilon: number; activationMax?: number };
      const c = x.shape[x.shape.length - 1];
      const [dx, dxp] = output(be, [...x.shape]);
      const [dg, dgp] = output(be, [c]);
      const [db, dbp] = output(be, [c]);
      const scratch = mod.scratch(6 * c);
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
        beta ? ptr(be, beta) : scratch,
        beta ? activationMax : 0,
      );
      return [dx, dg, db];
    })) as unknown as KernelFunc,
});
