import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BackendName, BackendStatus } from '../../shared/contract/index';
import { projectRoot } from './package-info';

/**
 * Finds which optional runtimes are installed WITHOUT loading them: loading tfjs-node-gpu can take
 * seconds (CUDA init) and a broken install must not crash `sonofuse info`. A package counts as
 * available when its native part is on disk; the trainer still verifies it at load time.
 */
export interface BackendProbe {
  probe(): BackendStatus[];
}

type Resolver = (specifier: string) => string;

export interface BackendProbeOptions {
  /** Resolves `pkg/package.json`; tests inject a fake file system layout. */
  resolve?: Resolver;
  exists?: (path: string) => boolean;
  readText?: (path: string) => string;
  listDir?: (path: string) => string[];
}

const defaultResolve: Resolver = (specifier) =>
  createRequire(join(projectRoot(), 'package.json')).resolve(specifier);

export const createBackendProbe = (options: BackendProbeOptions = {}): BackendProbe => {
  const resolve = options.resolve ?? defaultResolve;
  const exists = options.exists ?? existsSync;
  const readText = options.readText ?? ((p: string) => readFileSync(p, 'utf8'));
  const listDir = options.listDir ?? ((p: string) => (existsSync(p) ? readdirSync(p) : []));

  const packageDir = (name: string): { dir: string; version: string } | null => {
    try {
      const manifest = resolve(`${name}/package.json`);
      const version = String(JSON.parse(readText(manifest)).version ?? 'unknown');
      return { dir: dirname(manifest), version };
    } catch {
      return null;
    }
  };

  const status = (
    name: BackendName,
    available: boolean,
    detail: string,
    version: string | null,
  ): BackendStatus => ({
    name,
    available,
    detail,
    version,
  });

  const probeElectron = (): BackendStatus => {
    const pkg = packageDir('electron');
    if (!pkg) return status('electron', false, 'not installed (optional dependency)', null);
    const pathFile = join(pkg.dir, 'path.txt');
    if (!exists(pathFile)) {
      return status(
        'electron',
        false,
        'package present but its binary was never downloaded: run `npm run electron:install` on a machine with internet',
        pkg.version,
      );
    }
    const binary = join(pkg.dir, 'dist', readText(pathFile).trim());
    return exists(binary)
      ? status('electron', true, 'binary installed', pkg.version)
      : status('electron', false, 'binary missing from node_modules/electron/dist', pkg.version);
  };

  const probeTfjsNode = (name: 'tfjs-node-gpu' | 'tfjs-node'): BackendStatus => {
    const pkg = packageDir(`@tensorflow/${name}`);
    if (!pkg)
      return status(
        name,
        false,
        'not installed (optional dependency; its install downloads libtensorflow)',
        null,
      );
    const libDir = join(pkg.dir, 'lib');
    const bindings = listDir(libDir)
      .filter((d) => d.startsWith('napi-v'))
      .map((d) => join(libDir, d, 'tfjs_binding.node'))
      .filter((p) => exists(p));
    if (bindings.length === 0)
      return status(name, false, 'package present but libtensorflow/native binding missing', pkg.version);
    return status(
      name,
      true,
      name === 'tfjs-node-gpu'
        ? 'native binding present; CUDA is checked when the trainer loads it'
        : 'native binding present',
      pkg.version,
    );
  };

  const probeWebgpu = (): BackendStatus => {
    const dawn = packageDir('webgpu');
    const backend = packageDir('@tensorflow/tfjs-backend-webgpu');
    if (!dawn || !backend)
      return status(
        'webgpu',
        false,
        'not installed (optional: npm packages webgpu and @tensorflow/tfjs-backend-webgpu)',
        null,
      );
    const arch = process.platform === 'darwin' ? 'universal' : process.arch;
    const binary = join(dawn.dir, 'dist', `${process.platform}-${arch}`, 'dawn.node');
    if (!exists(binary))
      return status('webgpu', false, `Dawn has no build for ${process.platform}-${arch}`, backend.version);
    return status(
      'webgpu',
      true,
      'Dawn present; whether a GPU adapter exists is checked when the trainer starts',
      backend.version,
    );
  };

  const probeWasm = (): BackendStatus => {
    const pkg = packageDir('@tensorflow/tfjs-backend-wasm');
    if (!pkg) return status('wasm', false, 'not installed', null);
    const simd = join(pkg.dir, 'dist', 'tfjs-backend-wasm-simd.wasm');
    return exists(simd)
      ? status('wasm', true, 'WebAssembly SIMD build present', pkg.version)
      : status('wasm', false, 'package present but its .wasm files are missing', pkg.version);
  };

  return {
    probe: () => [
      probeElectron(),
      probeTfjsNode('tfjs-node-gpu'),
      probeWebgpu(),
      probeTfjsNode('tfjs-node'),
      probeWasm(),
    ],
  };
};
