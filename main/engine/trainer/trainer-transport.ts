import type { FromTrainerMessage, ToTrainerMessage } from './trainer-protocol';

/** How a trainer process ended. */
export interface TrainerExit {
  code: number | null;
  signal: string | null;
}

/**
 * The main-process side of one trainer process. The Node child-process implementation is
 * `createForkTransport`; an Electron `utilityProcess` adapter (main/app or main/ipc, the only
 * places that may import electron) implements the same five members.
 */
export interface TrainerTransport {
  readonly pid: number | undefined;
  send(message: ToTrainerMessage): void;
  /** Raw messages: the supervisor validates them. */
  onMessage(listener: (message: unknown) => void): void;
  /** Text the process wrote to stdout/stderr (tfjs banners, native crash output). */
  onOutput(listener: (text: string) => void): void;
  /** Exactly once, when the process is gone (also after a failed spawn). */
  onExit(listener: (exit: TrainerExit) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts a fresh trainer process. */
export type TrainerTransportFactory = () => TrainerTransport;

/** The trainer-process side: its link to the parent. `send` resolves once the message is handed over. */
export interface ParentPort {
  send(message: FromTrainerMessage): Promise<void>;
  onMessage(listener: (message: unknown) => void): void;
}
