import { utilityProcess } from 'electron';
import type { TrainerExit, TrainerTransport } from '../engine/trainer/trainer-transport';

export interface UtilityTransportOptions {
  /** The bundled trainer entry (out/trainer/trainer-entry.cjs in the desktop app). */
  entry: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The trainer in an Electron `utilityProcess` (a Node process Chromium's process model owns, so a
 * training crash never takes the window with it). Same five members as the child-process
 * transport; the trainer side talks through `process.parentPort`.
 */
export const createUtilityProcessTransport = (options: UtilityTransportOptions): TrainerTransport => {
  const child = utilityProcess.fork(options.entry, [], {
    serviceName: 'SonoFuse trainer',
    stdio: 'pipe',
    env: { ...(options.env ?? process.env), SONOFUSE_TRAINER_PORT: 'electron-utility' },
  });
  const exitListeners: Array<(e: TrainerExit) => void> = [];
  let exited: TrainerExit | null = null;
  let killedWith: string | null = null;
  child.on('exit', (code: number) => {
    if (exited) return;
    exited = { code, signal: killedWith };
    for (const l of exitListeners) l(exited);
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => {
      if (!exited) child.postMessage(message);
    },
    onMessage: (listener) => void child.on('message', (message: unknown) => listener(message)),
    onOutput: (listener) => {
      child.stdout?.on('data', (d: Buffer) => listener(d.toString('utf8')));
      child.stderr?.on('data', (d: Buffer) => listener(d.toString('utf8')));
    },
    onExit: (listener) => {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    kill: (signal = 'SIGTERM') => {
      killedWith = signal;
      child.kill();
    },
  };
};
