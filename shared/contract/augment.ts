import { z } from 'zod';
import { AugmentConfig, DrawnParams } from '../augment/augment-config';
import { PRESET_NAMES } from '../augment/augment-presets';
import { DatasetAugmentation } from '../augment/dataset-augmentation';
import { CatalogId } from './catalog-schemas';
import { defineCall } from './define';

/** One augmented rendering of one catalog image, with what was drawn for it. */
export const PreviewTile = z.object({
  imageId: CatalogId,
  /** Rendering number 0..n-1 of this image. */
  index: z.number().int().min(0),
  /** The rendered pixels (before normalisation) as a base64 PNG, shown through a data: URL. */
  pngBase64: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  params: DrawnParams,
});
export type PreviewTile = z.infer<typeof PreviewTile>;

export const augmentCalls = {
  'augment:preview': defineCall({
    input: z
      .object({
        imageIds: z.array(CatalogId).min(1).max(8),
        config: AugmentConfig,
        /** The run seed: the same seed and config draw exactly what the trainer would. */
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31),
        n: z.number().int().min(1).max(16).default(6),
      })
      .strict(),
    output: z.object({ tiles: z.array(PreviewTile) }),
    summary: "Render n augmentations of catalog images with the trainer's own pipeline and seed.",
  }),
  'augment:datasetConfig': defineCall({
    input: z.object({ datasetId: CatalogId }).strict(),
    output: DatasetAugmentation,
    summary: "The dataset's current augmentation config (version 0: the built-in default).",
  }),
  'augment:saveDatasetConfig': defineCall({
    input: z
      .object({
        datasetId: CatalogId,
        preset: z.enum(PRESET_NAMES),
        config: AugmentConfig,
        user: z.string().trim().min(1).max(100),
      })
      .strict(),
    output: DatasetAugmentation,
    summary: 'Saves the augmentation config the dataset trains with as its next version.',
  }),
} as const;
