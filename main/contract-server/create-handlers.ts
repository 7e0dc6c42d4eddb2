import type { Handlers } from './dispatcher';
import type { Services } from '../services/create-services';

/**
 * Maps every contract call to a service method. Kept as thin as the preload: no logic here beyond
 * adapting argument shapes, so services stay testable on their own.
 */
export const createHandlers = (services: Services): Handlers => ({
  'app:info': () => services.appInfo.info(),
  'app:recentLogs': ({ limit }) => services.logger.recent(limit),
  'jobs:list': () => services.jobs.list(),
  'jobs:cancel': ({ id }) => ({ cancelled: services.jobs.cancel(id) }),
});
