import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import { AugmentConfig } from '../../../../shared/augment/augment-config';
import { createAugmenter } from '../../../../main/augment/create-augmenter';
import { fullFrameSector } from '../../../../main/augment/sector-detect';
import {
  denseSoftmax,
  inferViews,
  meanOf,
  viewBatch,
  viewSeed,
} from '../../../../main/runs/evaluation-views';
import { augmentedBatch, type RunImages } from '../../../../main/runs/run-images';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Four 20×20 grey images with different gradients. */
const images = (): RunImages => ({
  raw: Array.from({ length: 4 }, (_, k) => ({
    width: 20,
    height: 20,
    channels: 1,
    data: Uint8Array.from({ length: 400 }, (_, i) => ((i % 20) * (k + 3) + Math.floor(i / 20) * 5) % 256),
  })),
  sectors: Array.from({ length: 4 }, () => fullFrameSector()),
});
const config = (preset: 'paper' | 'none') =>
  AugmentConfig.parse({
    ...buildPreset(preset, { outputSize: 16 }),
    source: { size: 20, fit: 'contain', grayscale: true },
    outputChannels: 3,
  });
const augmenters = () => ({
  train: createAugmenter(config('paper')),
  evaluate: createAugmenter(config('none')),
});

describe('test-time augmentation views', () => {
  it('view 0 is the clean evaluation pipeline; other views do not depend on the batch', () => {
    const imgs = images();
    const a = augmenters();
    expect(viewBatch(imgs, [0, 1, 2], a, 0, 5).x).toEqual(augmentedBatch(imgs, [0, 1, 2], a.evaluate, 0).x);
    const together = viewBatch(imgs, [0, 1, 2, 3], a, 3, 5);
    const alone = viewBatch(imgs, [2], a, 3, 5);
    const row = alone.x.length;
    expect(together.shape).toEqual([4, 16, 16, 3]);
    expect(Array.from(together.x.subarray(2 * row, 3 * row))).toEqual(Array.from(alone.x));
    // A view differs from the clean image and from another view; seeds are distinct per view.
    expect(Array.from(alone.x)).not.toEqual(Array.from(viewBatch(imgs, [2], a, 0, 5).x));
    expect(Array.from(alone.x)).not.toEqual(Array.from(viewBatch(imgs, [2], a, 4, 5).x));
    expect(new Set([1, 2, 3, 4].map((v) => viewSeed(5, v))).size).toBe(4);
  });

  it('inferViews returns one array per view (clean first), chunked without changing rows', async () => {
    const imgs = images();
    const a = augmenters();
    // A "model": the mean pixel of each image.
    const predict = async (x: Float32Array, shape: number[]) => {
      const n = shape[0]!;
      const per = x.length / n;
      return Float32Array.from(
        { length: n },
        (_, r) => x.subarray(r * per, (r + 1) * per).reduce((s, v) => s + v, 0) / per,
      );
    };
    const chunked = await inferViews(predict, imgs, [3, 0, 2], a, { views: 2, seed: 9, chunk: 2 });
    const whole = await inferViews(predict, imgs, [3, 0, 2], a, { views: 2, seed: 9, chunk: 32 });
    expect(chunked.views).toHaveLength(3);
    expect(chunked.dim).toBe(1);
    chunked.views.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(whole.views[i]!)));
    const clean = viewBatch(imgs, [3, 0, 2], a, 0, 9);
    expect(Array.from(chunked.views[0]!)).toEqual(Array.from(await predict(clean.x, clean.shape)));
  });

  it('denseSoftmax equals tf softmax(x·W + b); meanOf averages', () => {
    const x = Float32Array.from([1, -2, 0.5, 0, 3, 1]);
    const kernel = Float32Array.from([0.2, -0.4, 1, 0.5, -1, 0.3, 0.7, 0.1, -0.6]);
    const bias = Float32Array.from([0.1, 0, -0.2]);
    const ours = denseSoftmax(x, 3, kernel, bias);
    const ref = tf.tidy(() =>
      tf
        .softmax(
          tf
            .tensor2d(x, [2, 3])
            .matMul(tf.tensor2d(kernel, [3, 3]))
            .add(tf.tensor1d(bias)),
        )
        .dataSync(),
    );
    Array.from(ref).forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 6));
    expect(Array.from(meanOf([Float32Array.from([1, 2]), Float32Array.from([3, 6])]))).toEqual([2, 4]);
  });
});
