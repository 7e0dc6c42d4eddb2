import { createServices, type Services, type ServicesOptions } from './create-services';
import { createLogger } from '../core/logger';
import { createHandlers } from './create-handlers';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { createEventHub, type EventHub } from './event-hub';

/** Services + dispatcher + event hub: everything a transport (IPC or host) needs to serve the contract. */
export interface AppCore {
  services: Services;
  dispatcher: Dispatcher;
  events: EventHub;
  dispose(): Promise<void>;
}

export const createAppCore = (options: ServicesOptions): AppCore => {
  const logger = options.logger ?? createLogger();
  const events = createEventHub((channel, message) =>
    logger.error('events', `dropped invalid ${channel} payload: ${message}`),
  );
  const services = createServices({ ...options, logger, events });
  const unsubscribeLog = services.logger.subscribe((entry) => events.emit('app:onLog', entry));
  const dispatcher = createDispatcher(createHandlers(services), services.logger);
  return {
    services,
    dispatcher,
    events,
    async dispose() {
      unsubscribeLog();
      await services.dispose();
    },
  };
};
