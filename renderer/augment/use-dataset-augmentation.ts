import { PRESET_LABELS } from '../../shared/augment/augment-presets';
import { isPresetConfig, type DatasetAugmentation } from '../../shared/augment/dataset-augmentation';
import { useApi } from '../api-context';
import type { CallState } from '../use-call';
import { useQuery } from '../use-query';

/**
 * The augmentation config the workspace's dataset trains with (`augment:datasetConfig`), for the
 * Augmentation screen (which edits and saves it) and the run form (which shows it). `null` id:
 * no dataset chosen yet.
 */
export const useDatasetAugmentation = (
  datasetId: number | null,
  revision = 0,
): [CallState<DatasetAugmentation> | null, () => void] => {
  const api = useApi();
  const [state, reload] = useQuery(
    () =>
      datasetId === null
        ? Promise.resolve({ ok: false as const, error: { code: 'NOT_FOUND', message: 'no dataset' } })
        : api.augment.datasetConfig({ datasetId }),
    `${datasetId}:${revision}`,
  );
  return [datasetId === null ? null : state, reload];
};

/** "Ultrasound default (edited) · version 3": which config a dataset trains with, in words. */
export const describeDatasetAugmentation = (a: DatasetAugmentation): string => {
  const name = `${PRESET_LABELS[a.preset]}${isPresetConfig(a.preset, a.config) ? '' : ' (edited)'}`;
  return a.version === 0 ? `${name} · built-in default, not saved` : `${name} · version ${a.version}`;
};
