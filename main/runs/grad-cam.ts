import type * as tfType from '@tensorflow/tfjs';

type Tf = typeof tfType;

/**
 * A classifier split at its last convolutional feature map A (the input of global pooling):
 * `features` maps a model input to A (inference mode, never differentiated) and `logits` maps A to
 * the pre-softmax class scores (pooling + dense head: the only part Grad-CAM differentiates).
 */
export interface GradCamParts {
  features(x: tfType.Tensor4D): tfType.Tensor4D;
  logits(a: tfType.Tensor4D): tfType.Tensor2D;
}

/** Grad-CAM of one image for one class, on the feature map's grid. */
export interface GradCam {
  classIndex: number;
  /** The model's softmax probabilities for the image. */
  probs: number[];
  /** ReLU(Σ_k α_k A_k), row-major `height × width`, not normalised. */
  map: Float32Array;
  height: number;
  width: number;
  /** α_k = spatial mean of ∂logit_c/∂A_k, one per feature channel. */
  weights: Float32Array;
}

/**
 * Grad-CAM (Selvaraju et al. 2017) of the first image of `x` for `classIndex` (default: the
 * predicted class). The gradient is taken by `tf.grad` of logit_c with respect to A, so any pooling
 * and head work; for global average pooling + a linear head it equals CAM, W[k,c]·A_k/(h·w) summed.
 */
export const gradCam = (tf: Tf, parts: GradCamParts, x: tfType.Tensor4D, classIndex?: number): GradCam => {
  const a = tf.tidy(() => parts.features(x.slice([0, 0, 0, 0], [1, -1, -1, -1])));
  try {
    const [, height, width, channels] = a.shape as [number, number, number, number];
    const probs = tf.tidy(() => Array.from(tf.softmax(parts.logits(a)).dataSync()));
    const c = classIndex ?? probs.indexOf(Math.max(...probs));
    if (!Number.isInteger(c) || c < 0 || c >= probs.length)
      throw new RangeError(`class ${c} is out of range 0..${probs.length - 1}`);
    const [weights, map] = tf.tidy(() => {
      const grad = tf.grad((fm: tfType.Tensor) =>
        tf.sum(tf.slice(parts.logits(fm as tfType.Tensor4D), [0, c], [1, 1])),
      )(a);
      const alpha = tf.mean(grad, [0, 1, 2]);
      const cam = tf.relu(tf.sum(tf.mul(a, tf.reshape(alpha, [1, 1, 1, channels])), [0, 3]));
      return [alpha.dataSync() as Float32Array, cam.dataSync() as Float32Array];
    });
    return { classIndex: c, probs, map: map!, height, width, weights: weights! };
  } finally {
    a.dispose();
  }
};

/**
 * The map resized to `size × size` (bilinear, half-pixel centres: each cell sits over the part of
 * the input it summarises) and divided by its maximum, so values lie in [0, 1]; all zeros when the
 * class has no positive evidence anywhere.
 */
export const upsampleCam = (tf: Tf, cam: Pick<GradCam, 'map' | 'height' | 'width'>, size: number) =>
  tf.tidy(() => {
    const grid = tf.tensor4d(cam.map, [1, cam.height, cam.width, 1]);
    const up = tf.relu(tf.image.resizeBilinear(grid, [size, size], false, true));
    const peak = tf.max(up).dataSync()[0]!;
    return (peak > 0 ? tf.div(up, peak) : up).dataSync() as Float32Array;
  });

/** `map / max(map)` (zeros stay zeros): the coarse grid as the review shows it. */
export const normaliseMap = (map: Float32Array): number[] => {
  const peak = map.reduce((m, v) => Math.max(m, v), 0);
  return Array.from(map, (v) => (peak > 0 ? v / peak : 0));
};

/**
 * The stage-1 network's Grad-CAM parts: features up to the pooling layer's input, and logits as
 * pooling followed by the head's kernel and bias (its softmax left out). Both share the network's
 * layers and weights: disposing the network frees them.
 */
export const layersGradCamParts = (
  tf: Tf,
  model: tfType.LayersModel,
  poolLayer: string,
  headLayer: string,
): GradCamParts => {
  const pool = model.getLayer(poolLayer);
  const features = tf.model({ inputs: model.inputs, outputs: pool.input as tfType.SymbolicTensor });
  const [kernel, bias] = model.getLayer(headLayer).getWeights();
  if (!kernel) throw new Error(`layer ${headLayer} has no kernel`);
  return {
    features: (x) => features.predict(x) as tfType.Tensor4D,
    logits: (a) =>
      tf.tidy(() => {
        const z = tf.matMul(pool.apply(a) as tfType.Tensor2D, kernel);
        return (bias ? tf.add(z, bias) : z) as tfType.Tensor2D;
      }),
  };
};
