import { buildApi } from '../../shared/contract/build-api';
import {
  calls,
  type CallChannel,
  type EventChannel,
  type Result,
  type SonoFuseApi,
} from '../../shared/contract/index';

type Answers = Partial<Record<CallChannel, (input: unknown) => Result<unknown>>>;

/**
 * A fake API built from the contract itself: inputs are validated by the real schemas (so a
 * component sending a wrong shape fails the test) and events can be pushed by the test.
 */
export const createFakeApi = (answers: Answers) => {
  const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
  const received: Array<{ channel: CallChannel; input: unknown }> = [];
  const api: SonoFuseApi = buildApi({
    async call(channel, input) {
      received.push({ channel, input });
      const parsed = calls[channel].input.safeParse(input);
      if (!parsed.success)
        return { ok: false, error: { code: 'INVALID_INPUT', message: parsed.error.message } };
      const answer = answers[channel];
      return answer
        ? answer(parsed.data)
        : { ok: false, error: { code: 'UNAVAILABLE', message: `${channel} not faked` } };
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  });
  const emit = (channel: EventChannel, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l(payload);
  };
  return { api, emit, received };
};
