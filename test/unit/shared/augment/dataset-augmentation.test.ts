import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import {
  defaultDatasetAugmentation,
  isPresetConfig,
  scaleAugmentConfig,
} from '../../../../shared/augment/dataset-augmentation';

describe('dataset augmentation helpers', () => {
  it('scales every pixel size to the run size and keeps fractions and angles', () => {
    const paper = buildPreset('paper');
    const at160 = scaleAugmentConfig(paper, 160);
    expect(at160.outputSize).toBe(160);
    // 244 · 160/224 = 174.3 → 174, as paperResizeFor(160); crop 224 → 160.
    expect(at160.steps.map((s) => ('size' in s ? s.size : null))).toEqual([174, null, 160]);
    expect(at160.steps[1]).toEqual(paper.steps[1]);
    expect(at160).toEqual(buildPreset('paper', { outputSize: 160 }));
    expect(scaleAugmentConfig(paper, 224)).toBe(paper);
  });

  it('knows an untouched preset from an edited one', () => {
    const us = buildPreset('ultrasound-default');
    expect(isPresetConfig('ultrasound-default', us)).toBe(true);
    expect(isPresetConfig('paper', us)).toBe(false);
    expect(isPresetConfig('ultrasound-default', { ...us, steps: us.steps.slice(1) })).toBe(false);
    expect(isPresetConfig('paper', defaultDatasetAugmentation(1).config)).toBe(true);
  });
});
