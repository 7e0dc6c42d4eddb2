import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type * as tfType from '@tensorflow/tfjs';
import { SplitMetrics } from '../../shared/run/run-result';
import { readCheckpoint } from '../engine/train/checkpoint-file';
import type { AugmentConfig } from '../../shared/augment/augment-config';
import type { ImageBackboneManifest } from '../engine/encoders/image-backbone-manifest';
import type { MetadataEncoderState } from '../engine/encoders/metadata-encoder';
import type { ExportedHead } from './feature-head';
import { buildStage1Model, STAGE1_FEATURE_LAYER, type Stage1ModelOptions } from './stage1-model';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../security/private-files';

type Tf = typeof tfType;

/** File name of the exported model's manifest (next to stage1/model.json). */
export const MODEL_MANIFEST = 'sonofuse-model.json';

const Head = z.object({
  sizes: z.array(z.number().int().positive()).min(2),
  weights: z.array(z.array(z.number())),
  mean: z.array(z.number()),
  scale: z.array(z.number()),
  activation: z.literal('relu'),
});

/** What an exported model folder declares: enough to preprocess, encode and predict offline. */
export const ModelManifest = z.object({
  format: z.literal('sonofuse-two-stage/1'),
  createdAt: z.string(),
  runId: z.number().int(),
  dataset: z.string(),
  classes: z.array(z.string()).min(2),
  imageSize: z.number().int(),
  /** The evaluation pipeline (resize + normalise) as an augmentation config. */
  preprocessing: z.record(z.string(), z.unknown()),
  /**
   * Test-time augmentation as the run scored validation and test: the clean image plus `views`
   * views of `augmentation` (the training pipeline) seeded with `seed`; absent: clean only.
   */
  evaluation: z
    .object({
      views: z.number().int().min(0),
      seed: z.number().int(),
      augmentation: z.record(z.string(), z.unknown()),
    })
    .optional(),
  backbone: z.object({ name: z.string(), featureLayer: z.string(), featureDim: z.number().int() }),
  /** Stage-1 network (backbone + softmax head) in tfjs layers format, relative to this folder. */
  stage1: z.object({ modelJson: z.string() }),
  /** The proposed method's fusion head on [image features ⊕ note embedding+missing ⊕ metadata]. */
  fusion: z
    .object({
      imageDim: z.number().int(),
      noteDim: z.number().int(),
      metadataDim: z.number().int(),
      head: Head,
    })
    .nullable(),
  textEncoder: z.enum(['use-lite', 'hf-local', 'none']),
  metadataEncoder: z.unknown().nullable(),
  metrics: z.record(z.string(), z.object({ validation: SplitMetrics, test: SplitMetrics })),
});
export type ModelManifest = z.infer<typeof ModelManifest>;

/**
 * Writes the finished run's model into `<runDir>/model/`: the stage-1 network with its best
 * epoch's weights (tfjs layers format: model.json + one shard) and a manifest with classes,
 * preprocessing, encoders, the fusion head and the metrics. `sonofuse predict --model DIR` uses it.
 */
export const exportRunModel = async (
  tf: Tf,
  input: {
    dir: string;
    stage1Checkpoint: string;
    model: Stage1ModelOptions;
    manifest: Omit<
      ModelManifest,
      | 'format'
      | 'createdAt'
      | 'stage1'
      | 'backbone'
      | 'fusion'
      | 'preprocessing'
      | 'metadataEncoder'
      | 'evaluation'
    > & {
      fusion: { imageDim: number; noteDim: number; metadataDim: number; head: ExportedHead } | null;
    };
    backbone: ImageBackboneManifest;
    preprocessing: AugmentConfig;
    evaluation?: { views: number; seed: number; augmentation: AugmentConfig };
    metadataEncoder: MetadataEncoderState | null;
  },
): Promise<string> => {
  const stored = await readCheckpoint<unknown>(input.stage1Checkpoint);
  if (!stored) throw new Error('no stage-1 checkpoint to export');
  const model = await buildStage1Model(tf, input.model);
  try {
    const weights = stored.arrays.weights!.map((a, i) =>
      tf.tensor(a.data as Float32Array, model.getWeights()[i]!.shape),
    );
    model.setWeights(weights);
    tf.dispose(weights);
    const stage1Dir = join(input.dir, 'stage1');
    await mkdir(stage1Dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        await writeFile(
          join(stage1Dir, 'model.json'),
          JSON.stringify({
            modelTopology: a.modelTopology,
            format: 'layers-model',
            generatedBy: a.generatedBy,
            convertedBy: null,
            weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
          }),
          { mode: PRIVATE_FILE_MODE },
        );
        await writeFile(join(stage1Dir, 'weights.bin'), new Uint8Array(a.weightData as ArrayBuffer), {
          mode: PRIVATE_FILE_MODE,
        });
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const manifest: ModelManifest = {
      ...input.manifest,
      format: 'sonofuse-two-stage/1',
      createdAt: new Date().toISOString(),
      preprocessing: input.preprocessing as unknown as Record<string, unknown>,
      ...(input.evaluation
        ? {
            evaluation: {
              views: input.evaluation.views,
              seed: input.evaluation.seed,
              augmentation: input.evaluation.augmentation as unknown as Record<string, unknown>,
            },
          }
        : {}),
      backbone: {
        name: input.backbone.name,
        featureLayer: STAGE1_FEATURE_LAYER,
        featureDim: Number(model.getLayer(STAGE1_FEATURE_LAYER).outputShape.at(-1)),
      },
      stage1: { modelJson: 'stage1/model.json' },
      metadataEncoder: input.metadataEncoder,
    };
    const path = join(input.dir, MODEL_MANIFEST);
    await writeFile(path, JSON.stringify(ModelManifest.parse(manifest), null, 1), {
      mode: PRIVATE_FILE_MODE,
    });
    return path;
  } finally {
    model.dispose();
  }
};
