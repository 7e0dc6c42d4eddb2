import { z } from 'zod';
import { AppErrorShape, ResultEnvelope } from './result';

/**
 * Frames of the browser transport (WebSocket to the loopback host). Electron IPC does not use
 * these: it carries the same calls and Results natively.
 */
export const ClientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('call'),
    id: z.number().int().nonnegative(),
    channel: z.string().max(100),
    input: z.unknown(),
  }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), result: ResultEnvelope }),
  z.object({ type: z.literal('event'), channel: z.string(), payload: z.unknown() }),
  /** A frame the host could not attribute to a call (not JSON, wrong shape). */
  z.object({ type: z.literal('error'), error: AppErrorShape }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** Sub-protocol name both sides agree on; the token travels in the `token` query parameter. */
export const WS_PATH = '/ws';
export const WS_PROTOCOL = 'sonofuse.v1';

/**
 * The browser mode's launch exchange. The host opens (or prints) `/#launch=<code>`: a one-time code
 * valid for a short time. The page POSTs it to {@link SESSION_PATH} in the {@link LAUNCH_HEADER}
 * header and receives the launch's token ({@link SessionGrant}, in a Result envelope); the code is
 * spent at the first attempt. So the token itself never appears on a command line or in a URL
 * the browser keeps.
 */
export const SESSION_PATH = '/session';
export const LAUNCH_HEADER = 'x-sonofuse-launch';
export const LaunchCode = z.string().regex(/^[0-9a-f]{32}$/);
export const SessionGrant = z.object({ token: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type SessionGrant = z.infer<typeof SessionGrant>;
