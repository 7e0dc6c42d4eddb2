/**
 * The preload: a thin bridge, nothing more. It exposes `window.sonofuse`, built from the contract
 * with one function per call (each bound to its own fixed channel via ipcRenderer.invoke) and one
 * `onX(listener)` per event. There is no generic invoke, no sendSync, and no Electron object is
 * handed to the page. Input validation happens in main.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi } from '../../shared/contract/build-api';
import { eventChannels, type Result } from '../../shared/contract/index';

const api = buildApi({
  call: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
  subscribe: (channel, listener) => {
    if (!eventChannels.includes(channel)) throw new Error(`unknown event ${channel}`);
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
});

contextBridge.exposeInMainWorld('sonofuse', api);
