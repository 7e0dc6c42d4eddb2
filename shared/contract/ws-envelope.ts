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
