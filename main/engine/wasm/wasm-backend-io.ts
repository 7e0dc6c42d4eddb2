import type * as tfType from '@tensorflow/tfjs';
import type { TensorInfo, backend_util } from '@tensorflow/tfjs';
import type { HostHeap, KernelModule } from './kernel-module';
import { createKernelModule } from './kernel-module';

/** The parts of tfjs-backend-wasm's BackendWasm our kernels use (its heap and tensor table). */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(n: number): number; _free(p: number): void };
}

/** Arguments tfjs passes to a kernel function, narrowed to what our kernels read. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/** The subset of the tfjs namespace the installer needs; pass the `tf` you set the backend on. */
export interface TfLike {
  registerKernel: typeof tfType.registerKernel;
  unregisterKernel: typeof tfType.unregisterKernel;
  getKernel: typeof tfType.getKernel;
  backend_util: typeof backend_util;
}

/** Gives the kernel module living in a backend's heap (one per backend instance). */
export type ModuleFor = (backend: WasmBackendLike) => KernelModule;

/** Creates the per-backend module cache for the given compiled bytes (read lazily). */
export const moduleCache = (bytes: () => Uint8Array): ModuleFor => {
  const byBackend = new WeakMap<object, KernelModule>();
  return (backend) => {
    let mod = byBackend.get(backend);
    if (!mod) {
      const heap: HostHeap = {
        memory: backend.wasm.asm.memory,
        // emscripten returns pointers as signed i32: above 2 GiB they must be read unsigned
        malloc: (n) => backend.wasm._malloc(n) >>> 0,
        free: (p) => backend.wasm._free(p),
      };
      mod = createKernelModule(bytes(), heap);
      byBackend.set(backend, mod);
    }
    return mod;
  };
};

/** Byte offset of a float32 tensor's data in the shared heap. */
export const ptr = (backend: WasmBackendLike, t: TensorInfo): number => {
  if (t.dtype !== 'float32') throw new Error(`sonofuse wasm kernels take float32, got ${t.dtype}`);
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('tensor is not on the wasm backend');
  return data.memoryOffset >>> 0;
};

/** Allocates a float32 output tensor; returns it with its heap offset. */
export const output = (backend: WasmBackendLike, shape: number[]): [TensorInfo, number] => {
  const out = backend.makeOutput(shape, 'float32');
  return [out, ptr(backend, out)];
};

/** Runs `f` with the backend's module and releases the call's scratch memory afterwards. */
export const withModule = <T>(
  moduleFor: ModuleFor,
  backend: unknown,
  f: (m: KernelModule, be: WasmBackendLike) => T,
): T => {
  const be = backend as WasmBackendLike;
  const mod = moduleFor(be);
  try {
    return f(mod, be);
  } finally {
    mod.release();
  }
};

/** The convolution geometry struct shared by the C kernels (15 int32, see c/conv.c, c/depthwise.c). */
export const convGeom = (info: backend_util.Conv2DInfo, lastOutDim: number): number[] => {
  if (info.dataFormat !== 'channelsLast') {
    throw new Error(`sonofuse wasm kernels support NHWC only, got dataFormat ${info.dataFormat}`);
  }
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    lastOutDim,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
};
