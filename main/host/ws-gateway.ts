import type { WebSocket } from 'ws';
import { ClientFrame, type ServerFrame } from '../../shared/contract/index';
import type { AppCore } from '../contract-server/create-app-core';

/**
 * Serves the contract over one authenticated WebSocket: parses frames, dispatches calls, forwards
 * events. A malformed frame is answered with a typed error frame and the socket stays open; no
 * input can throw out of here.
 */
export const attachContractSocket = (socket: WebSocket, core: AppCore, peer: string): void => {
  const send = (frame: ServerFrame): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
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
      if (Number.isInteger(id) && (id as number) >= 0)
        send({ type: 'result', id: id as number, result: { ok: false, error } });
      else send({ type: 'error', error });
      return;
    }
    const { id, channel, input } = frame.data;
    void core.dispatcher
      .dispatch(channel, input, { transport: 'ws', peer })
      .then((result) => send({ type: 'result', id, result }));
  });
};
