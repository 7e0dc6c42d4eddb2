import { AugmentConfig, type AugmentStep, type Normalize } from './augment-config';

/** The presets a user can start from (then edit step by step). */
export const PRESET_NAMES = ['paper', 'ultrasound-default', 'none'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Human labels for the preset picker. */
export const PRESET_LABELS: Record<PresetName, string> = {
  paper: 'Paper (Resize 244, Rotation ±15°, Crop 224)',
  'ultrasound-default': 'Ultrasound default',
  none: 'None (resize + normalise)',
};

/**
 * Normalisation constants of the backbones we ship or may ship. `mobilenet-v2` is the Keras
 * MobileNetV2 (`x / 127.5 - 1`, i.e. `[0,1] → [-1,1]`); `imagenet` is torchvision's mean/std.
 */
export const BACKBONE_NORMALIZATIONS = {
  'mobilenet-v2': { mode: 'range', min: -1, max: 1 },
  imagenet: { mode: 'mean-std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  none: { mode: 'none' },
} as const satisfies Record<string, Normalize>;

export interface PresetOptions {
  /** Side of the square output; the paper's 244/224 resize/crop ratio is kept for other sizes. */
  outputSize?: number;
  normalize?: Normalize;
  /**
   * The per-task laterality switch: flips are only label-preserving when left/right (and up/down)
   * carry no meaning for the task. Off by default in every preset (laterality can matter in
   * ultrasound; runs train without them); the paper's notebooks had both on.
   */
  horizontalFlip?: boolean;
  verticalFlip?: boolean;
}

/** Resize side that keeps the paper's Resize(244) → Crop(224) margin at another output size. */
export const paperResizeFor = (outputSize: number): number => Math.round((outputSize * 244) / 224);

const flipSteps = (h: boolean, v: boolean): AugmentStep[] => [
  ...(h ? [{ kind: 'hflip' as const, p: 0.5 }] : []),
  ...(v ? [{ kind: 'vflip' as const, p: 0.5 }] : []),
];

/**
 * Builds a validated config for a preset.
 * - `paper`: Resize 244 → RandomRotation ±15° (fill 0, about the image centre) → RandomCrop 224 →
 *   normalise, as in the method's notebooks (sector unused, as there) but without their H/V flips
 *   unless the task allows them.
 * - `ultrasound-default`: blanks everything outside the detected sector (overlay text, calipers
 *   beside the fan) so the rotation's zero fill is indistinguishable from the scanner's own black
 *   background; mild rotation about the sector centre; a random resized crop of the rotated
 *   sector's bounding box that keeps at least 60% of the sector's area (the crop inscribed in the
 *   fan kept 25-60% of it and often left a fragment: a piece of skull, plain speckle; the black
 *   corners it now shows are the scanner's own background, as at evaluation); gain, contrast,
 *   gamma, depth ramp, speckle, slight blur; no flips unless the task allows them.
 * - `none`: resize to the output size and normalise only.
 */
export const buildPreset = (name: PresetName, options: PresetOptions = {}): AugmentConfig => {
  const outputSize = options.outputSize ?? 224;
  const normalize = options.normalize ?? BACKBONE_NORMALIZATIONS['mobilenet-v2'];
  switch (name) {
    case 'paper':
      return AugmentConfig.parse({
        outputSize,
        normalize,
        steps: [
          { kind: 'resize', size: paperResizeFor(outputSize), keepAspect: true },
          { kind: 'rotation', degrees: 15, center: 'image', fill: 'constant', fillValue: 0 },
          { kind: 'crop', size: outputSize },
          ...flipSteps(options.horizontalFlip ?? false, options.verticalFlip ?? false),
        ],
      });
    case 'ultrasound-default':
      return AugmentConfig.parse({
        outputSize,
        normalize,
        sector: { maskOutside: true },
        steps: [
          { kind: 'rotation', p: 0.8, degrees: 10, center: 'sector', fill: 'constant', fillValue: 0 },
          {
            kind: 'resized-crop',
            size: outputSize,
            scale: [0.5, 1],
            ratio: [0.85, 1.18],
            region: 'sector-bbox',
            minSectorShare: 0.6,
          },
          ...flipSteps(options.horizontalFlip ?? false, options.verticalFlip ?? false),
          { kind: 'brightness', p: 0.8, range: [0.8, 1.25] },
          { kind: 'contrast', p: 0.8, range: [0.8, 1.2] },
          { kind: 'gamma', p: 0.5, range: [0.8, 1.25] },
          { kind: 'depth-gain', p: 0.5, maxDb: 6 },
          { kind: 'speckle', p: 0.5, sigma: [0.03, 0.1], grain: 2 },
          { kind: 'blur', p: 0.2, sigma: [0.3, 1] },
        ],
      });
    case 'none':
      return AugmentConfig.parse({
        outputSize,
        normalize,
        steps: [{ kind: 'resize', size: outputSize, keepAspect: false }],
      });
  }
};
