import { describe, expect, it } from 'vitest';
import { TrainerProgress } from '../../../../shared/run/run-progress';

describe('TrainerProgress (the one progress shape, fit loop → protocol → run service)', () => {
  const base = {
    epoch: 1,
    epochs: 3,
    batch: 2,
    batchesPerEpoch: 5,
    loss: 0.4,
    imagesPerSecond: 3.5,
    etaSeconds: 12,
  };
  it('accepts a run stage with a run method, and a plain fit stage', () => {
    expect(
      TrainerProgress.parse({ ...base, stage: 'stage1', method: 'stage1_image', seed: 1 }),
    ).toMatchObject({
      stage: 'stage1',
      method: 'stage1_image',
    });
    expect(TrainerProgress.parse({ ...base, stage: 'train' }).stage).toBe('train');
  });
  it('refuses a free-form stage or method (nothing to cast on the way back)', () => {
    expect(TrainerProgress.safeParse({ ...base, stage: 'tiny-dense' }).success).toBe(false);
    expect(TrainerProgress.safeParse({ ...base, stage: 'heads', method: 'fancy' }).success).toBe(false);
  });
});
