import { z } from 'zod';
import { LabelConflict } from './label-conflict';

export { LabelConflict } from './label-conflict';

/**
 * Error codes that may cross a transport boundary. Handlers never throw across IPC or the
 * WebSocket host: every answer is a {@link Result}, and failures carry one of these codes so the
 * UI can react to the kind of failure rather than parse a message.
 */
export const errorCodes = [
  'INVALID_INPUT',
  'INVALID_OUTPUT',
  'UNKNOWN_CHANNEL',
  'MALFORMED_MESSAGE',
  'UNAUTHORIZED',
  'FORBIDDEN_ORIGIN',
  'FORBIDDEN_SENDER',
  /** The caller's role may not do this (e.g. a labeler adjudicating: only reviewers decide). */
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'CANCELLED',
  'UNAVAILABLE',
  /** The call exists but this shell cannot serve it (e.g. a native dialog in browser mode). */
  'NOT_SUPPORTED',
  'TRANSPORT_CLOSED',
  /** The answer (or the request) is larger than a transport carries; nothing was sent whole. */
  'RESPONSE_TOO_LARGE',
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** CONFLICT on a label write: the current state of each image the write lost to (at most 1,000). */
  conflicts: z.array(LabelConflict).max(1000).optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** The only shape an answer to a call may take, on every transport. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (
  code: ErrorCode,
  message: string,
  conflicts?: readonly LabelConflict[],
): Result<never> => ({
  ok: false,
  error: conflicts ? { code, message, conflicts: conflicts.slice(0, 1000) } : { code, message },
});

/** Schema of a serialized Result, used by transports to check what arrives from the other side. */
export const ResultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorShape }),
]);

/**
 * An error a service may throw to choose the code the caller sees. Anything else thrown inside a
 * handler is reported as INTERNAL with a generic message (details go to the local log only).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** Set on a CONFLICT from a stale label write: what the write lost to. */
  readonly conflicts?: readonly LabelConflict[];
  constructor(code: ErrorCode, message: string, conflicts?: readonly LabelConflict[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    if (conflicts) this.conflicts = conflicts;
  }
}
