import { describe, expect, it } from 'vitest';
import { createBackendProbe } from '../../../../main/runtime/backend-probe';

/** A fake node_modules: package.json files plus whatever other files exist. */
const fakeTree = (files: Record<string, string>) =>
  createBackendProbe({
    resolve: (spec) => {
      const path = `/nm/${spec}`;
      if (!(path in files)) throw new Error('MODULE_NOT_FOUND');
      return path;
    },
    exists: (p) => p in files,
    readText: (p) => files[p] ?? '',
    listDir: (dir) => [
      ...new Set(
        Object.keys(files)
          .filter((f) => f.startsWith(`${dir}/`))
          .map((f) => f.slice(dir.length + 1).split('/')[0]!),
      ),
    ],
  });

describe('backend probe', () => {
  it('reports every backend in preference order with a reason when absent', () => {
    const result = fakeTree({}).probe();
    expect(result.map((b) => b.name)).toEqual(['electron', 'tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']);
    expect(result.every((b) => !b.available && b.detail.length > 0 && b.version === null)).toBe(true);
  });

  it('tells an Electron package without its binary apart from a working one', () => {
    const withoutBinary = fakeTree({ '/nm/electron/package.json': '{"version":"40.8.5"}' }).probe()[0];
    expect(withoutBinary).toMatchObject({ name: 'electron', available: false, version: '40.8.5' });
    expect(withoutBinary?.detail).toContain('electron:install');
    const working = fakeTree({
      '/nm/electron/package.json': '{"version":"40.8.5"}',
      '/nm/electron/path.txt': 'electron',
      '/nm/electron/dist/electron': '',
    }).probe()[0];
    expect(working).toMatchObject({ available: true, version: '40.8.5' });
  });

  it('needs the native binding for tfjs-node(-gpu) and the SIMD .wasm for wasm', () => {
    const probe = fakeTree({
      '/nm/@tensorflow/tfjs-node-gpu/package.json': '{"version":"4.22.0"}',
      '/nm/@tensorflow/tfjs-node/package.json': '{"version":"4.22.0"}',
      '/nm/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node': '',
      '/nm/@tensorflow/tfjs-backend-wasm/package.json': '{"version":"4.22.0"}',
      '/nm/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm': '',
    }).probe();
    expect(probe.map((b) => [b.name, b.available])).toEqual([
      ['electron', false],
      ['tfjs-node-gpu', false],
      ['webgpu', false],
      ['tfjs-node', true],
      ['wasm', true],
    ]);
    expect(probe[1]?.detail).toContain('binding missing');
    expect(probe[2]?.detail).toContain('not installed');
  });

  it('finds the real wasm backend on this machine', () => {
    expect(
      createBackendProbe()
        .probe()
        .find((b) => b.name === 'wasm'),
    ).toMatchObject({ available: true, version: '4.22.0' });
  });
});
