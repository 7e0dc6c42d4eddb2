import type * as tfType from '@tensorflow/tfjs';
import { createImageBackbone, featurePoolName } from '../engine/encoders/image-backbone';
import { createFastLayers } from '../engine/wasm/fast-layers';

type Tf = typeof tfType;

/** Options of {@link buildStage1Model} (structured-clone safe: replica workers receive them). */
export interface Stage1ModelOptions {
  /** Built-in backbone id or a tfjs layers model folder with backbone.json. */
  source: 'nsfwjs-mobilenetv2' | { folder: string };
  inputSize: number;
  classes: number;
  seed: number;
  /** BatchNorm momentum while fine-tuning (default 0.9; see keras-topology-cut.ts). */
  batchNormMomentum?: number;
}

/** The layer whose output is the backbone's pooled feature vector (stage 2 and the probes read it). */
export const STAGE1_FEATURE_LAYER = featurePoolName;
export const STAGE1_HEAD_LAYER = 'sonofuse_stage1_head';

/**
 * The stage-1 network: the pretrained backbone (every layer trainable, BatchNorm momentum lowered
 * so its statistics follow the new domain) plus a new softmax head. On the wasm backend its
 * BatchNorm/ReLU6 layers deserialize as SonoFuse's fused training layers (same weights and maths).
 */
export const buildStage1Model = async (tf: Tf, opts: Stage1ModelOptions): Promise<tfType.LayersModel> => {
  createFastLayers(tf).registerForDeserialization();
  const backbone = await createImageBackbone({
    tf,
    source: opts.source,
    inputSize: opts.inputSize,
    trainable: true,
    batchNormMomentum: opts.batchNormMomentum ?? 0.9,
  });
  const head = tf.layers.dense({
    units: opts.classes,
    activation: 'softmax',
    name: STAGE1_HEAD_LAYER,
    kernelInitializer: tf.initializers.glorotUniform({ seed: opts.seed }),
  });
  const output = head.apply(backbone.model.outputs[0]) as tfType.SymbolicTensor;
  return tf.model({ inputs: backbone.model.inputs, outputs: output });
};
