import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CatalogStore } from '../../catalog-store/catalog-store';
import { openPgCatalogStore } from '../../catalog-store/pg-catalog-store';
import type { Logger } from '../../core/logger';
import { UsageError } from '../command';

/**
 * Opens a department catalog for a CLI command: `--db postgres://…` and the shared image store
 * folder (`--store DIR`, else SONOFUSE_STORE), which must exist (a mounted share).
 */
export const openSharedWorkspace = async (input: {
  db: string;
  store?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}): Promise<{ store: CatalogStore; storeDir: string }> => {
  const dir = input.store ?? (input.env ?? process.env).SONOFUSE_STORE;
  if (!dir)
    throw new UsageError(
      'a postgres:// catalog needs the shared image store: --store DIR (or SONOFUSE_STORE)',
    );
  const storeDir = resolve(dir);
  if (!existsSync(storeDir) || !statSync(storeDir).isDirectory())
    throw new UsageError(`the shared image store ${storeDir} is not a folder (is the share mounted?)`);
  return { store: await openPgCatalogStore({ url: input.db, logger: input.logger }), storeDir };
};
