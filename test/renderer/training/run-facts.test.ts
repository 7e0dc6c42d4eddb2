import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../shared/augment/augment-presets';
import { RunConfig } from '../../../shared/run/run-config';
import { configLine } from '../../../renderer/training/run-facts';

describe('configLine', () => {
  it('names the dataset augmentation version the run trained (issue 16, item 6)', () => {
    const run = (augmentation: object) => configLine(RunConfig.parse({ dataset: 'd', augmentation }));
    expect(
      run({ preset: 'ultrasound-default', config: buildPreset('ultrasound-default'), datasetVersion: 3 }),
    ).toContain('augmentation: Ultrasound default (dataset version 3)');
    expect(run({ preset: 'paper', config: buildPreset('paper'), datasetVersion: 0 })).toContain(
      'augmentation: Paper (Resize 244, Rotation ±15°, Crop 224) (dataset default)',
    );
    // Runs from before migration 0008 name only their preset.
    expect(run({ preset: 'paper' })).toMatch(/augmentation: Paper \(Resize 244, Rotation ±15°, Crop 224\)$/);
  });
});
