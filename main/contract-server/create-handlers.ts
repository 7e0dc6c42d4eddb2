import type { Handlers } from './dispatcher';
import type { Services } from './create-services';
import { createCatalogHandlers } from './catalog-handlers';
import { createAugmentHandlers } from './augment-handlers';
import { installDemo } from '../demo/demo-service';
import { createRunHandlers } from './run-handlers';
import { createAssistantHandlers } from './assistant-handlers';

/**
 * Maps every contract call to a service method. Kept as thin as the preload: no logic here beyond
 * adapting argument shapes, so services stay testable on their own.
 */
export const createHandlers = (services: Services): Handlers => ({
  'app:info': () => services.appInfo.info(),
  'app:recentLogs': ({ limit }) => services.logger.recent(limit),
  'app:chooseFiles': (input) => services.files.choose(input),
  'jobs:list': () => services.jobs.list(),
  'jobs:cancel': ({ id }) => ({ cancelled: services.jobs.cancel(id) }),
  ...createCatalogHandlers(services.catalog),
  ...createAugmentHandlers(services.catalog),
  ...createRunHandlers(services.runs),
  ...createAssistantHandlers(() => services.assistant),
  'demo:install': async () => {
    const r = await installDemo(services.catalog);
    return {
      datasetId: r.datasetId,
      dataset: r.dataset,
      images: r.report.imported + r.report.skipped,
      generated: r.generated,
    };
  },
});
