import type { BackendLoaders, TfNamespace } from './backend-loaders';
import { packageDistDir } from './backend-loaders';
import { installWebgpuGlobals, probeWebgpu } from '../gpu/webgpu-backend';

/**
 * Backends the trainer can run on. Adding one (issue 8's `webgpu`) is one name here and one entry in
 * {@link BACKEND_CANDIDATES}.
 */
export type EngineBackendName = 'tfjs-node-gpu' | 'webgpu' | 'tfjs-node' | 'wasm' | 'cpu';

/**
 * Preference order when the caller gives none: CUDA, then any vendor's GPU through WebGPU (Dawn:
 * Vulkan/D3D12/Metal, no CUDA needed), native CPU, WebAssembly, then plain JS.
 */
export const DEFAULT_BACKEND_ORDER: readonly EngineBackendName[] = [
  'tfjs-node-gpu',
  'webgpu',
  'tfjs-node',
  'wasm',
  'cpu',
];

/** Thrown by a candidate that is installed but cannot run here; `message` is the user-facing reason. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
}

/** What a candidate gets: the loaders and the resolved `package.json` path of each of its packages. */
export interface CandidateContext {
  loaders: BackendLoaders;
  manifests: Readonly<Record<string, string>>;
}

/** One row of the table: which packages it needs and how to switch tfjs onto it. */
export interface BackendCandidate {
  readonly name: EngineBackendName;
  /** Checked by resolution before anything is loaded: absent → "not installed", in microseconds. */
  readonly packages: readonly string[];
  /** Loads and activates; resolves the tf namespace and a detail line, or throws with a reason. */
  activate(ctx: CandidateContext): Promise<{ tf: TfNamespace; detail: string }>;
}

/** ESM import of a CommonJS package gives either the namespace or `{ default }`: take the tf one. */
export const asTfNamespace = (mod: unknown): TfNamespace => {
  const m = mod as { setBackend?: unknown; default?: { setBackend?: unknown } };
  if (typeof m.setBackend === 'function') return m as unknown as TfNamespace;
  if (m.default && typeof m.default.setBackend === 'function') return m.default as unknown as TfNamespace;
  throw new BackendUnavailableError('package loaded but does not export the tfjs API');
};

const activate = async (tf: TfNamespace, backend: string): Promise<void> => {
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
  } catch (err) {
    throw new BackendUnavailableError(`'${backend}' backend failed to initialise: ${firstLine(err)}`);
  }
  if (!ok) throw new BackendUnavailableError(`'${backend}' backend failed to initialise`);
  await tf.ready();
};

/** First line of an error's message, trimmed to something a log line can hold. */
export const firstLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);

const tfjsNode = (name: 'tfjs-node' | 'tfjs-node-gpu'): BackendCandidate => ({
  name,
  packages: [`@tensorflow/${name}`],
  async activate({ loaders }) {
    if (name === 'tfjs-node-gpu') {
      // Check for a device before loading: the CUDA build takes seconds to load and then falls
      // back to the CPU silently when there is no GPU.
      const cuda = loaders.cudaDevice();
      if (!cuda.present) throw new BackendUnavailableError(`no CUDA device: ${cuda.detail}`);
    }
    const tf = asTfNamespace(await loaders.importModule(`@tensorflow/${name}`));
    await activate(tf, 'tensorflow');
    return { tf, detail: name === 'tfjs-node-gpu' ? 'libtensorflow with CUDA' : 'libtensorflow (CPU)' };
  },
});

/** The rows, by name. Order of preference is separate ({@link DEFAULT_BACKEND_ORDER}). */
export const BACKEND_CANDIDATES: Readonly<Record<EngineBackendName, BackendCandidate>> = {
  'tfjs-node-gpu': tfjsNode('tfjs-node-gpu'),
  webgpu: {
    name: 'webgpu',
    packages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', 'webgpu'],
    async activate({ loaders }) {
      // Probe first: tfjs-backend-webgpu 4.22 crashes on a null adapter, and Dawn answers in
      // milliseconds when there is no GPU driver.
      const probe = await probeWebgpu({
        loadDawn: async () => (await loaders.importModule('webgpu')) as never,
      });
      if (!probe.ok) throw new BackendUnavailableError(probe.reason);
      const tf = asTfNamespace(await loaders.importModule('@tensorflow/tfjs'));
      await installWebgpuGlobals(probe);
      await activate(tf, 'webgpu');
      return { tf, detail: `WebGPU (Dawn): ${probe.reason}` };
    },
  },
  'tfjs-node': tfjsNode('tfjs-node'),
  wasm: {
    name: 'wasm',
    packages: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
    async activate({ loaders, manifests }) {
      const tf = asTfNamespace(await loaders.importModule('@tensorflow/tfjs'));
      const wasm = (await loaders.importModule('@tensorflow/tfjs-backend-wasm')) as {
        setWasmPaths?: (prefix: string) => void;
        default?: { setWasmPaths?: (prefix: string) => void };
      };
      const setWasmPaths = wasm.setWasmPaths ?? wasm.default?.setWasmPaths;
      if (!setWasmPaths) throw new BackendUnavailableError('tfjs-backend-wasm does not export setWasmPaths');
      // In Node the prefix is a file system path; the .wasm files sit in the package's dist/.
      setWasmPaths(packageDistDir(manifests['@tensorflow/tfjs-backend-wasm']!));
      await activate(tf, 'wasm');
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      return {
        tf,
        detail: `WebAssembly${simd ? ' SIMD' : ' (no SIMD)'}, ${threads ? 'threaded' : '1 thread'}`,
      };
    },
  },
  cpu: {
    name: 'cpu',
    packages: ['@tensorflow/tfjs'],
    async activate({ loaders }) {
      const tf = asTfNamespace(await loaders.importModule('@tensorflow/tfjs'));
      await activate(tf, 'cpu');
      return { tf, detail: 'plain JavaScript (slow: for tiny models and tests)' };
    },
  },
};
