import type { BackendInstaller, SelectBackendOptions, SelectedBackend } from '../backend/select-backend';
import { NoBackendError, selectBackend } from '../backend/select-backend';
import type { EngineBackendName } from '../backend/backend-candidates';
import { CheckpointCorruptError } from '../train/checkpoint-file';
import { isOutOfMemoryError } from '../train/fit-losses';
import type { JobRegistry } from './job-registry';
import type { FromTrainerMessage } from './trainer-protocol';
import type { TrainerErrorCode } from './trainer-protocol';
import { ToTrainerMessage } from './trainer-protocol';
import type { ParentPort } from './trainer-transport';

/** Options of {@link runTrainer}. */
export interface TrainerRuntimeOptions {
  registry: JobRegistry;
  /** Backend-specific setup run after selection (e.g. the wasm training kernels). */
  installers?: Partial<Record<EngineBackendName, readonly BackendInstaller[]>>;
  /** Injected in tests; default {@link selectBackend}. */
  select?: (options: SelectBackendOptions) => Promise<SelectedBackend>;
}

const classify = (err: unknown): TrainerErrorCode => {
  if (err instanceof NoBackendError) return 'no-backend';
  if (err instanceof CheckpointCorruptError) return 'checkpoint-corrupt';
  if (isOutOfMemoryError(err)) return 'out-of-memory';
  return 'job-failed';
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 4000);

/**
 * The trainer process's logic, transport-free so tests can drive it in-process: says `hello` once
 * it listens, waits for one `start`, validates it, selects the backend, reports `ready`, runs the job and ends with exactly
 * one of `result`, `cancelled` or `error`. `cancel` aborts the job's signal (cooperative: the fit
 * loop stops at the next batch boundary and checkpoints). Resolves when the final message is sent.
 */
export const runTrainer = (port: ParentPort, options: TrainerRuntimeOptions): Promise<void> =>
  new Promise((resolveDone) => {
    const controller = new AbortController();
    let started = false;
    const send = (m: FromTrainerMessage) => port.send(m).catch(() => undefined);
    const finish = async (m: FromTrainerMessage) => {
      await send(m);
      resolveDone();
    };

    const run = async (start: Extract<ToTrainerMessage, { type: 'start' }>) => {
      const { job } = start;
      const kind = options.registry.get(job.kind);
      if (!kind)
        return finish({
          type: 'error',
          jobId: job.id,
          code: 'unknown-job-kind',
          message: `unknown job kind '${job.kind}' (known: ${options.registry.kinds().join(', ')})`,
        });
      const parsed = kind.config.safeParse(job.config);
      if (!parsed.success)
        return finish({
          type: 'error',
          jobId: job.id,
          code: 'invalid-config',
          message: parsed.error.message,
        });
      try {
        const selected = await (options.select ?? selectBackend)({
          order: start.backendOrder,
          installers: options.installers,
        });
        await send({ type: 'ready', jobId: job.id, backend: selected.backend, attempts: selected.attempts });
        const outcome = await kind.run(parsed.data, {
          tf: selected.tf,
          backend: selected.backend,
          runDir: start.runDir,
          resume: start.resume,
          signal: controller.signal,
          progress: (progress) => void send({ type: 'progress', jobId: job.id, progress }),
          checkpoint: (c) => void send({ type: 'checkpoint', jobId: job.id, ...c }),
          log: (level, message) => void send({ type: 'log', level, message: message.slice(0, 2000) }),
        });
        if (outcome.status === 'cancelled')
          return finish({ type: 'cancelled', jobId: job.id, checkpointPath: outcome.checkpointPath });
        return finish({ type: 'result', jobId: job.id, result: outcome.result });
      } catch (err) {
        return finish({ type: 'error', jobId: job.id, code: classify(err), message: messageOf(err) });
      }
    };

    port.onMessage((raw) => {
      const parsed = ToTrainerMessage.safeParse(raw);
      if (!parsed.success) {
        void send({ type: 'error', jobId: null, code: 'bad-message', message: parsed.error.message });
        return;
      }
      const message = parsed.data;
      if (message.type === 'cancel') {
        controller.abort();
        // A cancel before any start ends the process too: nothing to checkpoint.
        if (!started) void finish({ type: 'cancelled', jobId: '', checkpointPath: null });
        return;
      }
      if (started) {
        void send({
          type: 'error',
          jobId: message.job.id,
          code: 'bad-message',
          message: 'a job is already running',
        });
        return;
      }
      started = true;
      void run(message);
    });
    void send({ type: 'hello', pid: process.pid, kinds: options.registry.kinds() });
  });
