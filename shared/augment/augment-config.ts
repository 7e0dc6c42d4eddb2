import { z } from 'zod';

/**
 * The augmentation pipeline's configuration: an ordered list of steps plus how source images are
 * fitted into the batch, how the scan sector is used and how the output is normalised. Stored with
 * every run (parse with `AugmentConfig.parse` to fill defaults) so the trainer and the live preview
 * draw the same augmentations from the same seed. Pure zod: the renderer builds its form from it.
 */

const probability = z.number().min(0).max(1).describe('Probability that the step applies to an image');

/** A closed `[min, max]` interval; `min <= max`. */
const range = (lo: number, hi: number, what: string) =>
  z
    .tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)])
    .refine(([a, b]) => a <= b, { message: `${what}: min must not exceed max` })
    .describe(what);

/** A rectangle in normalised source-image coordinates (0..1, origin top-left). */
export const NormRect = z
  .object({
    x0: z.number().min(0).max(1),
    y0: z.number().min(0).max(1),
    x1: z.number().min(0).max(1),
    y1: z.number().min(0).max(1),
  })
  .refine((r) => r.x0 < r.x1 && r.y0 < r.y1, { message: 'rectangle must have x0<x1 and y0<y1' });
export type NormRect = z.infer<typeof NormRect>;

const pixelSize = z.number().int().min(1).max(1024);

/** Bilinear resize of the whole frame; `keepAspect` resizes the shorter side (torchvision `Resize(int)`). */
export const ResizeStep = z.object({
  kind: z.literal('resize'),
  size: pixelSize,
  keepAspect: z.boolean().default(true),
});

/**
 * Rotation by a uniform angle (positive = counter-clockwise on screen): `degrees: d` draws in
 * `[-d, d]`, `degrees: [lo, hi]` in `[lo, hi]` (as torchvision `RandomRotation`).
 */
export const RotationStep = z.object({
  kind: z.literal('rotation'),
  p: probability.default(1),
  degrees: z.union([z.number().min(0).max(180), range(-180, 180, 'Angle range (degrees)')]),
  /** Rotate about the frame centre or the detected sector's bounding-box centre. */
  center: z.enum(['image', 'sector']).default('image'),
  /** How rotated-out areas are filled (tf.image.transform fill modes). */
  fill: z.enum(['constant', 'reflect', 'nearest']).default('constant'),
  fillValue: z.number().min(0).max(1).default(0),
});

/**
 * Where crop boxes are drawn, in the frame the crop sees (after earlier rotations): the whole
 * frame; the bounding box of the (rotated) sector, which keeps a fan's black corners as the scanner
 * draws them; or the largest axis-aligned rectangle inside the (rotated) sector, so no fill and no
 * background enters the crop. Without a detected sector all three are the frame.
 */
export const CropRegion = z.enum(['frame', 'sector-bbox', 'sector-inscribed']).default('frame');
export type CropRegion = z.infer<typeof CropRegion>;

/** Fixed-size crop at a uniform random position (torchvision `RandomCrop`). */
export const CropStep = z.object({
  kind: z.literal('crop'),
  size: pixelSize,
  region: CropRegion,
});

/** Random area/aspect crop resized to `size` (torchvision `RandomResizedCrop`). */
export const ResizedCropStep = z.object({
  kind: z.literal('resized-crop'),
  size: pixelSize,
  scale: range(0.01, 1, 'Fraction of the region area').default([0.08, 1]),
  ratio: range(0.1, 10, 'Aspect ratio w/h').default([3 / 4, 4 / 3]),
  region: CropRegion,
  /**
   * With a detected sector: redraw (up to 10 times, then take the whole region) until the crop
   * keeps at least this share of the sector's area, so no crop is a fragment of the scan. 0: off.
   */
  minSectorShare: z.number().min(0).max(1).default(0).describe('Least share of the sector a crop keeps'),
});

export const HFlipStep = z.object({ kind: z.literal('hflip'), p: probability.default(0.5) });
export const VFlipStep = z.object({ kind: z.literal('vflip'), p: probability.default(0.5) });

/** Multiplicative overall gain (torchvision brightness): `x * f`. */
export const BrightnessStep = z.object({
  kind: z.literal('brightness'),
  p: probability.default(1),
  range: range(0, 4, 'Gain factor').default([0.8, 1.2]),
});

/** Contrast around each image's mean: `(x - mean) * f + mean`. */
export const ContrastStep = z.object({
  kind: z.literal('contrast'),
  p: probability.default(1),
  range: range(0, 4, 'Contrast factor').default([0.8, 1.2]),
});

/** Gamma curve `x ^ g`. */
export const GammaStep = z.object({
  kind: z.literal('gamma'),
  p: probability.default(1),
  range: range(0.1, 5, 'Gamma').default([0.8, 1.25]),
});

/** Time-gain-compensation-like ramp: gain in dB varies linearly with row (depth), slope in ±maxDb. */
export const DepthGainStep = z.object({
  kind: z.literal('depth-gain'),
  p: probability.default(1),
  maxDb: z.number().min(0).max(24).default(6),
});

/** Multiplicative speckle `x * (1 + sigma * n)`, n ~ N(0,1) drawn on a grid of `grain` px cells. */
export const SpeckleStep = z.object({
  kind: z.literal('speckle'),
  p: probability.default(1),
  sigma: range(0, 1, 'Noise standard deviation').default([0.03, 0.1]),
  grain: z.number().int().min(1).max(8).default(2),
});

/** Gaussian blur with a per-image sigma in pixels. */
export const BlurStep = z.object({
  kind: z.literal('blur'),
  p: probability.default(1),
  sigma: range(0, 5, 'Sigma (px)').default([0.3, 1]),
});

/** Cutout: `count` square holes with side a uniform fraction of the frame side, filled with `value`. */
export const CutoutStep = z.object({
  kind: z.literal('cutout'),
  p: probability.default(1),
  count: z.number().int().min(1).max(8).default(1),
  size: range(0.01, 1, 'Hole side as a fraction of the frame').default([0.1, 0.25]),
  value: z.number().min(0).max(1).default(0),
});

export const AugmentStep = z.discriminatedUnion('kind', [
  ResizeStep,
  RotationStep,
  CropStep,
  ResizedCropStep,
  HFlipStep,
  VFlipStep,
  BrightnessStep,
  ContrastStep,
  GammaStep,
  DepthGainStep,
  SpeckleStep,
  BlurStep,
  CutoutStep,
]);
export type AugmentStep = z.infer<typeof AugmentStep>;
export type AugmentStepKind = AugmentStep['kind'];

/** Steps that move pixels (composed into one projective transform per run of consecutive steps). */
export const GEOMETRIC_KINDS: readonly AugmentStepKind[] = [
  'resize',
  'rotation',
  'crop',
  'resized-crop',
  'hflip',
  'vflip',
];

/** Output normalisation with the backbone's own constants (applied last, on `[0,1]` values). */
export const Normalize = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('mean-std'),
    mean: z.array(z.number()).min(1).max(3),
    std: z.array(z.number().positive()).min(1).max(3),
  }),
  /** Affine map of `[0,1]` onto `[min,max]` (Keras MobileNetV2: `[-1,1]`). */
  z.object({ mode: z.literal('range'), min: z.number(), max: z.number() }),
  z.object({ mode: z.literal('none') }),
]);
export type Normalize = z.infer<typeof Normalize>;

/** How a decoded image of any size becomes one uniform batch slot (done once per image, by sharp). */
export const SourceFit = z.object({
  size: z.number().int().min(16).max(1024).default(256),
  /** contain = letterbox with black (the scanner's background), cover = centre crop, fill = stretch. */
  fit: z.enum(['contain', 'cover', 'fill']).default('contain'),
  /** Work on one grey channel (B-mode is grey) and repeat it to `outputChannels` at the end. */
  grayscale: z.boolean().default(true),
});
export type SourceFit = z.infer<typeof SourceFit>;

/** How the detected scan sector is used. */
export const SectorOptions = z.object({
  /** Grey level (0..1) above which a downscaled pixel counts as part of the scan. */
  threshold: z.number().min(0).max(1).default(0.06),
  /** Zero everything outside the sector (burned-in text, calipers beside the fan, rotation fill). */
  maskOutside: z.boolean().default(false),
  /** Extra rectangles (normalised source coordinates) to blank, e.g. a vendor's overlay area. */
  overlayRects: z.array(NormRect).max(16).default([]),
});
export type SectorOptions = z.infer<typeof SectorOptions>;

export const AugmentConfig = z.object({
  version: z.literal(1).default(1),
  /** Side of the square output (the backbone's input). */
  outputSize: z.number().int().min(1).max(1024).default(224),
  outputChannels: z.union([z.literal(1), z.literal(3)]).default(3),
  source: SourceFit.default({ size: 256, fit: 'contain', grayscale: true }),
  sector: SectorOptions.default({ threshold: 0.06, maskOutside: false, overlayRects: [] }),
  steps: z.array(AugmentStep).max(32),
  normalize: Normalize.default({ mode: 'range', min: -1, max: 1 }),
});
/** A parsed (defaults filled) configuration. */
export type AugmentConfig = z.infer<typeof AugmentConfig>;
/** What a caller may write before parsing (defaults optional). */
export type AugmentConfigInput = z.input<typeof AugmentConfig>;

/** Every step kind, in the order the form lists them. */
export const STEP_KINDS = [
  'resize',
  'rotation',
  'crop',
  'resized-crop',
  'hflip',
  'vflip',
  'brightness',
  'contrast',
  'gamma',
  'depth-gain',
  'speckle',
  'blur',
  'cutout',
] as const satisfies readonly AugmentStepKind[];

/** Parameters drawn for one step of one image (numbers only, so they travel as JSON). */
export const DrawnStep = z.object({
  kind: z.enum(STEP_KINDS),
  applied: z.boolean(),
  values: z.record(z.string(), z.union([z.number(), z.array(z.number())])),
});
export type DrawnStep = z.infer<typeof DrawnStep>;

/** Everything drawn for one image of a batch. */
export const DrawnParams = z.object({
  /** Position in the batch. */
  index: z.number().int().min(0),
  /** The seed of this image's streams (derived from the batch seed and `index`). */
  imageSeed: z.number().int(),
  steps: z.array(DrawnStep),
});
export type DrawnParams = z.infer<typeof DrawnParams>;
