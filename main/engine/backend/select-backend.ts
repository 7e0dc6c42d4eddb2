import type { BackendCandidate, EngineBackendName } from './backend-candidates';
import {
  BACKEND_CANDIDATES,
  BackendUnavailableError,
  DEFAULT_BACKEND_ORDER,
  firstLine,
} from './backend-candidates';
import type { BackendLoaders, TfNamespace } from './backend-loaders';
import { createNodeBackendLoaders } from './backend-loaders';

/**
 * Extra setup for one backend once it is active, e.g. the wasm training kernels
 * (`installWasmTrainingKernels`). A failing required installer makes that backend count as
 * unusable (the next one is tried, and the attempt says why); a failing `optional` one is noted in
 * the reason and the backend is kept.
 */
export interface BackendInstaller {
  /** Shown in the attempt's reason, e.g. `sonofuse-wasm-kernels`. */
  readonly name: string;
  readonly optional?: boolean;
  /** May answer a detail for the reason, e.g. `SIMD, relaxed-SIMD FMA` (which kernel build). */
  install(tf: TfNamespace): void | string | Promise<void | string>;
}

/** One tried backend and, in words a user or IT person can act on, why it was or was not chosen. */
export interface BackendAttempt {
  name: EngineBackendName;
  ok: boolean;
  reason: string;
  /** Milliseconds spent on this attempt (resolution, loading, initialisation, installers). */
  ms: number;
}

/** Options of {@link selectBackend}; everything optional. */
export interface SelectBackendOptions {
  /** Preference order; default {@link DEFAULT_BACKEND_ORDER}. */
  order?: readonly EngineBackendName[];
  /** Installers run after a backend activates, per backend name, in order. */
  installers?: Partial<Record<EngineBackendName, readonly BackendInstaller[]>>;
  /** Injected in tests; default {@link createNodeBackendLoaders}. */
  loaders?: BackendLoaders;
  /** Replace or add table rows (tests, or a backend under development). */
  candidates?: Partial<Record<EngineBackendName, BackendCandidate>>;
  now?: () => number;
}

/** The chosen backend, the tf namespace switched onto it, and every attempt in order. */
export interface SelectedBackend {
  backend: EngineBackendName;
  tf: TfNamespace;
  attempts: BackendAttempt[];
}

/** Thrown when no backend in the order works; carries the attempts for the error report. */
export class NoBackendError extends Error {
  override readonly name = 'NoBackendError';
  constructor(readonly attempts: BackendAttempt[]) {
    super(`no usable backend: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
  }
}

const NATIVE_LOAD = /\.node\b|dlopen|shared object|ELF|DLL|The specified module could not be found|napi/i;
const CUDA_LOAD = /libcud|cudnn|CUDA|nvidia/i;

/** Turns a load error into the reason the user sees. */
export const describeLoadError = (err: unknown, packages: readonly string[]): string => {
  if (err instanceof BackendUnavailableError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  const line = firstLine(err);
  if (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    packages.some((p) => line.includes(p))
  )
    return 'not installed';
  if (CUDA_LOAD.test(line)) return `CUDA libraries failed to load: ${line}`;
  if (NATIVE_LOAD.test(line)) return `native binding failed to load: ${line}`;
  return `failed to load: ${line}`;
};

const tryCandidate = async (
  candidate: BackendCandidate,
  loaders: BackendLoaders,
  installers: readonly BackendInstaller[],
): Promise<{ ok: true; tf: TfNamespace; reason: string } | { ok: false; reason: string }> => {
  const manifests: Record<string, string> = {};
  for (const pkg of candidate.packages) {
    const manifest = loaders.resolvePackage(pkg);
    if (!manifest)
      return { ok: false, reason: pkg === candidate.packages[0] ? 'not installed' : `${pkg} not installed` };
    manifests[pkg] = manifest;
  }
  let active: { tf: TfNamespace; detail: string };
  try {
    active = await candidate.activate({ loaders, manifests });
  } catch (err) {
    return { ok: false, reason: describeLoadError(err, candidate.packages) };
  }
  const notes: string[] = [];
  for (const installer of installers) {
    try {
      const detail = await installer.install(active.tf);
      notes.push(`installed ${installer.name}${detail ? ` (${detail})` : ''}`);
    } catch (err) {
      if (!installer.optional)
        return { ok: false, reason: `installer ${installer.name} failed: ${firstLine(err)}` };
      notes.push(`without ${installer.name} (${firstLine(err)})`);
    }
  }
  const extra = notes.map((n) => `; ${n}`).join('');
  return { ok: true, tf: active.tf, reason: `selected: ${active.detail}${extra}` };
};

/**
 * Picks the first backend in `order` that loads and initialises, runs its installers, and says why
 * each earlier one was skipped. Absent packages are detected by module resolution (no load, no
 * crash); a native binding that fails to load is reported, not thrown. Later entries are not tried.
 * Throws {@link NoBackendError} when none works.
 */
export const selectBackend = async (options: SelectBackendOptions = {}): Promise<SelectedBackend> => {
  const loaders = options.loaders ?? createNodeBackendLoaders();
  const now = options.now ?? (() => performance.now());
  const table = { ...BACKEND_CANDIDATES, ...options.candidates };
  const attempts: BackendAttempt[] = [];
  for (const name of options.order ?? DEFAULT_BACKEND_ORDER) {
    const candidate = table[name];
    const start = now();
    const outcome = candidate
      ? await tryCandidate(candidate, loaders, options.installers?.[name] ?? [])
      : { ok: false as const, reason: 'unknown backend name' };
    attempts.push({ name, ok: outcome.ok, reason: outcome.reason, ms: Math.round(now() - start) });
    if (outcome.ok) return { backend: name, tf: outcome.tf, attempts };
  }
  throw new NoBackendError(attempts);
};
