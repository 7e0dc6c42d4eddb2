import { describe, expect, it } from 'vitest';
import type { BackendLoaders, TfNamespace } from '../../../../../main/engine/backend/backend-loaders';
import { NoBackendError, selectBackend } from '../../../../../main/engine/backend/select-backend';
import { defaultTrainerInstallers } from '../../../../../main/engine/trainer/trainer-installers';

/** A fake tf namespace: records the backend it was switched to; `working` lists backends that init. */
const fakeTf = (working: string[]) => {
  const state = { backend: '' };
  const tf = {
    setBackend: async (name: string) => {
      if (!working.includes(name)) return false;
      state.backend = name;
      return true;
    },
    ready: async () => undefined,
    getBackend: () => state.backend,
    env: () => ({ getBool: (flag: string) => flag === 'WASM_HAS_SIMD_SUPPORT' }),
  };
  return tf as unknown as TfNamespace;
};

interface FakeWorld {
  installed: string[];
  importErrors?: Record<string, Error>;
  cuda?: boolean;
  working?: string[];
}

const fakeLoaders = (world: FakeWorld) => {
  const imported: string[] = [];
  const wasmPaths: string[] = [];
  const tf = fakeTf(world.working ?? ['tensorflow', 'wasm', 'cpu']);
  const loaders: BackendLoaders = {
    resolvePackage: (name) => (world.installed.includes(name) ? `/nm/${name}/package.json` : null),
    importModule: async (name) => {
      imported.push(name);
      const err = world.importErrors?.[name];
      if (err) throw err;
      if (name === '@tensorflow/tfjs-backend-wasm') return { setWasmPaths: (p: string) => wasmPaths.push(p) };
      // Dawn on a machine without a GPU driver: loads, finds no adapter.
      if (name === 'webgpu') return { create: () => ({ requestAdapter: async () => null }), globals: {} };
      return { default: tf };
    },
    cudaDevice: () => ({ present: world.cuda ?? false, detail: 'no NVIDIA driver' }),
  };
  return { loaders, imported, wasmPaths, tf };
};

const JS = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];

describe('selectBackend with injected loaders', () => {
  it('falls through absent native packages to wasm without importing them', async () => {
    const { loaders, imported, wasmPaths } = fakeLoaders({ installed: JS });
    const selected = await selectBackend({ loaders });
    expect(selected.backend).toBe('wasm');
    expect(selected.attempts.map((a) => [a.name, a.ok, a.reason])).toEqual([
      ['tfjs-node-gpu', false, 'not installed'],
      ['webgpu', false, '@tensorflow/tfjs-backend-webgpu not installed'],
      ['tfjs-node', false, 'not installed'],
      ['wasm', true, 'selected: WebAssembly SIMD, 1 thread'],
    ]);
    expect(imported).toEqual(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']);
    expect(wasmPaths).toEqual(['/nm/@tensorflow/tfjs-backend-wasm/dist/']);
  });

  it('skips WebGPU with the adapter reason when Dawn finds no GPU, before loading the tfjs backend', async () => {
    const { loaders, imported } = fakeLoaders({
      installed: [...JS, '@tensorflow/tfjs-backend-webgpu', 'webgpu'],
    });
    const selected = await selectBackend({ loaders, order: ['webgpu', 'wasm'] });
    expect(selected.attempts[0]).toMatchObject({ name: 'webgpu', ok: false });
    expect(selected.attempts[0]!.reason).toContain('no WebGPU adapter');
    expect(imported).not.toContain('@tensorflow/tfjs-backend-webgpu');
    expect(selected.backend).toBe('wasm');
  });

  it('skips tfjs-node-gpu without loading it when there is no CUDA device', async () => {
    const { loaders, imported } = fakeLoaders({ installed: ['@tensorflow/tfjs-node-gpu', ...JS] });
    const selected = await selectBackend({ loaders, order: ['tfjs-node-gpu', 'cpu'] });
    expect(selected.attempts[0]).toMatchObject({ ok: false, reason: 'no CUDA device: no NVIDIA driver' });
    expect(imported).not.toContain('@tensorflow/tfjs-node-gpu');
    expect(selected.backend).toBe('cpu');
  });

  it('uses tfjs-node-gpu when a device is present and it initialises', async () => {
    const { loaders } = fakeLoaders({ installed: ['@tensorflow/tfjs-node-gpu', ...JS], cuda: true });
    const selected = await selectBackend({ loaders });
    expect(selected.backend).toBe('tfjs-node-gpu');
    expect(selected.attempts).toHaveLength(1);
  });

  it('reports a native binding or CUDA library that fails to load, and moves on', async () => {
    const { loaders } = fakeLoaders({
      installed: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', ...JS],
      cuda: true,
      importErrors: {
        '@tensorflow/tfjs-node-gpu': new Error('libcudart.so.11.0: cannot open shared object file'),
        '@tensorflow/tfjs-node': new Error(
          'The specified module could not be found.\n\\?\\C:\\app\\tfjs_binding.node',
        ),
      },
    });
    const selected = await selectBackend({ loaders });
    expect(selected.attempts.map((a) => a.reason)).toEqual([
      'CUDA libraries failed to load: libcudart.so.11.0: cannot open shared object file',
      '@tensorflow/tfjs-backend-webgpu not installed',
      'native binding failed to load: The specified module could not be found.',
      'selected: WebAssembly SIMD, 1 thread',
    ]);
  });

  it('treats a module-not-found thrown by the import itself as not installed', async () => {
    const notFound = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node' imported from x"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const { loaders } = fakeLoaders({
      installed: ['@tensorflow/tfjs-node', ...JS],
      importErrors: { '@tensorflow/tfjs-node': notFound },
    });
    const selected = await selectBackend({ loaders, order: ['tfjs-node', 'cpu'] });
    expect(selected.attempts[0]!.reason).toBe('not installed');
  });

  it('runs the installers of the chosen backend with its tf, and falls through when one fails', async () => {
    const { loaders, tf } = fakeLoaders({ installed: JS });
    const seen: unknown[] = [];
    const selected = await selectBackend({
      loaders,
      order: ['wasm', 'cpu'],
      installers: {
        wasm: [
          { name: 'first', install: (t) => void seen.push(t) },
          {
            name: 'training-kernels',
            install: () => {
              throw new Error('kernel module missing');
            },
          },
        ],
        cpu: [{ name: 'cpu-extra', install: () => undefined }],
      },
    });
    expect(seen).toEqual([tf]);
    expect(selected.backend).toBe('cpu');
    expect(selected.attempts[0]!.reason).toBe('installer training-kernels failed: kernel module missing');
    expect(selected.attempts[1]!.reason).toMatch(/; installed cpu-extra$/);
  });

  it('keeps the backend when an optional installer fails, and says so', async () => {
    const { loaders } = fakeLoaders({ installed: JS });
    const selected = await selectBackend({
      loaders,
      order: ['wasm', 'cpu'],
      installers: {
        wasm: [{ name: 'kernels', optional: true, install: () => Promise.reject(new Error('not built')) }],
      },
    });
    expect(selected.backend).toBe('wasm');
    expect(selected.attempts[0]!.reason).toBe(
      'selected: WebAssembly SIMD, 1 thread; without kernels (not built)',
    );
  });

  it('names what an installer installed when it answers a detail (the relaxed-SIMD kernel build)', async () => {
    const { loaders } = fakeLoaders({ installed: JS });
    const selected = await selectBackend({
      loaders,
      order: ['wasm'],
      installers: { wasm: [{ name: 'sonofuse-wasm-kernels', install: () => 'SIMD, relaxed-SIMD FMA' }] },
    });
    expect(selected.attempts[0]!.reason).toBe(
      'selected: WebAssembly SIMD, 1 thread; installed sonofuse-wasm-kernels (SIMD, relaxed-SIMD FMA)',
    );
  });

  it('the trainer’s wasm-kernel installer is optional and explains a missing kernel build', async () => {
    const installer = defaultTrainerInstallers('/nonexistent/sonofuse-kernels.wasm').wasm![0]!;
    expect(installer.optional).toBe(true);
    await expect(Promise.resolve(installer.install({} as TfNamespace))).rejects.toThrow(
      '/nonexistent/sonofuse-kernels.wasm not built (npx tsx main/engine/wasm/build-kernels.ts)',
    );
  });

  it('reports a backend that does not initialise, and throws NoBackendError with all attempts', async () => {
    const { loaders } = fakeLoaders({ installed: JS, working: [] });
    const error = await selectBackend({ loaders, order: ['wasm', 'cpu'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoBackendError);
    expect((error as NoBackendError).attempts.map((a) => a.reason)).toEqual([
      "'wasm' backend failed to initialise",
      "'cpu' backend failed to initialise",
    ]);
  });
});
