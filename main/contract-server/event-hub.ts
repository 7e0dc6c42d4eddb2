import { events, type EventChannel, type EventPayload } from '../../shared/contract/index';

export type EventSink = (channel: EventChannel, payload: unknown) => void;

/**
 * Fan-out of contract events from services to every attached transport (IPC windows, WebSocket
 * clients, tests). Payloads are validated on the way out so a service cannot push a shape the
 * renderer does not expect.
 */
export interface EventHub {
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void;
  attach(sink: EventSink): () => void;
}

export const createEventHub = (
  onInvalid: (channel: string, message: string) => void = () => {},
): EventHub => {
  const sinks = new Set<EventSink>();
  return {
    emit(channel, payload) {
      const parsed = events[channel].payload.safeParse(payload);
      if (!parsed.success) {
        onInvalid(channel, parsed.error.issues.map((i) => i.message).join('; '));
        return;
      }
      for (const sink of [...sinks]) {
        try {
          sink(channel, parsed.data);
        } catch {
          // A broken sink (closed socket, destroyed window) must not stop delivery to the others.
        }
      }
    },
    attach(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
  };
};
