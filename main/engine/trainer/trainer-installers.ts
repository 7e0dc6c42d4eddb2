import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeKernelBuild, preferredBuiltKernels } from '../wasm/build-kernels';
import type { EngineBackendName } from '../backend/backend-candidates';
import type { BackendInstaller } from '../backend/select-backend';

/**
 * The installers the trainer process runs after backend selection. Today: SonoFuse's wasm training
 * kernels (main/engine/wasm), loaded lazily and only when their compiled module exists, so a
 * checkout without the kernel build still starts (it then cannot train convolutions on wasm, which
 * the attempt's reason says). The relaxed-SIMD build is preferred where it is built and the engine
 * runs it (preferredBuiltKernels); the selection reason names the build.
 */
export const defaultTrainerInstallers = (
  kernelsPath = preferredBuiltKernels(join(process.cwd(), 'out', 'kernels', 'sonofuse-kernels.wasm')),
): Partial<Record<EngineBackendName, readonly BackendInstaller[]>> => ({
  wasm: [
    {
      name: 'sonofuse-wasm-kernels',
      optional: true,
      install: async (tf) => {
        if (!existsSync(kernelsPath))
          throw new Error(`${kernelsPath} not built (npx tsx main/engine/wasm/build-kernels.ts)`);
        const { installWasmTrainingKernels } = await import('../wasm/install-training-kernels');
        installWasmTrainingKernels(tf, { wasmPath: kernelsPath });
        return describeKernelBuild(kernelsPath);
      },
    },
  ],
});
