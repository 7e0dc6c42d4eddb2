import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;
type Tensor = tfType.Tensor;

/** A BatchNormalization layer's inference parameters (gamma/beta null when the layer has none). */
export interface BatchNormParams {
  gamma: Tensor | null;
  beta: Tensor | null;
  movingMean: Tensor;
  movingVariance: Tensor;
  epsilon: number;
}

/** A convolution's weights with a following BatchNormalization folded in. */
export interface FoldedConvWeights {
  /** Same shape as the convolution's kernel. */
  kernel: Tensor;
  /** One value per output channel. */
  bias: Tensor;
}

/**
 * Folds inference-mode BatchNormalization into the convolution before it:
 * `bn(conv(x, k) + b) = conv(x, k * s) + (b - mean) * s + beta` with
 * `s = gamma / sqrt(movingVariance + epsilon)`. `kernel` is `[kh, kw, in, out]` for a regular
 * convolution (s scales the last axis) or `[kh, kw, in, multiplier]` for a depthwise one (output
 * channel `i * multiplier + m` is scaled by `s[i * multiplier + m]`). Returns new tensors the caller
 * owns; the inputs are left as they are.
 */
export const foldBatchNorm = (
  tf: Tf,
  kernel: Tensor,
  bias: Tensor | null,
  bn: BatchNormParams,
  depthwise: boolean,
): FoldedConvWeights =>
  tf.tidy(() => {
    const invStd = tf.rsqrt(tf.add(bn.movingVariance, bn.epsilon));
    const scale = bn.gamma ? tf.mul(bn.gamma, invStd) : invStd;
    const kernelScale = depthwise ? tf.reshape(scale, kernel.shape.slice(2)) : scale;
    const centred = bias ? tf.sub(bias, bn.movingMean) : tf.neg(bn.movingMean);
    const shifted = tf.mul(centred, scale);
    return {
      kernel: tf.mul(kernel, kernelScale),
      bias: bn.beta ? tf.add(shifted, bn.beta) : shifted,
    };
  });

/** Activations the fused conv kernels apply in their epilogue. */
export type FusedActivation = 'linear' | 'relu' | 'relu6';

/**
 * True when `ZeroPadding2D(padding)` followed by a 'valid' convolution computes the same as the
 * convolution with 'same' padding on the unpadded input (Keras' `correct_pad` before stride-2
 * depthwise convolutions is built to be exactly that), so the pad copy can be dropped.
 */
export const zeroPaddingIsSame = (
  tf: Tf,
  inputShape: readonly number[],
  padding: readonly (readonly [number, number])[],
  filter: readonly [number, number],
  strides: readonly [number, number],
): boolean => {
  const [, h, w] = inputShape;
  if (h == null || w == null || h <= 0 || w <= 0) return false;
  const info = tf.backend_util.computeConv2DInfo(
    [1, h, w, 1],
    [filter[0], filter[1], 1, 1],
    [strides[0], strides[1]],
    1,
    'same',
  );
  const p = info.padInfo;
  return (
    p.top === padding[0][0] &&
    p.bottom === padding[0][1] &&
    p.left === padding[1][0] &&
    p.right === padding[1][1]
  );
};
