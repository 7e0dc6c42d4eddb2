import type * as tfjs from '@tensorflow/tfjs';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The tfjs namespace a backend runs on (`@tensorflow/tfjs`, or tfjs-node's re-export of it). */
export type TfNamespace = typeof tfjs;

/**
 * How backend selection touches the outside world. Injected so tests can fake absent packages,
 * broken native bindings and missing GPUs without installing anything.
 */
export interface BackendLoaders {
  /** Absolute path of `pkg/package.json`, or null when the package is not installed. Never loads it. */
  resolvePackage(name: string): string | null;
  /** Dynamic import of a package (only called once resolvePackage found it). */
  importModule(name: string): Promise<unknown>;
  /** Whether a CUDA-capable device seems present; a reason when not. Fast, loads no library. */
  cudaDevice(): { present: boolean; detail: string };
}

const defaultResolve = (name: string): string | null => {
  for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return createRequire(base).resolve(`${name}/package.json`);
    } catch {
      // not installed under this root: try the next one
    }
  }
  return null;
};

/** Plain dynamic import, so the package resolves exactly as the rest of the trainer's imports do. */
const defaultImport = (name: string): Promise<unknown> => import(name);

/**
 * Linux: the NVIDIA kernel driver lists GPUs under /proc/driver/nvidia/gpus. Elsewhere we cannot
 * tell cheaply, so we let the CUDA load decide (and report its error).
 */
const defaultCudaDevice = (): { present: boolean; detail: string } => {
  if (process.platform !== 'linux') return { present: true, detail: 'not checked on this platform' };
  const dir = '/proc/driver/nvidia/gpus';
  const gpus = existsSync(dir) ? readdirSync(dir) : [];
  if (gpus.length > 0) return { present: true, detail: `${gpus.length} NVIDIA GPU(s) listed by the driver` };
  return existsSync('/dev/nvidia0')
    ? { present: true, detail: '/dev/nvidia0 present' }
    : { present: false, detail: 'no NVIDIA driver or GPU (/proc/driver/nvidia/gpus is empty)' };
};

/** The real loaders: Node module resolution from the project root, dynamic import, /proc probe. */
export const createNodeBackendLoaders = (): BackendLoaders => ({
  resolvePackage: defaultResolve,
  importModule: defaultImport,
  cudaDevice: defaultCudaDevice,
});

/** The `dist/` folder of an installed package, as a path ending in a separator (setWasmPaths wants a prefix). */
export const packageDistDir = (manifestPath: string): string => join(dirname(manifestPath), 'dist') + '/';
