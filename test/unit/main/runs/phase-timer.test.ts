import { describe, expect, it } from 'vitest';
import { createPhaseTimer } from '../../../../main/runs/phase-timer';

describe('phase timer', () => {
  it('charges each phase its own time and takes nested phases out of the outer one', async () => {
    let ms = 0;
    const timer = createPhaseTimer(() => ms);
    ms = 500; // before any phase: not charged
    await timer.timed('stage1_train', async () => {
      ms += 2000;
      await timer.timed('stage1_validate', async () => {
        ms += 300;
      });
      ms += 1000;
      await timer.timed('stage1_validate', async () => {
        ms += 200;
      });
    });
    ms += 4000; // between phases: not charged
    await timer.timed('export', async () => {
      ms += 100;
    });
    expect(timer.seconds).toEqual({ stage1_train: 3, stage1_validate: 0.5, export: 0.1 });
  });

  it('still charges a phase that throws, and closes it', async () => {
    let ms = 0;
    const timer = createPhaseTimer(() => ms);
    await expect(
      timer.timed('decode', async () => {
        ms += 1500;
        throw new Error('image 3 could not be read');
      }),
    ).rejects.toThrow('image 3');
    await timer.timed('encodings', async () => void (ms += 250));
    expect(timer.seconds).toEqual({ decode: 1.5, encodings: 0.25 });
  });
});
