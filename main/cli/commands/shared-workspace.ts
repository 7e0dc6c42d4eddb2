import type { CatalogStore } from '../../catalog-store/catalog-store';
import { openPgCatalogStore } from '../../catalog-store/pg-catalog-store';
import type { Logger } from '../../core/logger';
import {
  departmentWorkspaceOf,
  DepartmentWorkspaceError,
  type DepartmentWorkspace,
} from '../../catalog-store/department-workspace';
import { UsageError } from '../command';

/** `--db`/`--store` of `start`: a department workspace, or undefined for the local catalog. */
export const sharedWorkspaceOf = (
  db: string | undefined,
  store: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DepartmentWorkspace | undefined => {
  try {
    return departmentWorkspaceOf(db, store, env);
  } catch (e) {
    if (e instanceof DepartmentWorkspaceError) throw new UsageError(e.message);
    throw e;
  }
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
