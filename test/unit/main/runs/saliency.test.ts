import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saliencyColour } from '../../../../shared/run/saliency-colours';
import { memoryHandler, readModelFolder } from '../../../../main/engine/encoders/tfjs-artifacts';
import { createAugmenter } from '../../../../main/augment/create-augmenter';
import { loadRunModel, preprocessForModel } from '../../../../main/runs/model-predict';
import { loadSaliencyModel, type SaliencyModel } from '../../../../main/runs/saliency';
import { STAGE1_FEATURE_LAYER, STAGE1_HEAD_LAYER } from '../../../../main/runs/stage1-model';
import { writeTinyExportedModel } from '../../../support/tiny-exported-model';

let dir: string;
let fixture: Awaited<ReturnType<typeof writeTinyExportedModel>>;
let model: SaliencyModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'sonofuse-saliency-'));
  fixture = await writeTinyExportedModel(dir);
  model = await loadSaliencyModel(tf, fixture.modelDir);
});
afterAll(() => {
  model?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const decode = async (b64: string) => {
  const png = sharp(Buffer.from(b64, 'base64'));
  const meta = await png.metadata();
  const { data } = await png.raw().toBuffer({ resolveWithObject: true });
  return { data, info: { width: meta.width, height: meta.height, channels: meta.channels } };
};

describe('saliency of an exported run model', () => {
  it('scores the image as the run did and explains the predicted class by default', async () => {
    const item = fixture.manifest.items.find((i) => i.part === 'test')!;
    const s = await model.explain(item.path);
    // The same probabilities as `sonofuse predict` (the run's evaluation preprocessing).
    const predictor = await loadRunModel(tf, fixture.modelDir);
    const [p] = await predictor.predict([{ image: item.path }]);
    predictor.dispose();
    p!.image.probs.forEach((v, k) => expect(s.probs[k]).toBeCloseTo(v, 5));
    expect(s.predictedIndex).toBe(p!.image.probs.indexOf(Math.max(...p!.image.probs)));
    expect(s.classIndex).toBe(s.predictedIndex);
    expect(s.label).toBe(fixture.manifest.classes[s.classIndex]);
    expect(s.method).toBe('stage1_image');
    // 64 px input, stem stride 2: the last feature map is 32×32.
    expect(s.size).toBe(64);
    expect([s.grid.width, s.grid.height, s.grid.values.length]).toEqual([32, 32, 1024]);
    expect(Math.max(...s.grid.values)).toBeCloseTo(s.peak > 0 ? 1 : 0, 6);
    expect(Math.min(...s.grid.values)).toBeGreaterThanOrEqual(0);
  });

  it('equals the closed-form CAM of the network (GAP + linear head) for either class', async () => {
    const item = fixture.manifest.items.find((i) => i.part === 'validation')!;
    const net = await tf.loadLayersModel(
      memoryHandler(await readModelFolder(join(fixture.modelDir, 'stage1'))),
    );
    const augmenter = createAugmenter(model.manifest.preprocessing as never);
    const batch = await preprocessForModel(augmenter, [item.path]);
    const x = tf.tensor4d(batch.x, batch.shape as [number, number, number, number]);
    const sub = tf.model({
      inputs: net.inputs,
      outputs: net.getLayer(STAGE1_FEATURE_LAYER).input as tf.SymbolicTensor,
    });
    const a = sub.predict(x) as tf.Tensor;
    const fm = a.dataSync();
    const kernel = net.getLayer(STAGE1_HEAD_LAYER).getWeights()[0]!.dataSync();
    tf.dispose([a, x]);
    net.dispose();
    for (const c of [0, 1]) {
      const s = await model.explain(item.path, { classIndex: c });
      const cam = Array.from({ length: 1024 }, (_, p) => {
        let v = 0;
        for (let k = 0; k < 8; k++) v += (kernel[k * 2 + c]! * fm[p * 8 + k]!) / 1024;
        return Math.max(0, v);
      });
      const peak = Math.max(...cam);
      expect(s.peak).toBeCloseTo(peak, 6);
      s.grid.values.forEach((v, p) => expect(v).toBeCloseTo(peak > 0 ? cam[p]! / peak : 0, 5));
    }
  });

  it('returns the network input and a heat map coloured with the legend scale', async () => {
    const item = fixture.manifest.items[0]!;
    const right = await model.explain(item.path, { label: 'right' });
    expect(right.classIndex).toBe(1);
    // With two classes and a linear head, one of them has positive evidence somewhere.
    const s = right.peak > 0 ? right : await model.explain(item.path, { label: 'left' });
    expect(s.peak).toBeGreaterThan(0);
    const image = await decode(s.imagePng);
    expect([image.info.width, image.info.height, image.info.channels]).toEqual([64, 64, 1]);
    // The fixture's background is grey 20 and its disc 220: both survive the round trip (±3 for
    // resampling at the letterbox edge and the disc's rim).
    expect(Math.max(...image.data)).toBeGreaterThan(200);
    const heat = await decode(s.heatmapPng);
    expect([heat.info.width, heat.info.height, heat.info.channels]).toEqual([64, 64, 4]);
    // The hottest pixel is the scale's top colour, fully opaque; the coldest is see-through.
    let best = 0;
    let worst = 0;
    for (let i = 0; i < 64 * 64; i++) {
      if (heat.data[i * 4 + 3]! > heat.data[best * 4 + 3]!) best = i;
      if (heat.data[i * 4 + 3]! < heat.data[worst * 4 + 3]!) worst = i;
    }
    expect(Array.from(heat.data.subarray(best * 4, best * 4 + 4))).toEqual([...saliencyColour(1), 255]);
    expect(heat.data[worst * 4 + 3]).toBeLessThan(64);
  });

  it('refuses a class the run does not have, with a typed error', async () => {
    const path = fixture.manifest.items[0]!.path;
    await expect(model.explain(path, { classIndex: 2 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('out of range'),
    });
    await expect(model.explain(path, { label: 'middle' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
