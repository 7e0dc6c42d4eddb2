import { z } from 'zod';
import { AugmentConfig } from '../augment/augment-config';

/**
 * The methods a run trains side by side on one split (see ../shared/docs/method.md and issue 9):
 * the paper's baselines, its two stages, and single-modality heads that show what each part adds.
 */
export const runMethods = [
  'linear_probe',
  'traditional_multimodal',
  'stage1_image',
  'proposed',
  'note_only',
  'metadata_only',
] as const;
export const RunMethod = z.enum(runMethods);
export type RunMethod = z.infer<typeof RunMethod>;

export const methodLabels: Record<RunMethod, string> = {
  linear_probe: 'Linear probe (frozen pretrained backbone)',
  traditional_multimodal: 'Traditional multimodal (frozen backbone + note + metadata)',
  stage1_image: 'Stage 1: fine-tuned image model',
  proposed: 'Proposed: stage-1 backbone + note + metadata',
  note_only: 'Note only',
  metadata_only: 'Metadata only',
};

export const ImageEncoderChoice = z.discriminatedUnion('kind', [
  /** The MobileNetV2 shipped in npm nsfwjs@4.4.0 (ImageNet-initialised, then fine-tuned on natural photos). */
  z.object({ kind: z.literal('builtin'), id: z.literal('nsfwjs-mobilenetv2') }),
  /** A tfjs layers model folder with a manifest, installed by the site. */
  z.object({ kind: z.literal('folder'), path: z.string().min(1) }),
]);

export const TextEncoderChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('use-lite') }),
  z.object({ kind: z.literal('hf-local'), folder: z.string().min(1) }),
  z.object({ kind: z.literal('none') }),
]);

const learningRate = z.number().positive().max(10);

/**
 * Everything needed to reproduce a run; validated, then stored with the run in the catalog.
 * Defaults were chosen on BUSI's validation part on two CPU cores (figures in the README, "Runs"):
 * 160 px (224 px was about twice as slow and no better on validation), batch 20 as in the paper,
 * stage 1 with Adam 3e-4 and a cosine decay over 20 epochs (validation still rose after 10; the
 * paper's SGD 5e-4 for 5 epochs barely moved the pretrained network: 0.58 test accuracy), the
 * paper's resize/rotate/crop augmentation (flips off: laterality can matter in ultrasound; the
 * sector-aware ultrasound preset learned much more slowly on BUSI), test-time augmentation with 8
 * views, stage 2 a linear head for 8 epochs starting from the single-modality heads' ensemble.
 */
export const RunConfig = z
  .object({
    dataset: z.string().min(1),
    task: z.string().min(1).optional(),
    /** A stored split id; omitted: the dataset's default group-aware split (created if missing). */
    splitId: z.number().int().positive().optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    /** Repeat the whole run with seeds seed, seed+1, …; metrics are then mean ± spread. */
    seeds: z.number().int().min(1).max(10).default(1),
    imageSize: z.number().int().min(64).max(512).default(160),
    batchSize: z.number().int().min(1).max(256).default(20),
    methods: z
      .array(RunMethod)
      .min(1)
      .default([...runMethods]),
    stage1: z
      .object({
        epochs: z.number().int().min(1).max(200).default(20),
        /** Adam, or SGD with momentum as in the paper (optimizer sgd, lr 5e-4). */
        optimizer: z.enum(['sgd', 'adam']).default('adam'),
        lr: learningRate.default(3e-4),
        /** `cosine` decays the rate over the epochs to lr/2·(1+cos(π(e−1)/E)); `constant` keeps it. */
        schedule: z.enum(['constant', 'cosine']).default('cosine'),
        momentum: z.number().min(0).max(0.999).default(0.9),
        /** Targets (1 − ε)·one-hot + ε/classes: softer targets, less over-confidence on small sets. */
        labelSmoothing: z.number().min(0).max(0.5).default(0),
      })
      .prefault({}),
    stage2: z
      .object({
        epochs: z.number().int().min(1).max(200).default(8),
        lr: learningRate.default(3e-3),
        head: z.enum(['linear', 'mlp']).default('linear'),
        hidden: z.number().int().min(4).max(4096).default(256),
      })
      .prefault({}),
    /** Heads on frozen features: linear probe, traditional multimodal, note-only, metadata-only. */
    heads: z
      .object({ epochs: z.number().int().min(1).max(500).default(30), lr: learningRate.default(1e-2) })
      .prefault({}),
    augmentation: z
      .object({
        preset: z.enum(['paper', 'ultrasound-default', 'none']).default('paper'),
        /** Per-transform overrides in the augmentation schema's shape; validated by the augmenter. */
        overrides: z.record(z.string(), z.unknown()).optional(),
        horizontalFlip: z.boolean().default(false),
        verticalFlip: z.boolean().default(false),
        /**
         * The exact pipeline the run trains with, at the run's image size (flips and overrides
         * already in it; `preset` then only names where it started). `run:start` fills it from the
         * dataset's saved config (Augmentation screen) when the caller names no preset.
         */
        config: AugmentConfig.optional(),
        /** The dataset's augmentation version `config` came from (0: the built-in default). */
        datasetVersion: z.number().int().min(0).optional(),
      })
      .prefault({}),
    /**
     * Test-time augmentation: validation and test images are scored as the mean probabilities of the
     * clean image and `views` fixed views drawn from the training augmentation (0: clean only).
     * Epochs are still chosen on clean validation scores. On two trained BUSI stage-1 models 8
     * views moved validation accuracy 0.863 → 0.872 and 0.880 → 0.880 (test 0.821 → 0.863, 0.829 → 0.880).
     */
    evaluation: z.object({ views: z.number().int().min(0).max(32).default(8) }).prefault({}),
    encoders: z
      .object({
        image: ImageEncoderChoice.default({ kind: 'builtin', id: 'nsfwjs-mobilenetv2' }),
        text: TextEncoderChoice.default({ kind: 'use-lite' }),
        /** Metadata columns to use; omitted = all columns of the dataset. */
        metadataFields: z.array(z.string().min(1)).optional(),
      })
      .prefault({}),
    /** Backend preference, first that works wins; omitted = tfjs-node-gpu, webgpu, tfjs-node, wasm. */
    backends: z
      .array(z.enum(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']))
      .min(1)
      .optional(),
  })
  .strict();

export type RunConfig = z.output<typeof RunConfig>;
export type RunConfigInput = z.input<typeof RunConfig>;

/** Which inputs each method uses: the UI explains methods with this, the trainer plans with it. */
export const methodInputs: Record<
  RunMethod,
  { image: 'none' | 'pretrained' | 'finetuned'; note: boolean; metadata: boolean; trainsBackbone: boolean }
> = {
  linear_probe: { image: 'pretrained', note: false, metadata: false, trainsBackbone: false },
  traditional_multimodal: { image: 'pretrained', note: true, metadata: true, trainsBackbone: false },
  stage1_image: { image: 'finetuned', note: false, metadata: false, trainsBackbone: true },
  proposed: { image: 'finetuned', note: true, metadata: true, trainsBackbone: false },
  note_only: { image: 'none', note: true, metadata: false, trainsBackbone: false },
  metadata_only: { image: 'none', note: false, metadata: true, trainsBackbone: false },
};
