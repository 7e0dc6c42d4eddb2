import { AugmentConfig, type AugmentConfigInput } from '../../shared/augment/augment-config';
import type { PresetName } from '../../shared/augment/augment-presets';
import {
  defaultDatasetAugmentation,
  scaleAugmentConfig,
  type DatasetAugmentation,
} from '../../shared/augment/dataset-augmentation';
import { AppError } from '../../shared/contract/result';
import type { RunConfig } from '../../shared/run/run-config';
import type { CatalogDb } from './catalog-db';

interface Row {
  version: number;
  preset: PresetName;
  config: string;
  user: string;
  at: string;
}

/**
 * Each dataset's augmentation config, versioned (migration 0008): `current` is the newest saved
 * version or the built-in default (version 0); `save` appends the next version in a transaction
 * and never rewrites an old one, so the version a run stored keeps naming the config it trained.
 */
export const createCatalogAugmentations = (cdb: CatalogDb) => {
  const requireDataset = (datasetId: number) => {
    if (!cdb.get('dataset.exists', 'SELECT 1 FROM datasets WHERE id = ?', datasetId))
      throw new AppError('NOT_FOUND', `no dataset ${datasetId}`);
  };
  const toValue = (datasetId: number, row: Row): DatasetAugmentation => ({
    datasetId,
    version: row.version,
    preset: row.preset,
    config: AugmentConfig.parse(JSON.parse(row.config)),
    savedAt: row.at,
    savedBy: row.user,
  });
  const current = (datasetId: number): DatasetAugmentation => {
    requireDataset(datasetId);
    const row = cdb.get<Row>(
      'augmentation.current',
      'SELECT version, preset, config, user, at FROM dataset_augmentations WHERE dataset_id = ? ORDER BY version DESC LIMIT 1',
      datasetId,
    );
    return row ? toValue(datasetId, row) : defaultDatasetAugmentation(datasetId);
  };
  return {
    current,
    /** Stores `config` as the dataset's next version; an unchanged config keeps the current one. */
    save(input: {
      datasetId: number;
      preset: PresetName;
      config: AugmentConfigInput;
      user: string;
    }): DatasetAugmentation {
      const parsed = AugmentConfig.safeParse(input.config);
      if (!parsed.success)
        throw new AppError('INVALID_INPUT', `invalid augmentation: ${parsed.error.issues[0]?.message}`);
      return cdb.transaction(() => {
        const before = current(input.datasetId);
        if (
          before.version > 0 &&
          before.preset === input.preset &&
          JSON.stringify(before.config) === JSON.stringify(parsed.data)
        )
          return before;
        cdb.run(
          'augmentation.save',
          'INSERT INTO dataset_augmentations (dataset_id, version, preset, config, user, at) VALUES (?, ?, ?, ?, ?, ?)',
          input.datasetId,
          before.version + 1,
          input.preset,
          JSON.stringify(parsed.data),
          input.user,
          new Date().toISOString(),
        );
        return current(input.datasetId);
      });
    },
    /** A saved version (for a run that names one); version 0 is the default. */
    version(datasetId: number, version: number): DatasetAugmentation {
      requireDataset(datasetId);
      if (version === 0) return defaultDatasetAugmentation(datasetId);
      const row = cdb.get<Row>(
        'augmentation.version',
        'SELECT version, preset, config, user, at FROM dataset_augmentations WHERE dataset_id = ? AND version = ?',
        datasetId,
        version,
      );
      if (!row)
        throw new AppError('NOT_FOUND', `dataset ${datasetId} has no augmentation version ${version}`);
      return toValue(datasetId, row);
    },
  };
};

export type CatalogAugmentations = ReturnType<typeof createCatalogAugmentations>;

/**
 * The run's augmentation as `run:start` stores it: a caller that names a preset or a config keeps
 * its choice (CLI `--preset`, `--config`); otherwise the dataset's current config, scaled to the
 * run's image size, with its version, so the run trains exactly what the Augmentation screen shows.
 */
export const withDatasetAugmentation = (
  augmentations: Pick<CatalogAugmentations, 'current'>,
  datasetId: number,
  config: RunConfig,
  asked: { dataset?: unknown; augmentation?: { preset?: unknown; config?: unknown } },
): RunConfig => {
  if (asked.augmentation?.preset !== undefined || asked.augmentation?.config !== undefined) return config;
  const stored = augmentations.current(datasetId);
  return {
    ...config,
    augmentation: {
      ...config.augmentation,
      preset: stored.preset,
      config: scaleAugmentConfig(stored.config, config.imageSize),
      datasetVersion: stored.version,
    },
  };
};
