import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/contract/result';

const Rgb = z.tuple([z.number(), z.number(), z.number()]);

/**
 * How pixels (0..255) become the numbers a backbone was trained on.
 * - `range`: linear map of 0..255 onto [min, max] (Keras MobileNet 'tf' mode is [-1, 1]; nsfwjs is [0, 1]).
 * - `mean-std`: `(x / 255 - mean) / std` per channel (torchvision style; Keras 'caffe' mode is
 *   channelOrder 'bgr', mean = caffe means / 255, std = 1 / 255).
 */
export const Normalisation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('range'), min: z.number(), max: z.number() }).refine((r) => r.max > r.min, {
    message: 'max must exceed min',
  }),
  z.object({
    kind: z.literal('mean-std'),
    mean: Rgb,
    std: Rgb.refine((s) => s.every((v) => v > 0), { message: 'std must be positive' }),
  }),
]);
export type Normalisation = z.infer<typeof Normalisation>;

/** Where the weights came from, shown to users as is (the UI and README quote it). */
export const Provenance = z.object({
  summary: z.string().min(1),
  license: z.string().min(1),
  source: z.string().min(1),
  notes: z.array(z.string()).default([]),
});

/**
 * The small JSON file that declares how to use a tfjs layers image model: the built-in one lives in
 * resources/models/, a user-supplied model folder carries it as `backbone.json` next to model.json.
 */
export const ImageBackboneManifest = z.object({
  name: z.string().min(1),
  /** Side length the weights were trained at; the default input size. */
  inputSize: z.number().int().min(32).max(1024),
  channelOrder: z.enum(['rgb', 'bgr']).default('rgb'),
  normalisation: Normalisation,
  /** Layer whose output (a [h, w, c] map, the last convolution's activation) is pooled into features. */
  featureLayer: z.string().min(1),
  /** Channels of that layer's output; checked when the model is built. */
  featureDim: z.number().int().positive().optional(),
  pooling: z.enum(['avg', 'max']).default('avg'),
  /** Input sizes must be a multiple of this for the weights' padding to stay as trained (32 for MobileNetV2). */
  sizeMultiple: z.number().int().positive().default(1),
  provenance: Provenance.optional(),
});
export type ImageBackboneManifest = z.infer<typeof ImageBackboneManifest>;

/** File name of the manifest inside a user-supplied model folder. */
export const backboneManifestFile = 'backbone.json';

/** Validates a manifest object, naming the first problem and where it came from. */
export const parseBackboneManifest = (value: unknown, where: string): ImageBackboneManifest => {
  const parsed = ImageBackboneManifest.safeParse(value);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'root'}: ${i.message}`).join('; ');
    throw new AppError('INVALID_INPUT', `${where}: invalid backbone manifest (${msg})`);
  }
  return parsed.data;
};

/** Reads and validates `backbone.json` from a user-supplied model folder. */
export const readBackboneManifest = async (folder: string): Promise<ImageBackboneManifest> => {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new AppError('NOT_FOUND', `model folder not found: ${folder}`);
  const path = join(folder, backboneManifestFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new AppError(
      'NOT_FOUND',
      `${path} is missing: a model folder needs model.json, its weight shards and ${backboneManifestFile} ` +
        '(inputSize, normalisation, featureLayer)',
    );
  }
  try {
    return parseBackboneManifest(JSON.parse(text), path);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INVALID_INPUT', `${path}: not valid JSON (${(e as Error).message})`);
  }
};
