import { existsSync } from 'node:fs';
import type { BackendProbe } from '../../runtime/backend-probe';
import { describeKernelBuild, preferredBuiltKernels } from '../wasm/build-kernels';
import { defaultWasmReplicas } from '../wasm/data-parallel-trainer';

/** Options of {@link wasmKernelSummary}; defaults are what a training run here would use. */
export interface WasmKernelSummaryOptions {
  /** The module a run would load (default preferredBuiltKernels()). */
  kernelsPath?: string;
  replicas?: number;
}

/**
 * What the wasm backend trains with, in words: `SonoFuse kernels: SIMD, relaxed-SIMD FMA,
 * 2 replicas` (the relaxed build where built and the engine runs it), or that they are not built.
 */
export const wasmKernelSummary = (opts: WasmKernelSummaryOptions = {}): string => {
  const path = opts.kernelsPath ?? preferredBuiltKernels();
  if (!existsSync(path)) return 'SonoFuse kernels not built (npx tsx main/engine/wasm/build-kernels.ts)';
  return `SonoFuse kernels: ${describeKernelBuild(path)}, ${opts.replicas ?? defaultWasmReplicas()} replicas`;
};

/** `probe` with the wasm row's detail extended by {@link wasmKernelSummary} when wasm is present. */
export const withWasmKernelDetail = (
  probe: BackendProbe,
  opts: WasmKernelSummaryOptions = {},
): BackendProbe => ({
  probe: () =>
    probe
      .probe()
      .map((b) =>
        b.name === 'wasm' && b.available ? { ...b, detail: `${b.detail}; ${wasmKernelSummary(opts)}` } : b,
      ),
});
