import type { z } from 'zod';
import type { EngineBackendName } from '../backend/backend-candidates';
import type { FitProgress, Tf } from '../train/fit-types';

/** What a running job may use and report through; the runtime turns the reports into messages. */
export interface JobContext {
  tf: Tf;
  backend: EngineBackendName;
  runDir: string;
  /** Continue from the run folder's checkpoint (a resume after a crash or cancel). */
  resume: boolean;
  signal: AbortSignal;
  progress(progress: FitProgress): void;
  checkpoint(info: { path: string; epoch: number; offset: number }): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/** How a job ended when it did not throw. `result` must be JSON-serialisable. */
export type JobOutcome =
  { status: 'completed'; result: unknown } | { status: 'cancelled'; checkpointPath: string | null };

/**
 * One kind of work the trainer knows. The generic `tiny-dense` job is registered for tests and
 * smoke checks; issue 9's two-stage run registers its own kind with its own config schema.
 */
export interface JobKind<C = unknown> {
  readonly kind: string;
  readonly config: z.ZodType<C>;
  run(config: C, ctx: JobContext): Promise<JobOutcome>;
}

/** The job kinds a trainer process can run, by name. */
export interface JobRegistry {
  get(kind: string): JobKind | undefined;
  kinds(): string[];
}

/** Builds a registry; a duplicate kind name is a programming error. */
export const createJobRegistry = (kinds: readonly JobKind[]): JobRegistry => {
  const byName = new Map<string, JobKind>();
  for (const k of kinds) {
    if (byName.has(k.kind)) throw new Error(`job kind '${k.kind}' registered twice`);
    byName.set(k.kind, k);
  }
  return { get: (kind) => byName.get(kind), kinds: () => [...byName.keys()].sort() };
};

/**
 * Declares a job kind with a typed config and erases the type for the registry. Safe because the
 * runtime only calls `run` with what `config.safeParse` returned.
 */
export const defineJobKind = <C>(kind: JobKind<C>): JobKind => ({
  kind: kind.kind,
  config: kind.config as z.ZodType<unknown>,
  run: (config, ctx) => kind.run(config as C, ctx),
});
