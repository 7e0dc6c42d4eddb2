import type { ParentPort } from './trainer-transport';

/** Electron's `process.parentPort` inside a utilityProcess (typed here: no Electron import in services). */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The utilityProcess port when this process runs as an Electron utility process, else null. */
export const electronParentPort = (): ElectronParentPort | null =>
  (process as unknown as { parentPort?: ElectronParentPort }).parentPort ?? null;

/**
 * The trainer side of an Electron utilityProcess: messages arrive as `{ data }` events and leave
 * through `postMessage` (synchronous hand-over, so `send` resolves at once).
 */
export const createUtilityParentPort = (port: ElectronParentPort): ParentPort => ({
  send: async (message) => port.postMessage(message),
  onMessage: (listener) => port.on('message', (event) => listener(event.data)),
});
