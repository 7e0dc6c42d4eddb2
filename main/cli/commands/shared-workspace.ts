import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CatalogStore } from '../../catalog-store/catalog-store';
import { openPgCatalogStore } from '../../catalog-store/pg-catalog-store';
import type { Logger } from '../../core/logger';
import { isPostgresUrl } from '../../catalog-store/workspace-location';
import { UsageError } from '../command';

/** `--db`/`--store` of `start`: a department workspace, or undefined for the local catalog. */
export const sharedWorkspaceOf = (
  db: string | undefined,
  store: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { url: string; storeDir: string } | undefined => {
  if (db === undefined) return undefined;
  if (!isPostgresUrl(db))
    throw new UsageError('start --db takes a postgres:// URL (a shared department catalog)');
  const dir = store ?? env.SONOFUSE_STORE;
  if (!dir)
    throw new UsageError(
      'a postgres:// catalog needs the shared image store: --store DIR (or SONOFUSE_STORE)',
    );
  const storeDir = resolve(dir);
  if (!existsSync(storeDir) || !statSync(storeDir).isDirectory())
    throw new UsageError(`the shared image store ${storeDir} is not a folder (is the share mounted?)`);
  return { url: db, storeDir };
};

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
  const { storeDir } = sharedWorkspaceOf(input.db, input.store, input.env)!;
  return { store: await openPgCatalogStore({ url: input.db, logger: input.logger }), storeDir };
};
