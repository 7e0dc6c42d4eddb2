import { z } from 'zod';
import { AugmentConfig } from './augment-config';
import { buildPreset, PRESET_NAMES, type PresetName } from './augment-presets';

/**
 * The augmentation config a dataset trains with: edited on the Augmentation screen, shown on the
 * run form, resolved by `run:start` and stored in the run (`RunConfig.augmentation.config`).
 * `version` 0 is the built-in default (never saved); each save appends version n+1.
 */
export const DatasetAugmentation = z.object({
  datasetId: z.number().int().positive(),
  version: z.number().int().min(0),
  /** The preset the config started from (the steps may since have been edited). */
  preset: z.enum(PRESET_NAMES),
  config: AugmentConfig,
  savedAt: z.string().nullable(),
  savedBy: z.string().nullable(),
});
export type DatasetAugmentation = z.infer<typeof DatasetAugmentation>;

/**
 * A dataset with no saved config trains with this preset (the run default since the BUSI
 * comparison: the sector-aware ultrasound preset learned more slowly there; flips off).
 */
export const DEFAULT_DATASET_PRESET: PresetName = 'paper';

/** What a dataset without a saved config uses (version 0). */
export const defaultDatasetAugmentation = (datasetId: number): DatasetAugmentation => ({
  datasetId,
  version: 0,
  preset: DEFAULT_DATASET_PRESET,
  config: buildPreset(DEFAULT_DATASET_PRESET),
  savedAt: null,
  savedBy: null,
});

/** Whether `config` is still exactly its preset (compared after defaults are filled). */
export const isPresetConfig = (preset: PresetName, config: z.input<typeof AugmentConfig>): boolean => {
  const parsed = AugmentConfig.safeParse(config);
  return (
    parsed.success &&
    JSON.stringify(parsed.data) ===
      JSON.stringify(buildPreset(preset, { outputSize: parsed.data.outputSize }))
  );
};

/**
 * The same pipeline at another output size: every pixel size (resize, crop, resized-crop, the
 * output) scales by `outputSize / config.outputSize`; fractions, angles and photometric ranges are
 * size-free and stay. A run at 160 px trains the config the screen previews at 224 px this way.
 */
export const scaleAugmentConfig = (config: AugmentConfig, outputSize: number): AugmentConfig => {
  if (config.outputSize === outputSize) return config;
  const f = outputSize / config.outputSize;
  const px = (v: number) => Math.max(1, Math.min(1024, Math.round(v * f)));
  return AugmentConfig.parse({
    ...config,
    outputSize,
    steps: config.steps.map((s) =>
      s.kind === 'resize' || s.kind === 'crop' || s.kind === 'resized-crop' ? { ...s, size: px(s.size) } : s,
    ),
  });
};
