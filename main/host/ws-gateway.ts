import type { WebSocket } from 'ws';
import { ClientFrame, type ServerFrame } from '../../shared/contract/index';
import type { AppCore } from '../contract-server/create-app-core';
import type { Logger } from '../core/logger';

/** What one socket may send and receive; the defaults suit the app, tests shrink them. */
export interface SocketLimits {
  /** Largest frame a client may send (the WebSocket server's maxPayload), in bytes. */
  maxInboundBytes: number;
  /** Largest frame the host sends; a larger answer becomes a RESPONSE_TOO_LARGE error. */
  maxOutboundBytes: number;
  /** Calls one socket may have in flight; more are answered UNAVAILABLE at once. */
  maxCallsInFlight: number;
  /** Bytes queued to a client that does not read; past this the socket is closed (1008). */
  maxBufferedBytes: number;
}

/**
 * 4 MiB in (100,000 image ids or 10,000 paths fit; a note is capped at 100,000 characters) and
 * 64 MiB out: far above any page or detail the app asks for, and far below the ~512 M characters
 * where V8 cannot build the string at all (`RangeError: Invalid string length`).
 */
export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxInboundBytes: 4 * 1024 * 1024,
  maxOutboundBytes: 64 * 1024 * 1024,
  maxCallsInFlight: 64,
  maxBufferedBytes: 256 * 1024 * 1024,
};

/** Serialises a frame for the wire, or says why it cannot go: never throws. */
export const encodeFrame = (
  frame: ServerFrame,
  maxBytes: number,
): { ok: true; text: string } | { ok: false; reason: 'too-large' | 'unserialisable' } => {
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (error) {
    return { ok: false, reason: error instanceof RangeError ? 'too-large' : 'unserialisable' };
  }
  // Cheap bound first: a UTF-8 byte count is at most three per UTF-16 unit.
  if (text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes)
    return { ok: false, reason: 'too-large' };
  return { ok: true, text };
};

/**
 * Serves the contract over one authenticated WebSocket: parses frames, dispatches calls, forwards
 * events. A malformed frame is answered with a typed error frame and the socket stays open; an
 * answer too large to send is replaced by a RESPONSE_TOO_LARGE result for the same call id; no
 * input and no answer can throw out of here or leave a rejected promise behind.
 */
export const attachContractSocket = (
  socket: WebSocket,
  core: AppCore,
  peer: string,
  limits: SocketLimits = DEFAULT_SOCKET_LIMITS,
): void => {
  const logger: Logger = core.services.logger;
  let inFlight = 0;

  const write = (text: string): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + text.length > limits.maxBufferedBytes) {
      logger.warn('host', `client ${peer} does not read its answers: closing it`);
      socket.close(1008, 'Too much unread data');
      return;
    }
    try {
      socket.send(text, (error) => {
        if (error) logger.debug('host', `send to ${peer} failed: ${error.message}`);
      });
    } catch (error) {
      logger.debug('host', `send to ${peer} failed: ${(error as Error).message}`);
    }
  };

  const send = (frame: ServerFrame): void => {
    const encoded = encodeFrame(frame, limits.maxOutboundBytes);
    if (encoded.ok) return write(encoded.text);
    const what = frame.type === 'result' ? `answer to call ${frame.id}` : `${frame.type} frame`;
    logger.warn('host', `${what} for ${peer} not sent: ${encoded.reason}`);
    if (frame.type !== 'result') return;
    const error = {
      code: encoded.reason === 'too-large' ? ('RESPONSE_TOO_LARGE' as const) : ('INTERNAL' as const),
      message:
        encoded.reason === 'too-large'
          ? `The answer is larger than ${Math.round(limits.maxOutboundBytes / 1048576)} MiB and was not sent.`
          : 'The answer could not be encoded; see the log for details.',
    };
    write(JSON.stringify({ type: 'result', id: frame.id, result: { ok: false, error } }));
  };

  const detach = core.events.attach((channel, payload) => send({ type: 'event', channel, payload }));
  socket.on('close', detach);
  socket.on('error', detach);
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      send({
        type: 'error',
        error: { code: 'MALFORMED_MESSAGE', message: 'Binary frames are not accepted.' },
      });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      send({ type: 'error', error: { code: 'MALFORMED_MESSAGE', message: 'Frame is not valid JSON.' } });
      return;
    }
    const frame = ClientFrame.safeParse(json);
    if (!frame.success) {
      const id = (json as { id?: unknown })?.id;
      const error = {
        code: 'MALFORMED_MESSAGE' as const,
        message: 'Frame does not match the call envelope.',
      };
      if (Number.isSafeInteger(id) && (id as number) >= 0)
        send({ type: 'result', id: id as number, result: { ok: false, error } });
      else send({ type: 'error', error });
      return;
    }
    const { id, channel, input } = frame.data;
    if (inFlight >= limits.maxCallsInFlight) {
      send({
        type: 'result',
        id,
        result: {
          ok: false,
          error: { code: 'UNAVAILABLE', message: `More than ${limits.maxCallsInFlight} calls in flight.` },
        },
      });
      return;
    }
    inFlight++;
    core.dispatcher
      .dispatch(channel, input, { transport: 'ws', peer })
      .catch((error: unknown) => {
        // The dispatcher never rejects by contract; should one ever, the caller still gets an answer.
        logger.error('host', `dispatch of a ${peer} call rejected: ${(error as Error)?.message ?? error}`);
        return {
          ok: false as const,
          error: { code: 'INTERNAL' as const, message: 'The call failed unexpectedly.' },
        };
      })
      .then((result) => send({ type: 'result', id, result }))
      .finally(() => inFlight--);
  });
};
