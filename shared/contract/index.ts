import type { z } from 'zod';
import { appCalls, appEvents } from './app';
import { assistantCalls, assistantEvents } from './assistant';
import { augmentCalls } from './augment';
import { catalogCalls, catalogEvents } from './catalog';
import { demoCalls } from './demo';
import { jobsCalls, jobsEvents } from './jobs';
import { runCalls, runEvents } from './run';
import { runIntervalCalls } from './run-intervals';
import type { Result } from './result';

/**
 * The whole surface between renderer and main, in one place. Every transport (Electron IPC, the
 * loopback WebSocket host, tests' fake APIs) is generated from these two objects. To add a channel,
 * add it to a domain file and spread that file's objects here; the channel snapshot test will show
 * the change.
 */
export const calls = {
  ...appCalls,
  ...assistantCalls,
  ...augmentCalls,
  ...catalogCalls,
  ...demoCalls,
  ...jobsCalls,
  ...runCalls,
  ...runIntervalCalls,
} as const;

export const events = {
  ...appEvents,
  ...assistantEvents,
  ...catalogEvents,
  ...jobsEvents,
  ...runEvents,
} as const;

export type Calls = typeof calls;
export type Events = typeof events;
export type CallChannel = keyof Calls & string;
export type EventChannel = keyof Events & string;

/** What a caller passes (before schema defaults apply). */
export type CallInput<C extends CallChannel> = z.input<Calls[C]['input']>;
/** What a handler receives (after parsing and defaults). */
export type CallParsedInput<C extends CallChannel> = z.output<Calls[C]['input']>;
export type CallOutput<C extends CallChannel> = z.output<Calls[C]['output']>;
export type EventPayload<E extends EventChannel> = z.output<Events[E]['payload']>;

export const callChannels = Object.keys(calls).sort() as CallChannel[];
export const eventChannels = Object.keys(events).sort() as EventChannel[];

export const isCallChannel = (name: unknown): name is CallChannel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
export const isEventChannel = (name: unknown): name is EventChannel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type NameOf<C extends string> = C extends `${string}:${infer N}` ? N : never;
export type Domain = DomainOf<CallChannel | EventChannel>;

/** Splits `domain:name` into its parts. */
export const splitChannel = (channel: string): { domain: string; name: string } => {
  const at = channel.indexOf(':');
  return { domain: channel.slice(0, at), name: channel.slice(at + 1) };
};

export type Unsubscribe = () => void;

/**
 * The API object the renderer uses: `api.app.info({})`, `api.app.onLog(listener)`. The preload
 * exposes exactly this shape on `window.sonofuse`, one function per channel; the browser transport
 * builds the same shape over the WebSocket.
 */
export type SonoFuseApi = {
  [D in Domain]: {
    [C in CallChannel as DomainOf<C> extends D ? NameOf<C> : never]: (
      input: CallInput<C>,
    ) => Promise<Result<CallOutput<C>>>;
  } & {
    [E in EventChannel as DomainOf<E> extends D ? NameOf<E> : never]: (
      listener: (payload: EventPayload<E>) => void,
    ) => Unsubscribe;
  };
};

export * from './result';
export * from './define';
export * from './app';
export * from './assistant';
export * from './augment';
export * from './catalog';
export * from './demo';
export * from './jobs';
export * from './run';
export * from './run-intervals';
export * from './ws-envelope';
