import type * as tfType from '@tensorflow/tfjs';

/** A BatchNorm-free conv net (so a split batch has exactly the full batch's mean gradient). */
export const buildTinyModel = (tf: typeof tfType, opts: { size: number }): tfType.LayersModel => {
  const seed = (n: number) => tf.initializers.glorotUniform({ seed: n });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [opts.size, opts.size, 3],
        filters: 6,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: seed(1),
      }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: seed(2) }),
      tf.layers.conv2d({ filters: 8, kernelSize: 1, kernelInitializer: seed(3) }),
      tf.layers.globalAveragePooling2d({ name: 'pool' }),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seed(4) }),
    ],
  });
};

/** The same net from an async factory (as the stage-1 model, which loads pretrained weights). */
export const buildTinyModelAsync = async (
  tf: typeof tfType,
  opts: { size: number },
): Promise<tfType.LayersModel> => buildTinyModel(tf, opts);
