import type * as tfType from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import type { KernelArgs, ModuleFor } from './wasm-backend-io';
import { output, ptr, withModule } from './wasm-backend-io';

type Tf = typeof tfType;
type Tensor = tfType.Tensor;

/** Kernel name of the one-pass Adam update (wasm only). */
export const ADAM_UPDATE_KERNEL = 'SonoFuseAdamUpdate';

/** Attributes of {@link ADAM_UPDATE_KERNEL}: float32 constants in the order c/adam.c reads them. */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  /** 1 - beta1^t and 1 - beta2^t (bias corrections, as tfjs computes them in float32). */
  c1: number;
  c2: number;
  epsilon: number;
  learningRate: number;
}

/** Inputs value, gradient, m, v (same shape); outputs new value, m, v. */
export const adamUpdateConfig = (moduleFor: ModuleFor): KernelConfig => ({
  kernelName: ADAM_UPDATE_KERNEL,
  backendName: 'wasm',
  kernelFunc: (({ inputs, backend, attrs }: KernelArgs) =>
    withModule(moduleFor, backend, (mod, be) => {
      const { value, gradient, m, v } = inputs;
      const a = attrs as unknown as AdamUpdateAttrs;
      const f = Math.fround;
      const k = mod.scratch(8);
      new Float32Array(be.wasm.asm.memory.buffer, k, 8).set([
        f(a.beta1),
        f(1 - a.beta1),
        f(a.beta2),
        f(1 - a.beta2),
        f(a.c1),
        f(a.c2),
        f(a.epsilon),
        f(-a.learningRate),
      ]);
      const [nv, nvp] = output(be, [...value.shape]);
      const [nm, nmp] = output(be, [...value.shape]);
      const [nv2, nv2p] = output(be, [...value.shape]);
      const n = value.shape.reduce((x, y) => x * y, 1);
      mod.exports.sf_adam_update(
        ptr(be, value),
        ptr(be, gradient),
        ptr(be, m),
        ptr(be, v),
        n,
        k,
        nvp,
        nmp,
        nv2p,
      );
      return [nv, nm, nv2];
    })) as unknown as KernelFunc,
});

/** The AdamOptimizer fields tfjs keeps (read and written exactly as its applyGradients does). */
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tfType.Variable;
  accBeta2: tfType.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tfType.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tfType.Variable } | undefined>;
  incrementIterations(): void;
  applyGradients(g: tfType.NamedTensorMap | Array<{ name: string; tensor: Tensor }>): void;
}

/**
 * Makes `optimizer` (a tf.train.adam) update each variable with one fused kernel on the wasm
 * backend instead of tfjs' ~12 element-wise ops; elsewhere it keeps tfjs' own applyGradients. The
 * optimizer's state (moments, accBeta, iterations, getWeights/setWeights) is the same objects in
 * the same layout, so checkpoints and resume are unchanged. Returns the optimizer.
 */
export const fuseAdamOnWasm = <O extends tfType.Optimizer>(tf: Tf, optimizer: O): O => {
  const self = optimizer as unknown as AdamFields;
  const stock = self.applyGradients.bind(optimizer);
  self.applyGradients = (variableGradients) => {
    if (tf.getBackend() !== 'wasm' || !tf.getKernel(ADAM_UPDATE_KERNEL, 'wasm'))
      return stock(variableGradients);
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name]! }));
    tf.tidy(() => {
      // 1 - accBeta in float32, as tfjs' sub(1, accBeta) computes it
      const c1 = Math.fround(1 - self.accBeta1.dataSync()[0]!);
      const c2 = Math.fround(1 - self.accBeta2.dataSync()[0]!);
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name]!;
        if (self.accumulatedFirstMoment[i] == null)
          self.accumulatedFirstMoment[i] = {
            originalName: `${name}/m`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
        if (self.accumulatedSecondMoment[i] == null)
          self.accumulatedSecondMoment[i] = {
            originalName: `${name}/v`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i]!.variable;
        const v = self.accumulatedSecondMoment[i]!.variable;
        const attrs: AdamUpdateAttrs = {
          beta1: self.beta1,
          beta2: self.beta2,
          c1,
          c2,
          epsilon: self.epsilon,
          learningRate: self.learningRate,
        };
        const [nv, nm, nv2] = tf
          .engine()
          .runKernel(ADAM_UPDATE_KERNEL, { value, gradient, m, v } as never, attrs as never) as Tensor[];
        m.assign(nm!);
        v.assign(nv2!);
        value.assign(nv!);
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  };
  return optimizer;
};
