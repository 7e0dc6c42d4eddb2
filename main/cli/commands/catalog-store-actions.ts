import { resolve } from 'node:path';
import type { CatalogStore } from '../../catalog-store/catalog-store';
import { UsageError, type CliIo } from '../command';

/** The catalog actions both engines serve through the same port (SQLite: the service; pg: the store). */
export const STORE_ACTIONS = ['split', 'export', 'rename-dataset', 'delete-dataset'] as const;
export type StoreAction = (typeof STORE_ACTIONS)[number];

/** What the actions need of a catalog: CatalogStore's methods (the SQLite CLI adapts its service). */
export type CatalogActionsPort = Pick<
  CatalogStore,
  'renameDataset' | 'deleteDataset' | 'createSplit' | 'exportDataset'
>;

export interface StoreActionValues {
  dataset?: string;
  task: string;
  json: boolean;
  seed: string;
  ratios: string;
  name?: string;
  out?: string;
  split?: string;
  yes: boolean;
}

const required = (value: string | undefined, flag: string): string => {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
};

const parseRatios = (value: string): { train: number; validation: number; test: number } => {
  const parts = value.split(',').map(Number);
  const sum = parts.reduce((a, b) => a + b, 0);
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0) || sum <= 0) {
    throw new UsageError(`--ratios takes three numbers like 70,15,15; got "${value}"`);
  }
  return { train: parts[0]! / sum, validation: parts[1]! / sum, test: parts[2]! / sum };
};

/**
 * `sonofuse catalog split|export|rename-dataset|delete-dataset` on either engine: `datasetId` is
 * the id of `--dataset` (resolved by the caller), the port attributes writes to the catalog's user.
 */
export const runStoreAction = async (
  action: StoreAction,
  port: CatalogActionsPort,
  values: StoreActionValues,
  datasetId: number | undefined,
  io: CliIo,
): Promise<void> => {
  const name = required(values.dataset, '--dataset');
  const id = datasetId!;
  if (action === 'rename-dataset') {
    const renamed = await port.renameDataset({
      datasetId: id,
      name: required(values.name?.trim(), '--name'),
    });
    io.out(values.json ? JSON.stringify(renamed) : `Renamed dataset "${name}" to "${renamed.name}".`);
  } else if (action === 'delete-dataset') {
    if (!values.yes)
      throw new UsageError(
        `delete-dataset needs --yes: "${name}" leaves every list (its images, labels and history stay in the catalog, marked deleted)`,
      );
    const deleted = await port.deleteDataset({ datasetId: id, confirmName: name });
    io.out(
      values.json
        ? JSON.stringify(deleted)
        : `Deleted dataset "${deleted.name}" (id ${deleted.id}); its history stays in the catalog.`,
    );
  } else if (action === 'split') {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0)
      throw new UsageError(`--seed must be a whole number, got ${values.seed}`);
    const split = await port.createSplit({
      datasetId: id,
      name: values.name,
      seed,
      ratios: parseRatios(values.ratios),
      task: values.task,
    });
    if (values.json) io.out(JSON.stringify(split));
    else
      io.out(
        `${split.reused ? 'Reused' : 'Created'} split ${split.name} (id ${split.id}): ${split.parts.map((p) => `${p.part} ${p.images}`).join(', ')}`,
      );
  } else {
    const out = resolve(required(values.out, '--out'));
    const result = await port.exportDataset({
      datasetId: id,
      path: out,
      format: out.endsWith('.json') ? 'json' : 'csv',
      splitId: values.split === undefined ? undefined : Number(values.split),
      task: values.task,
    });
    io.out(values.json ? JSON.stringify(result) : `Exported ${result.rows} rows to ${result.path}`);
  }
};
