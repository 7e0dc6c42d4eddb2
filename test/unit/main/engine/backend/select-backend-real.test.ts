import { describe, expect, it } from 'vitest';
import { createNodeBackendLoaders } from '../../../../../main/engine/backend/backend-loaders';
import { selectBackend } from '../../../../../main/engine/backend/select-backend';

describe('selectBackend on this machine', () => {
  it('selects the real wasm backend (native tfjs packages absent here) and runs its installer', async () => {
    const loaders = createNodeBackendLoaders();
    const installerSaw: string[] = [];
    const selected = await selectBackend({
      order: ['tfjs-node-gpu', 'tfjs-node', 'wasm'],
      installers: { wasm: [{ name: 'probe', install: (tf) => void installerSaw.push(tf.getBackend()) }] },
    });
    // Where a native package IS installed (a workstation), it may legitimately win: only assert
    // the wasm path on machines like ours where both are absent.
    const nativeInstalled = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((p) =>
      loaders.resolvePackage(p),
    );
    if (nativeInstalled) return;
    expect(selected.backend).toBe('wasm');
    expect(selected.tf.getBackend()).toBe('wasm');
    expect(installerSaw).toEqual(['wasm']);
    expect(selected.attempts.slice(0, 2).map((a) => a.reason)).toEqual(['not installed', 'not installed']);
    expect(selected.attempts[2]!.reason).toMatch(/^selected: WebAssembly/);
    // [1,2]·[3,4] = 11, computed by the wasm kernels.
    const dot = selected.tf.tidy(() => selected.tf.dot([1, 2], [3, 4]).dataSync()[0]);
    expect(dot).toBe(11);
  });

  it('tries WebGPU through Dawn and falls back fast with the reason when there is no GPU adapter', async () => {
    const selected = await selectBackend({ order: ['webgpu', 'wasm'] });
    const webgpu = selected.attempts[0]!;
    expect(webgpu.name).toBe('webgpu');
    if (webgpu.ok) return; // a machine with a GPU driver: WebGPU legitimately wins
    expect(selected.backend).toBe('wasm');
    expect(webgpu.reason).toContain('no WebGPU adapter');
  });
});
