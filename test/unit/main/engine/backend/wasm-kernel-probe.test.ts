import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  wasmKernelSummary,
  withWasmKernelDetail,
} from '../../../../../main/engine/backend/wasm-kernel-probe';
import type { BackendProbe } from '../../../../../main/runtime/backend-probe';

const dir = mkdtempSync(join(tmpdir(), 'sonofuse-kernel-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const relaxed = join(dir, 'sonofuse-kernels-relaxed.wasm');
const plain = join(dir, 'sonofuse-kernels.wasm');
writeFileSync(relaxed, '');
writeFileSync(plain, '');

const probe: BackendProbe = {
  probe: () => [
    { name: 'wasm', available: true, detail: 'WebAssembly SIMD build present', version: '4.22.0' },
    { name: 'tfjs-node', available: false, detail: 'not installed', version: null },
  ],
};

describe('wasm kernel detail in info', () => {
  it('says which kernel build and how many replicas a wasm run uses', () => {
    expect(wasmKernelSummary({ kernelsPath: relaxed, replicas: 2 })).toBe(
      'SonoFuse kernels: SIMD, relaxed-SIMD FMA, 2 replicas',
    );
    expect(wasmKernelSummary({ kernelsPath: plain, replicas: 1 })).toBe('SonoFuse kernels: SIMD, 1 replicas');
    expect(wasmKernelSummary({ kernelsPath: join(dir, 'missing.wasm') })).toMatch(/not built/);
  });

  it('extends only the wasm row of the probe', () => {
    const rows = withWasmKernelDetail(probe, { kernelsPath: relaxed, replicas: 2 }).probe();
    expect(rows[0]!.detail).toBe(
      'WebAssembly SIMD build present; SonoFuse kernels: SIMD, relaxed-SIMD FMA, 2 replicas',
    );
    expect(rows[1]).toEqual(probe.probe()[1]);
  });
});
