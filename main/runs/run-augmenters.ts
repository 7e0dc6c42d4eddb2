import { AugmentConfig, type Normalize } from '../../shared/augment/augment-config';
import { buildPreset } from '../../shared/augment/augment-presets';
import { scaleAugmentConfig } from '../../shared/augment/dataset-augmentation';
import type { RunConfig } from '../../shared/run/run-config';
import { createAugmenter, type Augmenter } from '../augment/create-augmenter';
import type { ImageBackboneManifest } from '../engine/encoders/image-backbone-manifest';

/** The backbone's input normalisation in the augmenter's terms. */
export const backboneNormalize = (manifest: ImageBackboneManifest): Normalize => {
  const n = manifest.normalisation;
  return n.kind === 'range'
    ? { mode: 'range', min: n.min, max: n.max }
    : { mode: 'mean-std', mean: n.mean, std: n.std };
};

/**
 * The run's two pipelines, both ending at the backbone's size and normalisation: `train` (the
 * dataset's config stored in the run, else the chosen preset with task flips and user overrides:
 * fresh draws every batch) and `evaluate` (resize +
 * normalise only, for validation, test and clean features). Both start from the same source frame
 * (side ≈ 8/7 of the model input, letterboxed grey), so images are decoded once per run.
 */
export const createRunAugmenters = (
  config: RunConfig,
  manifest: ImageBackboneManifest,
): { train: Augmenter; evaluate: Augmenter; source: AugmentConfig['source']; threshold: number } => {
  const normalize = backboneNormalize(manifest);
  const outputSize = config.imageSize;
  const options = {
    outputSize,
    normalize,
    horizontalFlip: config.augmentation.horizontalFlip,
    verticalFlip: config.augmentation.verticalFlip,
  };
  const source = { size: Math.round((outputSize * 8) / 7), fit: 'contain' as const, grayscale: true };
  const withSource = (c: AugmentConfig, extra: Record<string, unknown> = {}) =>
    AugmentConfig.parse({ ...c, ...extra, source, outputSize, normalize, outputChannels: 3 });
  const chosen = config.augmentation.config;
  const train = chosen
    ? withSource(scaleAugmentConfig(chosen, outputSize))
    : withSource(buildPreset(config.augmentation.preset, options), config.augmentation.overrides);
  const evaluate = withSource(buildPreset('none', options));
  return {
    train: createAugmenter(train),
    evaluate: createAugmenter(evaluate),
    source: train.source,
    threshold: train.sector.threshold,
  };
};
