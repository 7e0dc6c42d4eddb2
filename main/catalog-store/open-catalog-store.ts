import type { Logger } from '../core/logger';
import { createCatalogService, type CatalogServiceOptions } from '../catalog/catalog-service';
import type { CatalogStore } from './catalog-store';
import { openPgCatalogStore } from './pg-catalog-store';
import { createSqliteCatalogStore } from './sqlite-catalog-store';
import { isPostgresUrl } from './workspace-location';

export interface OpenCatalogStoreOptions {
  /** A catalog file path, or a `postgres://` / `postgresql://` URL. */
  workspace: string;
  logger?: Logger;
  /** SQLite only: the rest of the service's options (store folder, jobs, secrets). */
  sqlite?: Omit<CatalogServiceOptions, 'dbPath' | 'logger'>;
}

/**
 * Opens the catalog of a workspace through the one CatalogStore interface: PostgreSQL for a URL
 * (migrated on open), SQLite for a file path (today's service, adapted). Errors never carry the
 * URL's password (see workspace-location.ts).
 */
export const openCatalogStore = async (options: OpenCatalogStoreOptions): Promise<CatalogStore> =>
  isPostgresUrl(options.workspace)
    ? openPgCatalogStore({ url: options.workspace.trim(), logger: options.logger })
    : createSqliteCatalogStore(
        createCatalogService({ ...options.sqlite, dbPath: options.workspace, logger: options.logger }),
      );
