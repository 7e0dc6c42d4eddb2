import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readBackboneManifest } from '../../main/engine/encoders/image-backbone-manifest';
import { MODEL_MANIFEST, ModelManifest } from '../../main/runs/model-export';
import { createRunAugmenters } from '../../main/runs/run-augmenters';
import { buildStage1Model, STAGE1_FEATURE_LAYER } from '../../main/runs/stage1-model';
import { saveModelFolder } from '../unit/main/engine/encoders/tiny-layers-model';
import { writeTinyRunFixture } from './tiny-run-fixture';

/**
 * A finished run's folder without training: the tiny run fixture's images and manifest.json, and
 * `model/` as the run exports it (a seeded, untrained stage-1 network on the tiny backbone at
 * 64 px: feature map 32×32×8, two classes, plus sonofuse-model.json with the run's evaluation
 * preprocessing).
 */
export const writeTinyExportedModel = async (dir: string) => {
  const fixture = await writeTinyRunFixture(dir);
  const runDir = join(dir, 'run');
  const modelDir = join(runDir, 'model');
  mkdirSync(modelDir, { recursive: true });
  writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(fixture.manifest));
  const config = fixture.manifest.config;
  const backbone = await readBackboneManifest(fixture.backbone);
  const model = await buildStage1Model(tf, {
    source: { folder: fixture.backbone },
    inputSize: config.imageSize,
    classes: fixture.manifest.classes.length,
    seed: 3,
  });
  await saveModelFolder(model, join(modelDir, 'stage1'));
  model.dispose();
  const manifest: ModelManifest = {
    format: 'sonofuse-two-stage/1',
    createdAt: '2026-11-29T00:00:00.000Z',
    runId: 1,
    dataset: 'tiny',
    classes: fixture.manifest.classes,
    imageSize: config.imageSize,
    preprocessing: createRunAugmenters(config, backbone).evaluate.config as unknown as Record<
      string,
      unknown
    >,
    backbone: { name: backbone.name, featureLayer: STAGE1_FEATURE_LAYER, featureDim: 8 },
    stage1: { modelJson: 'stage1/model.json' },
    fusion: null,
    textEncoder: 'none',
    metadataEncoder: null,
    metrics: {},
  };
  writeFileSync(join(modelDir, MODEL_MANIFEST), JSON.stringify(ModelManifest.parse(manifest)));
  return { ...fixture, runDir, modelDir };
};
