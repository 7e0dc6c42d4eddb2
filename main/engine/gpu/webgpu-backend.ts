import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from '../../runtime/package-info';

/** What Dawn reports about the GPU it found. */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

export type WebgpuProbe =
  { ok: true; adapter: GpuAdapterInfo; reason: string } | { ok: false; reason: string };

/** The parts of Dawn's `GPU` object we use (typed loosely: @webgpu/types is not in our lib). */
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<DawnAdapter | null>;
}
interface DawnAdapter {
  info?: Partial<GpuAdapterInfo>;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor?: {
    requiredFeatures?: unknown[];
    requiredLimits?: Record<string, number>;
  }): Promise<unknown>;
}

type DawnModule = { create(flags: string[]): DawnGpu; globals: Record<string, unknown> };

export interface WebgpuOptions {
  /** Loads the `webgpu` npm module (Dawn); injected by tests. */
  loadDawn?: () => Promise<DawnModule>;
  timeoutMs?: number;
  /** Dawn toggles/flags, e.g. ['backend=vulkan']. */
  dawnFlags?: string[];
}

const defaultLoadDawn = async (): Promise<DawnModule> => {
  const require = createRequire(join(projectRoot(), 'package.json'));
  const path = require.resolve('webgpu');
  return (await import(path)) as DawnModule;
};

const vulkanLibDirs = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/local/lib',
  '/usr/lib/aarch64-linux-gnu',
];

/** Whether the Vulkan loader Dawn needs on Linux is installed (it prints only a warning otherwise). */
export const vulkanLoaderPresent = (exists: (p: string) => boolean = existsSync): boolean =>
  vulkanLibDirs.some((dir) => exists(join(dir, 'libvulkan.so.1')));

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);

/**
 * Fixes what tfjs-backend-webgpu 4.22 asks of the device: it pushes `['bgra8unorm-storage']` (an
 * array) into requiredFeatures, which a strict implementation rejects. Features are flattened and
 * limited to those the adapter has.
 */
export const sanitizeDeviceDescriptor = (
  adapter: Pick<DawnAdapter, 'features'>,
  descriptor: { requiredFeatures?: unknown[]; requiredLimits?: Record<string, number> } = {},
) => ({
  ...descriptor,
  requiredFeatures: (descriptor.requiredFeatures ?? [])
    .flat()
    .filter((f): f is string => typeof f === 'string' && adapter.features.has(f)),
});

const describe = (adapter: DawnAdapter): GpuAdapterInfo => ({
  vendor: adapter.info?.vendor ?? 'unknown',
  architecture: adapter.info?.architecture ?? '',
  device: adapter.info?.device ?? '',
  description: adapter.info?.description ?? '',
});

/**
 * Looks for a GPU through Dawn (Vulkan, D3D12 or Metal: any vendor, no CUDA). Fast when there is
 * none: on our CPU-only machines Dawn answers "no adapter" in milliseconds. Never throws.
 */
export const probeWebgpu = async (
  options: WebgpuOptions = {},
): Promise<WebgpuProbe & { gpu?: DawnGpu; dawn?: DawnModule; rawAdapter?: DawnAdapter }> => {
  let dawn: DawnModule;
  try {
    dawn = await (options.loadDawn ?? defaultLoadDawn)();
  } catch (error) {
    return {
      ok: false,
      reason: `webgpu (Dawn) not installed or failed to load: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  try {
    const gpu = dawn.create(options.dawnFlags ?? []);
    const adapter = await withTimeout(
      gpu.requestAdapter({ powerPreference: 'high-performance' }),
      options.timeoutMs ?? 10_000,
      'requestAdapter',
    );
    if (!adapter) {
      const hint =
        process.platform === 'linux' && !vulkanLoaderPresent()
          ? ": libvulkan.so.1 is missing (install the Vulkan loader, e.g. Debian libvulkan1, and the GPU vendor's Vulkan driver)"
          : '';
      return { ok: false, reason: `no WebGPU adapter (no Vulkan/D3D12/Metal GPU driver found)${hint}` };
    }
    const info = describe(adapter);
    return {
      ok: true,
      adapter: info,
      reason: `${info.vendor} ${info.description || info.device}`.trim(),
      gpu,
      dawn,
      rawAdapter: adapter,
    };
  } catch (error) {
    return { ok: false, reason: `WebGPU adapter request failed: ${(error as Error).message.split('\n')[0]}` };
  }
};

/**
 * Makes `tf.setBackend('webgpu')` work in Node: installs Dawn's WebGPU globals and a
 * `navigator.gpu` that hands tfjs our already-probed adapter (with the device descriptor
 * sanitised), then loads @tensorflow/tfjs-backend-webgpu, which registers itself only when
 * `navigator.gpu` exists at import time. Call only after a successful probe.
 */
export const installWebgpuGlobals = async (probe: Awaited<ReturnType<typeof probeWebgpu>>): Promise<void> => {
  if (!probe.ok || !probe.dawn || !probe.rawAdapter) throw new Error(`WebGPU unavailable: ${probe.reason}`);
  const adapter = probe.rawAdapter;
  Object.assign(globalThis, probe.dawn.globals);
  const wrapped = new Proxy(adapter, {
    get(target, property) {
      if (property === 'requestDevice') {
        return (descriptor?: Parameters<DawnAdapter['requestDevice']>[0]) =>
          target.requestDevice(sanitizeDeviceDescriptor(target, descriptor));
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const gpu = { requestAdapter: async () => wrapped, getPreferredCanvasFormat: () => 'rgba8unorm' };
  const nav = (globalThis as unknown as { navigator?: Record<string, unknown> }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const require = createRequire(join(projectRoot(), 'package.json'));
  await import(require.resolve('@tensorflow/tfjs-backend-webgpu'));
};
