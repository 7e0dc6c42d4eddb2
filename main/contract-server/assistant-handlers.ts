import type { CallOutput, CallParsedInput } from '../../shared/contract/index';
import type { Handlers } from './dispatcher';

type AssistantChannel = Extract<keyof Handlers, `assistant:${string}`>;
type Answer<C extends AssistantChannel> = CallOutput<C> | Promise<CallOutput<C>>;

/**
 * What the `assistant:*` handlers need of the labeling assistant (main/assistant's service
 * satisfies it); stated here so the handlers depend on the contract, not on the service's insides.
 */
export interface AssistantPort {
  status(input: CallParsedInput<'assistant:status'>): Answer<'assistant:status'>;
  suggestions(input: CallParsedInput<'assistant:suggestions'>): Answer<'assistant:suggestions'>;
  queue(input: CallParsedInput<'assistant:queue'>): Answer<'assistant:queue'>;
  useModel(input: CallParsedInput<'assistant:useModel'>): Answer<'assistant:useModel'>;
  simulation(input: CallParsedInput<'assistant:simulation'>): Answer<'assistant:simulation'>;
}

/** The `assistant:*` handlers: argument adapters only; the work is in the assistant service. */
export const createAssistantHandlers = (
  assistant: () => AssistantPort,
): Pick<Handlers, AssistantChannel> => ({
  'assistant:status': (input) => assistant().status(input),
  'assistant:suggestions': (input) => assistant().suggestions(input),
  'assistant:queue': (input) => assistant().queue(input),
  'assistant:useModel': (input) => assistant().useModel(input),
  'assistant:simulation': (input) => assistant().simulation(input),
});
