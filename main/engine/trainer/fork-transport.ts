import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relaxedSimdExecArgv } from '../wasm/relaxed-simd';
import type { ParentPort, TrainerExit, TrainerTransport } from './trainer-transport';

/** Options of {@link createForkTransport}. */
export interface ForkTransportOptions {
  /** Script to run; default main/trainer-process/trainer-entry.ts (the app's job kinds). */
  entry?: string;
  /**
   * Node flags; default loads tsx so the TypeScript entry runs without a build, plus V8's
   * relaxed-SIMD flag where this Node needs it (the wasm kernels' FMA build; V8 flags are per
   * process, so the trainer's replica threads get it too).
   */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** `--import <tsx loader URL>`, resolved from this package so it works from any cwd. */
export const tsxExecArgv = (): string[] => {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  return ['--import', pathToFileURL(join(dirname(manifest), 'dist', 'loader.mjs')).href];
};

/**
 * The trainer entry script, main/trainer-process/trainer-entry.ts: it lives above the engine
 * because it registers the app's job kinds (the engine only runs them), so it is found by path.
 */
export const defaultTrainerEntry = (): string =>
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'trainer-process', 'trainer-entry.ts');

/**
 * Runs the trainer as a Node child process (CLI and browser mode) with an IPC channel. stdout and
 * stderr are piped and handed to `onOutput` so a crash report can quote them.
 */
export const createForkTransport = (options: ForkTransportOptions = {}): TrainerTransport => {
  const child = fork(options.entry ?? defaultTrainerEntry(), [], {
    execArgv: options.execArgv ?? [...relaxedSimdExecArgv(), ...tsxExecArgv()],
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const exitListeners: Array<(e: TrainerExit) => void> = [];
  let exited: TrainerExit | null = null;
  const finish = (e: TrainerExit) => {
    if (exited) return;
    exited = e;
    for (const l of exitListeners) l(e);
  };
  // 'close', not 'exit': it waits for stdio AND the IPC channel, so a final message sent just
  // before the process exits is always delivered before the exit is reported.
  child.on('close', (code, signal) => finish({ code, signal }));
  child.on('error', (err) => {
    // A spawn failure never produces 'exit'; any other error (e.g. send after death) is followed by it.
    if (child.pid === undefined) finish({ code: null, signal: `spawn failed: ${err.message}` });
  });
  return {
    get pid() {
      return child.pid;
    },
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => void child.on('message', listener),
    onOutput: (listener) => {
      child.stdout?.on('data', (d: Buffer) => listener(d.toString('utf8')));
      child.stderr?.on('data', (d: Buffer) => listener(d.toString('utf8')));
    },
    onExit: (listener) => {
      if (exited) listener(exited);
      else exitListeners.push(listener);
    },
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
};

/** The trainer side of a forked child: `process.send` / `process.on('message')`. */
export const createProcessParentPort = (): ParentPort => {
  if (!process.send) throw new Error('the trainer must be started with an IPC channel (child_process.fork)');
  return {
    send: (message) =>
      new Promise((resolve, reject) => {
        process.send!(message, undefined, {}, (err) => (err ? reject(err) : resolve()));
      }),
    onMessage: (listener) => void process.on('message', listener),
  };
};
