import { describe, expect, it } from 'vitest';
import { backendInUse } from '../../../renderer/catalog/catalog-status';
import type { AppInfo } from '../../../shared/contract/app';

const info = (backends: Array<[string, boolean]>): AppInfo =>
  ({
    backends: backends.map(([name, available]) => ({ name, available, detail: '', version: null })),
  }) as unknown as AppInfo;

describe('backendInUse (status bar)', () => {
  it('names the first usable backend, never the electron shell', () => {
    expect(
      backendInUse(
        info([
          ['electron', true],
          ['tfjs-node-gpu', true],
          ['wasm', true],
        ]),
      ),
    ).toBe('tfjs-node-gpu');
    expect(backendInUse(info([['electron', true]]))).toBe('none');
  });

  it('does not promise webgpu: without an adapter the trainer falls back to the next backend', () => {
    expect(
      backendInUse(
        info([
          ['tfjs-node-gpu', false],
          ['webgpu', true],
          ['wasm', true],
        ]),
      ),
    ).toBe('webgpu if a GPU adapter exists, else wasm');
    expect(backendInUse(info([['webgpu', true]]))).toBe('webgpu');
  });
});
