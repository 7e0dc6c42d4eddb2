import { z } from 'zod';
import { TrainerProgress } from '../../../shared/run/run-progress';

/**
 * The typed message protocol between the main process (supervisor) and the trainer process.
 * Every message is validated with these schemas on receipt, on both sides; types come from
 * `z.infer`, nothing is declared twice.
 */

export const EngineBackendNameSchema = z.enum(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);

/** A unit of work: `kind` picks an entry of the job registry, `config` is validated by that kind. */
export const TrainerJob = z.object({
  id: z.string().min(1).max(128),
  kind: z.string().min(1).max(64),
  config: z.unknown(),
});
export type TrainerJob = z.infer<typeof TrainerJob>;

// ---- main → trainer -------------------------------------------------------------------------

export const StartMessage = z.object({
  type: z.literal('start'),
  job: TrainerJob,
  /** Run folder: checkpoints go here; with `resume` the job continues from its latest one. */
  runDir: z.string().min(1),
  resume: z.boolean(),
  backendOrder: z.array(EngineBackendNameSchema).min(1).optional(),
});
export const CancelMessage = z.object({ type: z.literal('cancel') });
export const ToTrainerMessage = z.discriminatedUnion('type', [StartMessage, CancelMessage]);
export type ToTrainerMessage = z.infer<typeof ToTrainerMessage>;

// ---- trainer → main -------------------------------------------------------------------------

export const BackendAttemptSchema = z.object({
  name: EngineBackendNameSchema,
  ok: z.boolean(),
  reason: z.string(),
  ms: z.number(),
});

/** Progress as the fit loop makes it (one shape end to end, see shared/run/run-progress.ts). */
export const FitProgressSchema = TrainerProgress;

/** Failures the trainer reports itself. */
export const TrainerErrorCode = z.enum([
  'bad-message',
  'unknown-job-kind',
  'invalid-config',
  'no-backend',
  'out-of-memory',
  'checkpoint-corrupt',
  'job-failed',
]);
export type TrainerErrorCode = z.infer<typeof TrainerErrorCode>;
/** Plus what only the supervisor can see: a process that died, never started, or spoke nonsense. */
export const TrainerFailureCode = z.enum([
  ...TrainerErrorCode.options,
  'crashed',
  'spawn-failed',
  'protocol-error',
]);
export type TrainerFailureCode = z.infer<typeof TrainerFailureCode>;

/** First message of every trainer process: it listens now (the supervisor sends `start` after it). */
export const HelloMessage = z.object({
  type: z.literal('hello'),
  pid: z.number().int(),
  kinds: z.array(z.string()),
});
export const ReadyMessage = z.object({
  type: z.literal('ready'),
  jobId: z.string(),
  backend: EngineBackendNameSchema,
  attempts: z.array(BackendAttemptSchema),
});
export const ProgressMessage = z.object({
  type: z.literal('progress'),
  jobId: z.string(),
  progress: FitProgressSchema,
});
export const CheckpointMessage = z.object({
  type: z.literal('checkpoint'),
  jobId: z.string(),
  path: z.string(),
  epoch: z.number().int(),
  offset: z.number().int(),
});
export const LogMessage = z.object({
  type: z.literal('log'),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  /** Never patient data: ids, counts and engine messages only. */
  message: z.string().max(2000),
});
export const ResultMessage = z.object({ type: z.literal('result'), jobId: z.string(), result: z.unknown() });
export const CancelledMessage = z.object({
  type: z.literal('cancelled'),
  jobId: z.string(),
  checkpointPath: z.string().nullable(),
});
export const ErrorMessage = z.object({
  type: z.literal('error'),
  jobId: z.string().nullable(),
  code: TrainerErrorCode,
  message: z.string().max(4000),
});
export const FromTrainerMessage = z.discriminatedUnion('type', [
  HelloMessage,
  ReadyMessage,
  ProgressMessage,
  CheckpointMessage,
  LogMessage,
  ResultMessage,
  CancelledMessage,
  ErrorMessage,
]);
export type FromTrainerMessage = z.infer<typeof FromTrainerMessage>;

/** The message of a given `type`. */
export type FromTrainerOf<T extends FromTrainerMessage['type']> = Extract<FromTrainerMessage, { type: T }>;
