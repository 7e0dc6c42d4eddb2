import type { z } from 'zod';

/** A request/answer channel: `domain:verb`. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly input: I;
  readonly output: O;
  /** One line for humans: what the call does. Shown by `sonofuse info --channels`. */
  readonly summary: string;
}

/** A push channel from main to renderer: `domain:onThing`. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
  readonly summary: string;
}

export const defineCall = <I extends z.ZodType, O extends z.ZodType>(spec: {
  input: I;
  output: O;
  summary: string;
}): CallSpec<I, O> => ({ kind: 'call', ...spec });

export const defineEvent = <P extends z.ZodType>(spec: { payload: P; summary: string }): EventSpec<P> => ({
  kind: 'event',
  ...spec,
});

/** Channel name grammar, enforced by a unit test over the whole contract. */
export const CALL_CHANNEL_PATTERN = /^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/;
export const EVENT_CHANNEL_PATTERN = /^[a-z][a-zA-Z]*:on[A-Z][a-zA-Z]*$/;
