import { join } from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { Normalize } from '../../shared/augment/augment-config';
import type { RunSaliency } from '../../shared/contract/run';
import { AppError } from '../../shared/contract/result';
import { saliencyColour } from '../../shared/run/saliency-colours';
import { createAugmenter } from '../augment/create-augmenter';
import { memoryHandler, readModelFolder } from '../engine/encoders/tfjs-artifacts';
import { gradCam, layersGradCamParts, normaliseMap, upsampleCam } from './grad-cam';
import { preprocessForModel, readModelManifest } from './model-predict';
import { STAGE1_HEAD_LAYER } from './stage1-model';

type Tf = typeof tfType;

/** What {@link SaliencyModel.explain} returns: the contract's answer without the run and image ids. */
export type SaliencyResult = Omit<RunSaliency, 'runId' | 'imageId'>;

/** The class to explain: an index, a class name, or (neither) the predicted class. */
export interface SaliencyClass {
  classIndex?: number;
  label?: string;
}

/** Back from the normalised model input (first channel) to 0..255 grey. */
const denormalise = (v: number, n: Normalize): number => {
  const unit =
    n.mode === 'range'
      ? (v - n.min) / (n.max - n.min)
      : n.mode === 'mean-std'
        ? v * n.std[0]! + n.mean[0]!
        : v;
  return Math.round(Math.min(1, Math.max(0, unit)) * 255);
};

/**
 * The network's input (grey) and the heat map (RGBA: the shared colour scale, alpha rising with
 * the value so cold areas stay see-through) as base64 PNGs of `size × size`.
 */
export const renderSaliencyPngs = async (
  input: Float32Array,
  channels: number,
  heat: Float32Array,
  size: number,
  normalize: Normalize,
): Promise<{ imagePng: string; heatmapPng: string }> => {
  const grey = Buffer.alloc(size * size);
  const rgba = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    grey[i] = denormalise(input[i * channels]!, normalize);
    const [r, g, b] = saliencyColour(heat[i]!);
    rgba.set([r, g, b, Math.round(255 * Math.min(1, heat[i]! * 1.25))], i * 4);
  }
  const png = async (data: Buffer, ch: 1 | 4) => {
    const img = sharp(data, { raw: { width: size, height: size, channels: ch } });
    return (await (ch === 1 ? img.toColourspace('b-w') : img).png().toBuffer()).toString('base64');
  };
  return { imagePng: await png(grey, 1), heatmapPng: await png(rgba, 4) };
};

/**
 * An exported run model (`<runDir>/model/`) ready for Grad-CAM: its stage-1 network split at the
 * last feature map, and the run's evaluation preprocessing. Disposing frees the network.
 */
export const loadSaliencyModel = async (tf: Tf, dir: string) => {
  const manifest = await readModelManifest(dir);
  const model = await tf.loadLayersModel(memoryHandler(await readModelFolder(join(dir, 'stage1'))));
  const parts = layersGradCamParts(tf, model, manifest.backbone.featureLayer, STAGE1_HEAD_LAYER);
  const augmenter = createAugmenter(manifest.preprocessing as never);
  const classes = manifest.classes;
  const resolveClass = (which: SaliencyClass): number | undefined => {
    if (which.label !== undefined) {
      const k = classes.indexOf(which.label);
      if (k < 0) throw new AppError('INVALID_INPUT', `"${which.label}" is not a class of this run`);
      return k;
    }
    if (which.classIndex !== undefined && (which.classIndex < 0 || which.classIndex >= classes.length))
      throw new AppError(
        'INVALID_INPUT',
        `class ${which.classIndex} is out of range: this run has ${classes.length} classes (0..${classes.length - 1})`,
      );
    return which.classIndex;
  };
  return {
    manifest,
    /** Grad-CAM of one image file for one class, as the review overlays it. */
    async explain(imagePath: string, which: SaliencyClass = {}): Promise<SaliencyResult> {
      const classIndex = resolveClass(which);
      const batch = await preprocessForModel(augmenter, [imagePath]);
      const [, size, , channels] = batch.shape as [number, number, number, number];
      const x = tf.tensor4d(batch.x, batch.shape as [number, number, number, number]);
      let cam;
      try {
        cam = gradCam(tf, parts, x, classIndex);
      } finally {
        x.dispose();
      }
      const heat = upsampleCam(tf, cam, size);
      const pngs = await renderSaliencyPngs(batch.x, channels, heat, size, augmenter.config.normalize);
      return {
        method: 'stage1_image',
        classIndex: cam.classIndex,
        label: classes[cam.classIndex]!,
        probs: cam.probs,
        predictedIndex: cam.probs.indexOf(Math.max(...cam.probs)),
        size,
        ...pngs,
        grid: { width: cam.width, height: cam.height, values: normaliseMap(cam.map) },
        peak: cam.map.reduce((m, v) => Math.max(m, v), 0),
      };
    },
    dispose(): void {
      model.dispose();
    },
  };
};

export type SaliencyModel = Awaited<ReturnType<typeof loadSaliencyModel>>;
