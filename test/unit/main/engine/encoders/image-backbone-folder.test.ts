import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImageBackbone } from '../../../../../main/engine/encoders/image-backbone';
import { buildTinyCnn, saveModelFolder, tinyManifest } from './tiny-layers-model';

describe('user-supplied tfjs layers model folder', () => {
  let root: string;
  let original: tf.LayersModel;
  let n = 0;
  /** A fresh copy of the tiny model folder, with `manifest` (or none) as backbone.json. */
  const folder = async (manifest: unknown = tinyManifest): Promise<string> => {
    const dir = join(root, `m${n++}`);
    await saveModelFolder(original, dir);
    if (manifest !== null) writeFileSync(join(dir, 'backbone.json'), JSON.stringify(manifest));
    return dir;
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = mkdtempSync(join(tmpdir(), 'sonofuse-backbone-'));
    original = buildTinyCnn();
  });
  afterAll(() => {
    original.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('cuts at the declared feature layer, drops the head, and reproduces the original activations', async () => {
    const b = await createImageBackbone({ source: { folder: await folder() } });
    expect(b.featureDim).toBe(8);
    // (originalName: tfjs suffixes variable names already taken in this process, e.g. by `original`)
    expect(b.model.weights.map((w) => w.originalName).sort()).toEqual([
      'last_conv/bias',
      'last_conv/kernel',
      'stem/bias',
      'stem/kernel',
    ]);
    const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 7);
    const expected = tf.tidy(() => {
      const inner = tf.model({ inputs: original.inputs, outputs: original.getLayer('last_conv').output });
      return (inner.predict(x) as tf.Tensor).mean([1, 2]);
    });
    const got = b.model.predict(x) as tf.Tensor;
    expect(got.shape).toEqual([2, 8]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    tf.dispose([x, expected, got]);
    b.dispose();
  });

  it('normalises with the declared mean/std: the mean pixel maps to 0, +1 std to 1', async () => {
    const b = await createImageBackbone({ source: { folder: await folder() } });
    const [m, s] = [tinyManifest.normalisation.mean, tinyManifest.normalisation.std];
    const px = tf.tensor4d([m[0] * 255, m[1] * 255, (m[2] + s[2]) * 255], [1, 1, 1, 3]);
    const out = Array.from(b.normalise(px).dataSync());
    expect(out[0]).toBeCloseTo(0, 5);
    expect(out[1]).toBeCloseTo(0, 5);
    expect(out[2]).toBeCloseTo(1, 5);
    px.dispose();
    b.dispose();
  });

  it('runs at another input size (the tiny CNN is fully convolutional)', async () => {
    const b = await createImageBackbone({ source: { folder: await folder() }, inputSize: 48 });
    const out = b.model.predict(tf.zeros([1, 48, 48, 3])) as tf.Tensor;
    expect(out.shape).toEqual([1, 8]);
    out.dispose();
    b.dispose();
  });

  it('explains every broken folder', async () => {
    const create = (dir: string) => createImageBackbone({ source: { folder: dir } });
    await expect(create(join(root, 'absent'))).rejects.toThrow(/model folder not found/);

    const noManifest = await folder(null);
    await expect(create(noManifest)).rejects.toThrow(
      /backbone\.json is missing.*inputSize, normalisation, featureLayer/,
    );

    const badManifest = await folder({
      ...tinyManifest,
      normalisation: { kind: 'mean-std', mean: [0, 0, 0], std: [1, 0, 1] },
    });
    await expect(create(badManifest)).rejects.toThrow(
      /invalid backbone manifest \(normalisation\.std: std must be positive\)/,
    );

    const noLayer = await folder({ ...tinyManifest, featureLayer: 'nope' });
    await expect(create(noLayer)).rejects.toThrow(/feature layer "nope" is not a top-level layer/);

    const wrongDim = await folder({ ...tinyManifest, featureDim: 16 });
    await expect(create(wrongDim)).rejects.toThrow(/features have 8 channels, manifest says 16/);

    const corruptJson = await folder();
    writeFileSync(join(corruptJson, 'model.json'), '{"modelTopology": ');
    await expect(create(corruptJson)).rejects.toThrow(/model\.json: not valid JSON/);

    const notModel = await folder();
    writeFileSync(join(notModel, 'model.json'), JSON.stringify({ hello: 1 }));
    await expect(create(notModel)).rejects.toThrow(/not a tfjs model\.json \(modelTopology/);

    const truncated = await folder();
    const shard = join(truncated, 'group1-shard1of1.bin');
    truncateSync(shard, readFileSync(shard).length - 4);
    await expect(create(truncated)).rejects.toThrow(
      /weight shards hold \d+ bytes, model\.json describes \d+/,
    );

    const noShard = await folder();
    rmSync(join(noShard, 'group1-shard1of1.bin'));
    await expect(create(noShard)).rejects.toThrow(/weight shard missing or unreadable/);

    await expect(createImageBackbone({ source: { folder: await folder() }, inputSize: 16 })).rejects.toThrow(
      /≥ 32/,
    );
  });
});
