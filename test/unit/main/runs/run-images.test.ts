import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import { AugmentConfig } from '../../../../shared/augment/augment-config';
import { createAugmenter } from '../../../../main/augment/create-augmenter';
import { fullFrameSector } from '../../../../main/augment/sector-detect';
import { augmentedBatch, withCleanBatchMemo, type RunImages } from '../../../../main/runs/run-images';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Five 20×20 grey images with different gradients. */
const images = (): RunImages => ({
  raw: Array.from({ length: 5 }, (_, k) => ({
    width: 20,
    height: 20,
    channels: 1,
    data: Uint8Array.from({ length: 400 }, (_, i) => ((i % 20) * (k + 3) + Math.floor(i / 20) * 5) % 256),
  })),
  sectors: Array.from({ length: 5 }, () => fullFrameSector()),
});
const augmenter = (preset: 'paper' | 'none') =>
  createAugmenter(
    AugmentConfig.parse({
      ...buildPreset(preset, { outputSize: 16 }),
      source: { size: 20, fit: 'contain', grayscale: true },
      outputChannels: 3,
    }),
  );

describe('clean batch memo', () => {
  it('keeps clean batches of the chosen rows: the same values, built once', () => {
    const plain = images();
    const evaluate = augmenter('none');
    const train = augmenter('paper');
    const kept = withCleanBatchMemo(plain, evaluate, [2, 3, 4]);
    const first = augmentedBatch(kept, [2, 3], evaluate, 0);
    expect(Array.from(first.x)).toEqual(Array.from(augmentedBatch(plain, [2, 3], evaluate, 0).x));
    const again = augmentedBatch(kept, [2, 3], evaluate, 0);
    expect(again.x).toBe(first.x);
    expect(kept.memo!.hits).toBe(1);
    expect(kept.memo!.bytes).toBe(2 * 16 * 16 * 3 * 4);
    // Not kept: rows outside the set, another pipeline, a seeded draw.
    augmentedBatch(kept, [1, 2], evaluate, 0);
    augmentedBatch(kept, [2, 3], train, 0);
    augmentedBatch(kept, [2, 3], evaluate, 5);
    expect(kept.memo!.batches.size).toBe(1);
    expect(kept.memo!.hits).toBe(1);
  });

  it('stops keeping at its byte limit and still builds every batch', () => {
    const evaluate = augmenter('none');
    const row = 16 * 16 * 3 * 4;
    const kept = withCleanBatchMemo(images(), evaluate, [0, 1, 2, 3, 4], 3 * row);
    augmentedBatch(kept, [0, 1], evaluate, 0);
    const over = augmentedBatch(kept, [2, 3], evaluate, 0);
    expect(over.shape).toEqual([2, 16, 16, 3]);
    expect(kept.memo!.bytes).toBe(2 * row);
    expect([...kept.memo!.batches.keys()]).toEqual(['0,1']);
  });
});
