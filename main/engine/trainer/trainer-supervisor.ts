import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineBackendName } from '../backend/backend-candidates';
import { writeFileAtomic } from '../train/checkpoint-file';
import { createForkTransport } from './fork-transport';
import type { FromTrainerMessage, FromTrainerOf, TrainerFailureCode } from './trainer-protocol';
import { FromTrainerMessage as FromTrainerSchema, TrainerJob } from './trainer-protocol';
import type { TrainerExit, TrainerTransportFactory } from './trainer-transport';

/** How a supervised job ended. Never a thrown Error: failures are data with a typed code. */
export type TrainerOutcome =
  | { status: 'completed'; jobId: string; result: unknown; backend: EngineBackendName | null }
  | { status: 'cancelled'; jobId: string; checkpointPath: string | null }
  | { status: 'failed'; jobId: string; error: { code: TrainerFailureCode; message: string } };

type EventType = 'hello' | 'ready' | 'progress' | 'checkpoint' | 'log';

/** One running job: typed events, cancel, and the outcome (settles once the process is gone). */
export interface TrainerRun {
  readonly jobId: string;
  readonly runDir: string;
  on<T extends EventType>(type: T, listener: (message: FromTrainerOf<T>) => void): () => void;
  /** Cooperative: the job stops at the next batch boundary and checkpoints. */
  cancel(): void;
  /** Hard stop (tests, shutdown). The outcome then reports a crash. */
  kill(signal?: NodeJS.Signals): void;
  readonly outcome: Promise<TrainerOutcome>;
}

/** Options of {@link createTrainerSupervisor}. */
export interface TrainerSupervisorOptions {
  /** Default: a Node child process running trainer-entry.ts through tsx. */
  transport?: TrainerTransportFactory;
  /** Backend preference passed to every job (default: the trainer's own default order). */
  backendOrder?: EngineBackendName[];
  /** After the final message, how long the process may take to exit before it is killed (ms). */
  exitGraceMs?: number;
  /** How long a new process may take to say hello before it counts as failed to start (ms). */
  helloTimeoutMs?: number;
}

/** Starts trainer processes and supervises them. One process per job. */
export interface TrainerSupervisor {
  /** Writes `job.json` into runDir (so the run can be resumed) and starts the job fresh or resumed. */
  start(
    job: TrainerJob,
    options: { runDir: string; resume?: boolean; backendOrder?: EngineBackendName[] },
  ): Promise<TrainerRun>;
  /** Restarts the job stored in runDir from its latest checkpoint (after a crash or cancel). */
  resume(runDir: string): Promise<TrainerRun>;
}

const OUTPUT_TAIL = 2000;

/**
 * The main process's side of training: starts a trainer process per job, validates everything it
 * says, turns it into typed events, and turns every ending into a {@link TrainerOutcome} — including
 * a process that exits or is killed without a final message (`crashed`, with the tail of its
 * output) and one that says something off-protocol (`protocol-error`, process killed).
 */
export const createTrainerSupervisor = (options: TrainerSupervisorOptions = {}): TrainerSupervisor => {
  const makeTransport = options.transport ?? (() => createForkTransport());
  const grace = options.exitGraceMs ?? 5000;
  const helloTimeout = options.helloTimeoutMs ?? 60_000;

  const launch = (
    job: TrainerJob,
    runDir: string,
    resume: boolean,
    backendOrder = options.backendOrder,
  ): TrainerRun => {
    const transport = makeTransport();
    const listeners = new Map<EventType, Set<(m: FromTrainerMessage) => void>>();
    let output = '';
    let final: TrainerOutcome | null = null;
    let backend: EngineBackendName | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    let listening = false;
    let cancelRequested = false;
    const helloTimer = setTimeout(() => {
      settleWith({
        status: 'failed',
        jobId: job.id,
        error: { code: 'spawn-failed', message: `trainer process did not start within ${helloTimeout} ms` },
      });
      transport.kill('SIGKILL');
    }, helloTimeout);
    helloTimer.unref();

    const settleWith = (outcome: TrainerOutcome) => {
      if (final) return;
      final = outcome;
      graceTimer = setTimeout(() => transport.kill('SIGKILL'), grace);
      graceTimer.unref();
    };

    const outcome = new Promise<TrainerOutcome>((resolve) => {
      transport.onExit((exit: TrainerExit) => {
        clearTimeout(graceTimer);
        clearTimeout(helloTimer);
        if (final) return resolve(final);
        const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
        const code: TrainerFailureCode = exit.signal?.startsWith('spawn failed') ? 'spawn-failed' : 'crashed';
        const tail = output.trim().split('\n').slice(-8).join('\n');
        resolve({
          status: 'failed',
          jobId: job.id,
          error: {
            code,
            message: `trainer process ${how} before finishing${tail ? `; last output:\n${tail}` : ''}`,
          },
        });
      });
    });

    transport.onOutput((text) => {
      output = (output + text).slice(-OUTPUT_TAIL);
    });
    transport.onMessage((raw) => {
      const parsed = FromTrainerSchema.safeParse(raw);
      if (!parsed.success) {
        settleWith({
          status: 'failed',
          jobId: job.id,
          error: { code: 'protocol-error', message: `invalid message from trainer: ${parsed.error.message}` },
        });
        transport.kill('SIGKILL');
        return;
      }
      const m = parsed.data;
      switch (m.type) {
        case 'result':
          return settleWith({ status: 'completed', jobId: job.id, result: m.result, backend });
        case 'cancelled':
          return settleWith({ status: 'cancelled', jobId: job.id, checkpointPath: m.checkpointPath });
        case 'error':
          return settleWith({ status: 'failed', jobId: job.id, error: { code: m.code, message: m.message } });
        case 'hello':
          // The process listens now: hand it the job (messages sent earlier could be lost).
          listening = true;
          clearTimeout(helloTimer);
          transport.send(
            cancelRequested ? { type: 'cancel' } : { type: 'start', job, runDir, resume, backendOrder },
          );
          break;
        case 'ready':
          backend = m.backend;
          break;
        default:
          break;
      }
      for (const l of listeners.get(m.type as EventType) ?? []) l(m);
    });

    return {
      jobId: job.id,
      runDir,
      on: (type, listener) => {
        const set = listeners.get(type) ?? new Set();
        listeners.set(type, set);
        const l = listener as (m: FromTrainerMessage) => void;
        set.add(l);
        return () => set.delete(l);
      },
      cancel: () => {
        cancelRequested = true;
        if (listening) transport.send({ type: 'cancel' });
      },
      kill: (signal = 'SIGKILL') => transport.kill(signal),
      outcome,
    };
  };

  const jobFile = (runDir: string) => join(runDir, 'job.json');
  return {
    async start(job, { runDir, resume = false, backendOrder }) {
      const valid = TrainerJob.parse(job);
      await writeFileAtomic(jobFile(runDir), Buffer.from(JSON.stringify(valid)));
      return launch(valid, runDir, resume, backendOrder);
    },
    async resume(runDir) {
      const job = TrainerJob.parse(JSON.parse(await readFile(jobFile(runDir), 'utf8')));
      return launch(job, runDir, true);
    },
  };
};
