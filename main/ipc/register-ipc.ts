import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { callChannels, fail, type EventChannel } from '../../shared/contract/index';
import type { AppCore } from '../contract-server/create-app-core';

/** Decides whether an IPC message comes from our own renderer (not a foreign frame). */
export type SenderCheck = (senderUrl: string | undefined) => boolean;

/**
 * Registers one `ipcMain.handle` per contract call. Each checks the sending frame's URL, then hands
 * the raw input to the dispatcher (which validates it). Answers are always Results; nothing thrown
 * crosses IPC. Returns a function that removes the handlers.
 */
export const registerIpc = (core: AppCore, isTrustedSender: SenderCheck): (() => void) => {
  for (const channel of callChannels) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      const senderUrl = event.senderFrame?.url;
      if (!isTrustedSender(senderUrl)) {
        core.services.logger.warn('ipc', `refused ${channel} from a foreign frame`);
        return fail('FORBIDDEN_SENDER', 'This window may not call SonoFuse.');
      }
      return core.dispatcher.dispatch(channel, input, { transport: 'ipc', peer: `wc${event.sender.id}` });
    });
  }
  return () => {
    for (const channel of callChannels) ipcMain.removeHandler(channel);
  };
};

/** Forwards contract events to one window's renderer until it is destroyed. */
export const forwardEvents = (core: AppCore, contents: WebContents): (() => void) => {
  const detach = core.events.attach((channel: EventChannel, payload) => {
    if (!contents.isDestroyed()) contents.send(channel, payload);
  });
  contents.once('destroyed', detach);
  return detach;
};
