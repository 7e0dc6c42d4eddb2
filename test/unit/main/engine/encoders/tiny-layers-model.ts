import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A tiny functional CNN with seeded weights, shaped like a Keras application plus a classifier:
 * input 32×32×3 → conv 'stem' (4, 3×3, stride 2) → conv 'last_conv' (8, 1×1, relu) → global
 * average pooling → dense 'head' (3). Its feature layer is 'last_conv' (8 channels).
 */
export const buildTinyCnn = (): tf.LayersModel => {
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  const stem = tf.layers
    .conv2d({
      name: 'stem',
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      biasInitializer: tf.initializers.constant({ value: 0.05 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const last = tf.layers
    .conv2d({
      name: 'last_conv',
      filters: 8,
      kernelSize: 1,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      biasInitializer: tf.initializers.constant({ value: 0.1 }),
    })
    .apply(stem) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(last) as tf.SymbolicTensor;
  const head = tf.layers
    .dense({ name: 'head', units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
    .apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: head, name: 'tiny_cnn' });
};

/** Saves `model` into `folder` as model.json + one shard, the layout tfjs converters produce. */
export const saveModelFolder = async (model: tf.LayersModel, folder: string): Promise<void> => {
  mkdirSync(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = {
        modelTopology: a.modelTopology,
        format: 'layers-model',
        generatedBy: a.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
      };
      writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
      writeFileSync(join(folder, 'group1-shard1of1.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
};

/** The manifest a user would drop next to the tiny model. */
export const tinyManifest = {
  name: 'tiny-cnn',
  inputSize: 32,
  normalisation: { kind: 'mean-std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  featureLayer: 'last_conv',
  featureDim: 8,
};
