import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import { scaleAugmentConfig } from '../../../../shared/augment/dataset-augmentation';
import { RunConfig } from '../../../../shared/run/run-config';
import type { ImageBackboneManifest } from '../../../../main/engine/encoders/image-backbone-manifest';
import { createRunAugmenters } from '../../../../main/runs/run-augmenters';

const backbone = { normalisation: { kind: 'range', min: -1, max: 1 } } as ImageBackboneManifest;

describe('run augmenters', () => {
  it('train with the config stored in the run (the dataset config), not the preset name', () => {
    const stored = scaleAugmentConfig(buildPreset('ultrasound-default'), 160);
    const run = RunConfig.parse({
      dataset: 'd',
      imageSize: 160,
      augmentation: { preset: 'paper', config: stored, datasetVersion: 2 },
    });
    const { train, evaluate } = createRunAugmenters(run, backbone);
    expect(train.config.steps).toEqual(stored.steps);
    expect(train.config.sector.maskOutside).toBe(true);
    expect(train.config.source.size).toBe(183); // round(160 · 8/7), the run's source frame
    expect(evaluate.config.steps.map((s) => s.kind)).toEqual(['resize']);
  });

  it('without a stored config build the named preset (runs stored before migration 0008)', () => {
    const run = RunConfig.parse({ dataset: 'd', imageSize: 160, augmentation: { preset: 'paper' } });
    expect(createRunAugmenters(run, backbone).train.config.steps.map((s) => s.kind)).toEqual([
      'resize',
      'rotation',
      'crop',
    ]);
  });
});
