import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildKernels,
  defaultKernelPaths,
  ensureKernelsBuilt,
  kernelsAreStale,
  preferredBuiltKernels,
} from '../../../../../main/engine/wasm/build-kernels';
import { sideModuleMemory } from '../../../../../main/engine/wasm/kernel-module';

describe('build-kernels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-kernels-'));
  const paths = { sourceDir: join(dir, 'c'), outFile: join(dir, 'out', 'k.wasm') };
  cpSync(defaultKernelPaths().sourceDir, paths.sourceDir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a side module on demand and rebuilds only when a source changes', () => {
    expect(kernelsAreStale(paths)).toBe(true);
    expect(ensureKernelsBuilt(paths)).toBe(paths.outFile);
    expect(existsSync(paths.outFile)).toBe(true);
    expect(kernelsAreStale(paths)).toBe(false);
    const module = new WebAssembly.Module(readFileSync(paths.outFile));
    // the packing buffers of gemm.c: 2 x (120*256 + 256*1024) floats
    expect(sideModuleMemory(module).size).toBeGreaterThanOrEqual(2 * (120 * 256 + 256 * 1024) * 4);
    expect(WebAssembly.Module.imports(module).map((i) => i.name)).toContain('__memory_base');
    appendFileSync(join(paths.sourceDir, 'gemm.c'), '\n/* touched */\n');
    expect(kernelsAreStale(paths)).toBe(true);
  });

  it('prefers the relaxed-SIMD build only where it is built (and not with SONOFUSE_KERNELS=simd)', () => {
    const plain = join(dir, 'pick', 'sonofuse-kernels.wasm');
    mkdirSync(join(dir, 'pick'), { recursive: true });
    writeFileSync(plain, '');
    expect(preferredBuiltKernels(plain)).toBe(plain);
    writeFileSync(join(dir, 'pick', 'sonofuse-kernels-relaxed.wasm'), '');
    expect(preferredBuiltKernels(plain)).toBe(join(dir, 'pick', 'sonofuse-kernels-relaxed.wasm'));
    process.env.SONOFUSE_KERNELS = 'simd';
    try {
      expect(preferredBuiltKernels(plain)).toBe(plain);
    } finally {
      delete process.env.SONOFUSE_KERNELS;
    }
  });

  it('says how to install clang when it is missing', () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-bin');
    try {
      expect(() => buildKernels(paths)).toThrow(/clang is not installed.*apt-get install -y clang lld/);
    } finally {
      process.env.PATH = path;
    }
  });
});
