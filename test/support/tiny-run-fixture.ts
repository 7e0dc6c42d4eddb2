import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { RunConfig, type RunConfigInput } from '../../shared/run/run-config';
import type { RunItem, RunManifest } from '../../main/runs/run-manifest';
import * as tf from '@tensorflow/tfjs';
import { saveModelFolder } from '../unit/main/engine/encoders/tiny-layers-model';

/**
 * A tiny CNN shaped like a Keras application: conv 'stem' → BatchNorm (whose moving statistics
 * come after the trainable weights in getWeights(), as in MobileNetV2) → ReLU 'last_conv'.
 */
const buildTinyBnCnn = (): tf.LayersModel => {
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  const stem = tf.layers
    .conv2d({
      name: 'stem',
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(stem) as tf.SymbolicTensor;
  const last = tf.layers.reLU({ name: 'last_conv' }).apply(bn) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: last, name: 'tiny_bn_cnn' });
};

/** Part of item i in a 24-image tiny set: 12 train, 6 validation, 6 test, classes alternating. */
const partOf = (i: number): RunItem['part'] => (i < 12 ? 'train' : i < 18 ? 'validation' : 'test');

/**
 * A tiny two-class image set with notes and metadata, generated (never checked in): class 0 has a
 * bright disc on the left, class 1 on the right; notes name the side for every image; metadata
 * `depth` is weakly informative and `probe` is noise. Writes PNGs and a tiny backbone folder.
 */
export const writeTinyRunFixture = async (
  dir: string,
  config: Partial<RunConfigInput> = {},
): Promise<{ manifestPath: string; manifest: RunManifest; backbone: string }> => {
  const images = join(dir, 'images');
  mkdirSync(images, { recursive: true });
  const backbone = join(dir, 'backbone');
  const model = buildTinyBnCnn();
  await saveModelFolder(model, backbone);
  model.dispose();
  writeFileSync(
    join(backbone, 'backbone.json'),
    JSON.stringify({
      name: 'tiny-cnn',
      inputSize: 32,
      normalisation: { kind: 'range', min: 0, max: 1 },
      featureLayer: 'last_conv',
      featureDim: 8,
    }),
  );
  const items: RunItem[] = [];
  for (let i = 0; i < 24; i++) {
    const label = i % 2;
    const size = 48;
    const px = Buffer.alloc(size * size, 20);
    const cx = label === 0 ? 14 : 34;
    const cy = 18 + (i % 5) * 3;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < 64) px[y * size + x] = 220;
    const path = join(images, `img${i}.png`);
    await sharp(px, { raw: { width: size, height: size, channels: 1 } })
      .png()
      .toFile(path);
    items.push({
      imageId: 100 + i,
      path,
      label,
      part: partOf(i),
      note: i % 6 === 5 ? '' : label === 0 ? 'lesion on the left side' : 'mass seen on the right',
      metadata: {
        depth: 4 + label + (i % 3) * 0.5,
        probe: i % 2 === 0 ? (i % 4 === 0 ? 'curved' : 'linear') : 'curved',
      },
    });
  }
  const manifest: RunManifest = {
    runId: 1,
    config: RunConfig.parse({
      dataset: 'tiny',
      imageSize: 64,
      batchSize: 4,
      stage1: { epochs: 2, optimizer: 'adam', lr: 0.01 },
      stage2: { epochs: 2 },
      heads: { epochs: 8 },
      augmentation: { preset: 'paper', horizontalFlip: false, verticalFlip: false },
      ...config,
      encoders: { ...config.encoders, image: { kind: 'folder', path: backbone } },
    }),
    classes: ['left', 'right'],
    items,
    metadataColumns: [
      { name: 'depth', kind: 'number' },
      { name: 'probe', kind: 'category' },
    ],
    excludedColumns: [],
  };
  const manifestPath = join(dir, 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { manifestPath, manifest, backbone };
};
