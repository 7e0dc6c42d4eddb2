import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../../shared/augment/augment-presets';
import { RunConfig } from '../../../../shared/run/run-config';
import {
  createCatalogAugmentations,
  withDatasetAugmentation,
} from '../../../../main/catalog/catalog-augmentations';
import { freshCatalog } from './support/catalog-fixtures';

const withDataset = () => {
  const { catalog } = freshCatalog();
  catalog.db().run('t', `INSERT INTO datasets (id, name, created_at) VALUES (3, 'brain', 'now')`);
  return { catalog, augmentations: createCatalogAugmentations(catalog.db()) };
};

describe('dataset augmentation configs (migration 0008)', () => {
  it('starts at the flip-free paper default (version 0) and appends a version per changed save', () => {
    const { catalog, augmentations } = withDataset();
    const start = augmentations.current(3);
    expect([start.version, start.preset, start.savedBy]).toEqual([0, 'paper', null]);
    expect(start.config.steps.map((s) => s.kind)).toEqual(['resize', 'rotation', 'crop']);

    const us = buildPreset('ultrasound-default');
    const v1 = augmentations.save({ datasetId: 3, preset: 'ultrasound-default', config: us, user: 'ana' });
    expect([v1.version, v1.preset, v1.savedBy]).toEqual([1, 'ultrasound-default', 'ana']);
    expect(v1.config).toEqual(us);
    // The same config again is no new version.
    expect(
      augmentations.save({ datasetId: 3, preset: 'ultrasound-default', config: us, user: 'bo' }).version,
    ).toBe(1);
    const edited = { ...us, steps: us.steps.filter((s) => s.kind !== 'blur') };
    const v2 = augmentations.save({ datasetId: 3, preset: 'ultrasound-default', config: edited, user: 'bo' });
    expect(v2.version).toBe(2);
    expect(augmentations.current(3).config.steps).toHaveLength(us.steps.length - 1);
    expect(augmentations.version(3, 1).config).toEqual(us);
    // Old versions are never rewritten.
    expect(() => catalog.db().run('t', `UPDATE dataset_augmentations SET user = 'x'`)).toThrow(/append-only/);
    catalog.close();
  });

  it('answers typed errors for an unknown dataset and an invalid config', () => {
    const { catalog, augmentations } = withDataset();
    expect(() => augmentations.current(99)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() =>
      augmentations.save({
        datasetId: 3,
        preset: 'paper',
        config: { steps: [{ kind: 'rotation', degrees: 400 }] } as never,
        user: 'ana',
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    catalog.close();
  });

  it("a run without a preset trains the dataset's saved config at its image size, with the version", () => {
    const { catalog, augmentations } = withDataset();
    augmentations.save({
      datasetId: 3,
      preset: 'ultrasound-default',
      config: buildPreset('ultrasound-default'),
      user: 'ana',
    });
    const asked = { dataset: 'brain', imageSize: 160 };
    const run = withDatasetAugmentation(augmentations, 3, RunConfig.parse(asked), asked);
    expect(run.augmentation.preset).toBe('ultrasound-default');
    expect(run.augmentation.datasetVersion).toBe(1);
    expect(run.augmentation.config!.outputSize).toBe(160);
    // The resized crop (224 on the screen) trains at the run's 160 px; the rest is the same config.
    expect(run.augmentation.config!.steps.find((s) => s.kind === 'resized-crop')).toMatchObject({
      size: 160,
      scale: [0.5, 1],
      region: 'sector-bbox',
      minSectorShare: 0.6,
    });
    expect(RunConfig.parse(run)).toEqual(run); // stored with the run as a valid RunConfig
    // A caller that names a preset (CLI --preset) keeps it.
    const cli = { dataset: 'brain', augmentation: { preset: 'none' as const } };
    const kept = withDatasetAugmentation(augmentations, 3, RunConfig.parse(cli), cli).augmentation;
    expect([kept.preset, kept.config, kept.datasetVersion]).toEqual(['none', undefined, undefined]);
    catalog.close();
  });
});
