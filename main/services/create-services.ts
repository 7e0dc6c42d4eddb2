import type { AppInfo } from '../../shared/contract/index';
import { defaultCatalogPath } from '../catalog/catalog-paths';
import { createCatalogService, type CatalogService } from '../catalog/catalog-service';
import { createBackendProbe, type BackendProbe } from '../runtime/backend-probe';
import { readVersion } from '../runtime/package-info';
import { createAppInfoService, type AppInfoService } from './app-info-service';
import { createJobRegistry, type JobRegistry } from './job-registry';
import { createLogger, type Logger } from './logger';
import type { EventHub } from '../contract-server/event-hub';

/** Every long-lived service of one app instance. Built once by the composition root, never imported as a singleton. */
export interface Services {
  logger: Logger;
  appInfo: AppInfoService;
  jobs: JobRegistry;
  catalog: CatalogService;
  dispose(): Promise<void>;
}

export interface ServicesOptions {
  shell: AppInfo['shell'];
  logger?: Logger;
  probe?: BackendProbe;
  version?: string;
  /** Where services push contract events; set by the app core. */
  events?: EventHub;
  /** The catalog database; default `<data folder>/<workspace>/catalog.db`. Opened on first use. */
  catalogDbPath?: string;
  workspace?: string;
}

export const createServices = (options: ServicesOptions): Services => {
  const logger = options.logger ?? createLogger();
  const appInfo = createAppInfoService({
    version: options.version ?? readVersion(),
    shell: options.shell,
    probe: options.probe ?? createBackendProbe(),
  });
  const jobs = createJobRegistry({ emit: (job) => options.events?.emit('jobs:onUpdate', job) });
  const catalog = createCatalogService({
    dbPath: options.catalogDbPath ?? defaultCatalogPath(options.workspace),
    logger,
    jobs,
  });
  catalog.onImportProgress((p) => options.events?.emit('catalog:onImportProgress', p));
  catalog.onChanged((c) => options.events?.emit('catalog:onChanged', c));
  return {
    logger,
    appInfo,
    jobs,
    catalog,
    async dispose() {
      // Later services (catalog database, trainer process) close here, in reverse order of creation.
      catalog.close();
    },
  };
};
