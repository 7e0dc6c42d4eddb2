import {
  AppError,
  calls,
  fail,
  isCallChannel,
  ok,
  type CallChannel,
  type CallOutput,
  type CallParsedInput,
  type Result,
} from '../../shared/contract/index';
import type { Logger } from '../core/logger';

/** Who sent a call; transports fill it in so handlers (and logs) can tell callers apart. */
export interface CallContext {
  transport: 'ipc' | 'ws' | 'cli' | 'test';
  /** A short id of the connection or window, for logs. Never a user name or patient data. */
  peer: string;
}

export type Handler<C extends CallChannel> = (
  input: CallParsedInput<C>,
  ctx: CallContext,
) => Promise<CallOutput<C>> | CallOutput<C>;

/** One handler per call channel; the compiler refuses a missing one. */
export type Handlers = { [C in CallChannel]: Handler<C> };

export interface Dispatcher {
  /**
   * Validates `rawInput` against the channel's schema, runs the handler and validates its output.
   * Never throws and never rejects: every outcome is a Result.
   */
  dispatch(channel: unknown, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>>;
}

const describeIssues = (issues: readonly { path: readonly PropertyKey[]; message: string }[]): string =>
  issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
    .join('; ');

/** Names an unknown channel for the error message without calling anything on it. */
const describeChannel = (channel: unknown): string =>
  typeof channel === 'string' ? JSON.stringify(channel.slice(0, 80)) : `of type ${typeof channel}`;

export const createDispatcher = (handlers: Handlers, logger: Logger): Dispatcher => {
  const run = async (channel: unknown, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>> => {
    if (!isCallChannel(channel))
      return fail('UNKNOWN_CHANNEL', `Unknown channel ${describeChannel(channel)}`);
    const spec = calls[channel];
    const parsed = spec.input.safeParse(rawInput);
    if (!parsed.success) {
      return fail('INVALID_INPUT', `${channel}: ${describeIssues(parsed.error.issues)}`);
    }
    let value: unknown;
    try {
      const handler = handlers[channel] as (input: unknown, ctx: CallContext) => unknown;
      value = await handler(parsed.data, ctx);
    } catch (error) {
      if (error instanceof AppError) return fail(error.code, error.message, error.conflicts);
      logger.error(
        'dispatch',
        `${channel} failed on ${ctx.transport}:${ctx.peer}: ${(error as Error)?.stack ?? error}`,
      );
      return fail('INTERNAL', `${channel} failed unexpectedly; see the log for details.`);
    }
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      logger.error('dispatch', `${channel} produced invalid output: ${describeIssues(checked.error.issues)}`);
      return fail('INVALID_OUTPUT', `${channel} produced an answer that breaks the contract.`);
    }
    return ok(checked.data);
  };
  return {
    async dispatch(channel, rawInput, ctx) {
      try {
        return await run(channel, rawInput, ctx);
      } catch {
        // Validation itself failed (an input no schema expected); the promise to answer still holds.
        return fail('INTERNAL', 'The call could not be processed; see the log for details.');
      }
    },
  };
};
