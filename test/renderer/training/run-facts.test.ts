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

describe('catalogChangesText', () => {
  it('says what changed among the snapshot images, and nothing when nothing did', async () => {
    const { catalogChangesText } = await import('../../../renderer/training/run-facts');
    expect(
      catalogChangesText({ removed: 2, contentChanged: 0, relabelled: 2, notesChanged: 1, total: 5 }),
    ).toBe(
      'It trained on a frozen snapshot; of its images 2 relabelled, 2 removed, 1 with another note since. ',
    );
    expect(
      catalogChangesText({ removed: 0, contentChanged: 0, relabelled: 0, notesChanged: 0, total: 0 }),
    ).toBe('');
    expect(catalogChangesText(null)).toBe('');
  });
});
