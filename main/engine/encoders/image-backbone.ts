import * as tfDefault from '@tensorflow/tfjs';
import { AppError } from '../../../shared/contract/result';
import builtinManifestJson from '../../../resources/models/nsfwjs-mobilenetv2.json';
import type { ImageBackboneManifest } from './image-backbone-manifest';
import { parseBackboneManifest, readBackboneManifest } from './image-backbone-manifest';
import { cutFunctionalTopology, featurePoolName } from './keras-topology-cut';
import { loadNsfwjsArtifacts } from './nsfwjs-model-source';
import { memoryHandler, readModelFolder, selectWeights } from './tfjs-artifacts';

type Tf = typeof tfDefault;

/** The built-in backbone's id, or a user-supplied tfjs layers model folder holding `backbone.json`. */
export type ImageBackboneSource = 'nsfwjs-mobilenetv2' | { folder: string };

/** Options of {@link createImageBackbone}. */
export interface ImageBackboneOptions {
  /** Defaults to the built-in `nsfwjs-mobilenetv2`. */
  source?: ImageBackboneSource;
  /** Square input side; defaults to the manifest's (224 for MobileNetV2). Must be a multiple of `sizeMultiple`. */
  inputSize?: number;
  /** Every layer trainable (default true: stage 1 fine-tunes the whole backbone) or every layer frozen. */
  trainable?: boolean;
  /** Overrides BatchNormalization momentum (see keras-topology-cut.ts). */
  batchNormMomentum?: number;
  /** The tfjs namespace to build on (e.g. tfjs-node's); defaults to `@tensorflow/tfjs`. */
  tf?: Tf;
}

/** A pretrained image feature extractor, ready to train or to run frozen. */
export interface ImageBackbone {
  /**
   * Input `[batch, inputSize, inputSize, 3]` already normalised; output `[batch, featureDim]`.
   * Frozen use (linear probe, stage 2): take features from `model.predict` (inference mode). In tfjs
   * 4.22 `trainable = false` does NOT stop BatchNorm from using batch statistics and updating its
   * moving averages inside `fit`.
   */
  readonly model: tfDefault.LayersModel;
  readonly inputSize: number;
  readonly featureDim: number;
  readonly manifest: ImageBackboneManifest;
  /** Maps pixels in 0..255 (RGB, `[b, h, w, 3]`) to the model's input range (does not resize). */
  normalise(pixels: tfDefault.Tensor4D): tfDefault.Tensor4D;
  dispose(): void;
}

/** The built-in manifest (resources/models/nsfwjs-mobilenetv2.json), validated. */
export const builtinBackboneManifest = (): ImageBackboneManifest =>
  parseBackboneManifest(builtinManifestJson, 'resources/models/nsfwjs-mobilenetv2.json');

/**
 * Pixel normalisation as one multiply-add per channel: range → `x·(max−min)/255 + min`,
 * mean-std → `x/(255·std) − mean/std`; BGR models get their channels reversed first.
 */
export const createNormaliser = (tf: Tf, manifest: ImageBackboneManifest) => {
  const n = manifest.normalisation;
  const scale =
    n.kind === 'range' ? [0, 1, 2].map(() => (n.max - n.min) / 255) : n.std.map((s) => 1 / (255 * s));
  const shift = n.kind === 'range' ? [n.min, n.min, n.min] : n.mean.map((m, i) => -m / n.std[i]);
  return (pixels: tfDefault.Tensor4D): tfDefault.Tensor4D =>
    tf.tidy(() => {
      const x = manifest.channelOrder === 'bgr' ? tf.reverse(pixels, -1) : pixels;
      return tf.add(
        tf.mul(tf.cast(x, 'float32'), tf.tensor1d(scale)),
        tf.tensor1d(shift),
      ) as tfDefault.Tensor4D;
    });
};

/**
 * Builds a trainable feature extractor: the source model cut after `manifest.featureLayer` (for
 * MobileNetV2 `out_relu`, the last 1×1 convolution's ReLU6) plus global pooling, at `inputSize`.
 * Everything is read from disk (nsfwjs's base64 modules or the user's folder); nothing is fetched.
 * Other sizes work because the network is fully convolutional up to the cut: only the InputLayer's
 * shape is rewritten before loading, and the weights do not depend on it.
 */
export const createImageBackbone = async (opts: ImageBackboneOptions = {}): Promise<ImageBackbone> => {
  const tf = opts.tf ?? tfDefault;
  const source = opts.source ?? 'nsfwjs-mobilenetv2';
  const manifest =
    source === 'nsfwjs-mobilenetv2' ? builtinBackboneManifest() : await readBackboneManifest(source.folder);
  const artifacts =
    source === 'nsfwjs-mobilenetv2' ? loadNsfwjsArtifacts() : await readModelFolder(source.folder);
  const inputSize = opts.inputSize ?? manifest.inputSize;
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % manifest.sizeMultiple !== 0) {
    throw new AppError(
      'INVALID_INPUT',
      `input size ${inputSize} is not supported by ${manifest.name}: use an integer ≥ 32 that is a multiple of ${manifest.sizeMultiple}`,
    );
  }
  if (artifacts.format !== undefined && artifacts.format !== 'layers-model') {
    throw new AppError(
      'INVALID_INPUT',
      `${manifest.name}: expected a tfjs layers model, got format ${artifacts.format}`,
    );
  }
  const { topology, keptLayers } = cutFunctionalTopology(artifacts.modelTopology as Record<string, unknown>, {
    featureLayer: manifest.featureLayer,
    inputSize,
    pooling: manifest.pooling,
    trainable: opts.trainable ?? true,
    batchNormMomentum: opts.batchNormMomentum,
  });
  const cut = selectWeights({ ...artifacts, modelTopology: topology }, (w) =>
    keptLayers.has(w.split('/')[0]),
  );
  let model: tfDefault.LayersModel;
  try {
    model = await tf.loadLayersModel(memoryHandler(cut), { strict: true });
  } catch (e) {
    throw new AppError(
      'INVALID_INPUT',
      `${manifest.name}: the cut model does not load (${(e as Error).message})`,
    );
  }
  const outShape = model.outputs[0].shape;
  const featureDim = Number(outShape[outShape.length - 1]);
  if (manifest.featureDim !== undefined && featureDim !== manifest.featureDim) {
    model.dispose();
    throw new AppError(
      'INVALID_INPUT',
      `${manifest.name}: features have ${featureDim} channels, manifest says ${manifest.featureDim}`,
    );
  }
  return {
    model,
    inputSize,
    featureDim,
    manifest,
    normalise: createNormaliser(tf, manifest),
    dispose: () => model.dispose(),
  };
};

export { featurePoolName };
