import { describe, expect, it } from 'vitest';
import {
  probeWebgpu,
  sanitizeDeviceDescriptor,
  vulkanLoaderPresent,
} from '../../../../../main/engine/gpu/webgpu-backend';

const adapterWith = (
  features: string[],
  info = { vendor: 'nvidia', architecture: 'hopper', device: 'H100', description: 'NVIDIA H100' },
) => ({
  info,
  features: new Set(features),
  limits: {},
  requestDevice: async () => ({}),
});

describe('WebGPU (Dawn) probe', () => {
  it('reports a found adapter with its description', async () => {
    const probe = await probeWebgpu({
      loadDawn: async () => ({
        create: () => ({ requestAdapter: async () => adapterWith([]) }),
        globals: {},
      }),
    });
    expect(probe).toMatchObject({
      ok: true,
      adapter: { vendor: 'nvidia', description: 'NVIDIA H100' },
      reason: 'nvidia NVIDIA H100',
    });
  });

  it.each([
    [
      'Dawn missing',
      async () => Promise.reject(new Error("Cannot find module 'webgpu'")),
      /not installed or failed to load: Cannot find module/,
    ],
    [
      'no adapter',
      async () => ({ create: () => ({ requestAdapter: async () => null }), globals: {} }),
      /no WebGPU adapter/,
    ],
    [
      'a driver error',
      async () => ({
        create: () => ({
          requestAdapter: async () => Promise.reject(new Error('VK_ERROR_INITIALIZATION_FAILED')),
        }),
        globals: {},
      }),
      /VK_ERROR_INITIALIZATION_FAILED/,
    ],
    [
      'a hanging driver',
      async () => ({ create: () => ({ requestAdapter: () => new Promise<null>(() => {}) }), globals: {} }),
      /timed out after 50 ms/,
    ],
  ])('falls back with a reason on %s', async (_what, loadDawn, reason) => {
    const probe = await probeWebgpu({ loadDawn: loadDawn as never, timeoutMs: 50 });
    expect(probe.ok).toBe(false);
    expect(probe.reason).toMatch(reason);
  });

  it('answers quickly with the real Dawn on this GPU-less machine', async () => {
    const probe = await probeWebgpu();
    expect(probe.ok).toBe(false);
    expect(probe.reason).toContain('no WebGPU adapter');
    if (!vulkanLoaderPresent()) expect(probe.reason).toContain('libvulkan.so.1 is missing');
  });

  it('flattens and filters the device features tfjs asks for', () => {
    const adapter = adapterWith(['timestamp-query']);
    expect(
      sanitizeDeviceDescriptor(adapter, {
        requiredFeatures: ['timestamp-query', ['bgra8unorm-storage']],
        requiredLimits: { maxBufferSize: 1 },
      }),
    ).toEqual({
      requiredFeatures: ['timestamp-query'],
      requiredLimits: { maxBufferSize: 1 },
    });
  });
});
