import { createServices, type Services, type ServicesOptions } from './create-services';
import { createLogger } from '../core/logger';
import { createHandlers } from './create-handlers';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { createEventHub, type EventHub } from './event-hub';
import type { CatalogStore } from '../catalog-store/catalog-store';
import { lazyCatalogStore } from '../catalog-store/lazy-catalog-store';
import { openPgCatalogStore } from '../catalog-store/pg-catalog-store';
import { redactUrl } from '../catalog-store/workspace-location';
import { withCatalogStore } from './store-catalog-handlers';

export type { DepartmentWorkspace } from '../catalog-store/department-workspace';

/** Services + dispatcher + event hub: everything a transport (IPC or host) needs to serve the contract. */
export interface AppCore {
  services: Services;
  dispatcher: Dispatcher;
  events: EventHub;
  /** The shared catalog of a department workspace (absent for a local SQLite workspace). */
  store?: CatalogStore;
  dispose(): Promise<void>;
}

export const createAppCore = (options: ServicesOptions): AppCore => {
  const logger = options.logger ?? createLogger();
  const events = createEventHub((channel, message) =>
    logger.error('events', `dropped invalid ${channel} payload: ${message}`),
  );
  const services = createServices({ ...options, logger, events });
  const unsubscribeLog = services.logger.subscribe((entry) => events.emit('app:onLog', entry));
  // Department mode: the catalog calls go through the shared store; its changes reach every window.
  const department = options.department;
  const store = department
    ? lazyCatalogStore(
        () => openPgCatalogStore({ url: department.url, logger: services.logger }),
        'postgres',
        redactUrl(department.url),
      )
    : undefined;
  const unsubscribeStore = store?.onChanged((c) => events.emit('catalog:onChanged', c));
  const handlers = createHandlers(services);
  const dispatcher = createDispatcher(store ? withCatalogStore(handlers, store) : handlers, services.logger);
  return {
    services,
    dispatcher,
    events,
    store,
    async dispose() {
      unsubscribeLog();
      unsubscribeStore?.();
      await store?.close();
      await services.dispose();
    },
  };
};
