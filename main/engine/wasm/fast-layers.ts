import type * as tfType from '@tensorflow/tfjs';
import { BN_TRAIN_KERNELS } from './batchnorm-train-kernels';

type Tf = typeof tfType;
type Tensor = tfType.Tensor;
type LayerArgs = Record<string, unknown>;
type Kwargs = Record<string, unknown>;
type GradFn = Parameters<Tf['customGrad']>[0];

interface LayerVar {
  read(): Tensor;
  write(v: Tensor): void;
}
interface BatchNormFields {
  axis: number;
  epsilon: number;
  momentum: number;
  center: boolean;
  scale: boolean;
  gamma: LayerVar;
  beta: LayerVar;
  movingMean: LayerVar;
  movingVariance: LayerVar;
}
type LayerCtor = new (args: LayerArgs) => tfType.layers.Layer;

/** Layer factories whose training path is fused on the wasm backend (same weights and config). */
export interface FastLayers {
  batchNormalization(args?: LayerArgs): tfType.layers.Layer;
  reLU(args?: LayerArgs): tfType.layers.Layer;
  /** Makes model.json deserialization (tf.loadLayersModel) build these classes too. */
  registerForDeserialization(): void;
}

const one = (inputs: Tensor | Tensor[]): Tensor => (Array.isArray(inputs) ? inputs[0] : inputs);

/** The graph links tfjs-layers keeps on every layer of a functional model. */
interface LayerLinks {
  outboundNodes?: Array<{ outboundLayer?: unknown }>;
}

/**
 * Subclasses of tfjs-layers' BatchNormalization and ReLU. A BatchNormalization whose only consumer
 * is a ReLU(maxValue) applies it inside the same kernels (forward and backward) and that ReLU
 * passes its input through, so training saves no separate activation and runs no clip passes. In training on the wasm backend (NHWC,
 * last-axis BN with center and scale), BatchNormalization runs one fused kernel forward (batch
 * mean, variance, normalisation) and one backward instead of tfjs' moments + batchNorm chain, and
 * keeps one full-size tensor for backward instead of four; ReLU(maxValue) runs one clip instead of
 * relu + clip. Everywhere else (other backends, inference, other configurations) they are the
 * stock layers: super.call. Serialised class names are unchanged, so saved models are compatible.
 */
export const createFastLayers = (tf: Tf): FastLayers => {
  const onWasm = () => tf.getBackend() === 'wasm';
  /** Outputs of a BatchNormalization that already applied the next ReLU(maxValue) (fused). */
  const activated = new WeakSet<Tensor>();
  /**
   * maxValue of the ReLU layer this BatchNormalization feeds when that ReLU is its only consumer
   * in the model graph (MobileNetV2's BN → ReLU6), else 0. Only then is fusing exact: nothing else
   * reads the un-activated output.
   */
  const fusableReluMax = (layer: unknown): number => {
    const nodes = (layer as LayerLinks).outboundNodes ?? [];
    if (nodes.length !== 1) return 0;
    const next = nodes[0]!.outboundLayer;
    if (!(next instanceof FastReLU)) return 0;
    const max = (next as unknown as { maxValue?: number | null }).maxValue;
    return typeof max === 'number' && max > 0 ? max : 0;
  };
  const BatchNormBase = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as LayerCtor;
  const ReLUBase = Object.getPrototypeOf(tf.layers.reLU({})).constructor as LayerCtor;

  class FastBatchNormalization extends BatchNormBase {
    static className = 'BatchNormalization';
    override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
      const self = this as unknown as BatchNormFields;
      const x = one(inputs);
      const axis = self.axis >= 0 ? self.axis : self.axis + x.rank;
      if (
        !kwargs['training'] ||
        !onWasm() ||
        axis !== x.rank - 1 ||
        x.dtype !== 'float32' ||
        !self.center ||
        !self.scale
      ) {
        return super.call(inputs, kwargs);
      }
      const eps = self.epsilon;
      const activationMax = fusableReluMax(this);
      let stats: Tensor[] = [];
      const fused = tf.customGrad(((xx: Tensor, g: Tensor, b: Tensor, save: (t: Tensor[]) => void) => {
        const [y, mean, variance] = tf
          .engine()
          .runKernel(
            BN_TRAIN_KERNELS.forward,
            { x: xx, gamma: g, beta: b } as never,
            { epsilon: eps, activationMax } as never,
          ) as Tensor[];
        save([xx, mean, variance, g, b]);
        stats = [tf.keep(mean), tf.keep(variance)];
        return {
          value: y,
          gradFunc: (dy: Tensor, saved: Tensor[]) => {
            const [sx, sm, sv, sg, sb] = saved;
            return tf
              .engine()
              .runKernel(
                BN_TRAIN_KERNELS.backward,
                { x: sx, dy, mean: sm, variance: sv, gamma: sg, beta: sb } as never,
                { epsilon: eps, activationMax } as never,
              ) as Tensor[];
          },
        };
      }) as unknown as GradFn);
      const y = fused(x, self.gamma.read(), self.beta.read());
      const decay = 1 - self.momentum;
      const update = (v: LayerVar, value: Tensor) =>
        tf.tidy(() => {
          const orig = v.read();
          v.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
        });
      update(self.movingMean, stats[0]);
      update(self.movingVariance, stats[1]);
      tf.dispose(stats);
      if (activationMax > 0) activated.add(y);
      return y;
    }
  }

  class FastReLU extends ReLUBase {
    static className = 'ReLU';
    override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
      const maxValue = (this as unknown as { maxValue?: number }).maxValue;
      const x = one(inputs);
      if (maxValue == null || !onWasm() || x.dtype !== 'float32') return super.call(inputs, kwargs);
      // The BatchNormalization before this layer already clipped (and its gradient masks): a
      // zero-copy identity keeps this layer's output a tensor of its own.
      if (activated.has(x)) return x.clone();
      // relu then clip(0, max) == clip(0, max); the gradient keeps relu's step(x) at x == 0.
      const fused = tf.customGrad(((xx: Tensor, save: (t: Tensor[]) => void) => {
        save([xx]);
        return {
          value: tf.clipByValue(xx, 0, maxValue),
          gradFunc: (dy: Tensor, saved: Tensor[]) =>
            tf
              .engine()
              .runKernel(
                'SonoFuseClipByValueGrad',
                { x: saved[0], dy } as never,
                { clipValueMin: 1e-45, clipValueMax: maxValue } as never,
              ) as Tensor,
        };
      }) as unknown as GradFn);
      return fused(x);
    }
  }

  return {
    batchNormalization: (args = {}) => new FastBatchNormalization(args),
    reLU: (args = {}) => new FastReLU(args),
    registerForDeserialization: () => {
      tf.serialization.registerClass(
        FastBatchNormalization as unknown as tfType.serialization.SerializableConstructor<tfType.serialization.Serializable>,
      );
      tf.serialization.registerClass(
        FastReLU as unknown as tfType.serialization.SerializableConstructor<tfType.serialization.Serializable>,
      );
    },
  };
};
