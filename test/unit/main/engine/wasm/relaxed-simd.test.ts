import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildKernels,
  defaultKernelPaths,
  ensureKernelsBuilt,
  kernelVariantOf,
} from '../../../../../main/engine/wasm/build-kernels';
import {
  RELAXED_SIMD_PROBE,
  RELAXED_SIMD_V8_FLAG,
  enableRelaxedSimd,
  relaxedSimdExecArgv,
  rewriteRelaxedMadd,
  v8NeedsRelaxedSimdFlag,
} from '../../../../../main/engine/wasm/relaxed-simd';

/** Occurrences of a byte sequence. */
const count = (b: Uint8Array, seq: number[]) => {
  let n = 0;
  for (let i = 0; i + seq.length <= b.length; i++) if (seq.every((v, j) => b[i + j] === v)) n++;
  return n;
};
const PROTOTYPE_FMA = [0xfd, 0xaf, 0x01];
const RELAXED_MADD = [0xfd, 0x85, 0x02];

describe('relaxed SIMD kernels', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sonofuse-relaxed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs the V8 flag below V8 11.4 (Node 20) and not from 11.4 on (Electron, Node 22)', () => {
    expect(v8NeedsRelaxedSimdFlag('11.3.244.8-node.33')).toBe(true);
    expect(v8NeedsRelaxedSimdFlag('10.2.154.26')).toBe(true);
    expect(v8NeedsRelaxedSimdFlag('11.4.183.25')).toBe(false);
    expect(v8NeedsRelaxedSimdFlag('12.4.254.21-node.24')).toBe(false);
    expect(relaxedSimdExecArgv('11.3.244.8')).toEqual([RELAXED_SIMD_V8_FLAG]);
    expect(relaxedSimdExecArgv('13.2.152.41')).toEqual([]);
  });

  it('is detected at load (turning the flag on in this Node) and validates the probe', () => {
    expect(enableRelaxedSimd()).toBe(true);
    expect(WebAssembly.validate(RELAXED_SIMD_PROBE)).toBe(true);
  });

  it('the relaxed build holds standard relaxed_madd opcodes only, the plain build none', () => {
    const paths = { ...defaultKernelPaths('relaxed'), outFile: join(dir, 'k-relaxed.wasm') };
    cpSync(paths.sourceDir, join(dir, 'c'), { recursive: true });
    const bytes = readFileSync(buildKernels({ ...paths, sourceDir: join(dir, 'c') }));
    // 8 in the GEMM's 4x8 micro-kernel alone; the prototype encoding is gone
    expect(count(bytes, RELAXED_MADD)).toBeGreaterThanOrEqual(8);
    expect(count(bytes, PROTOTYPE_FMA)).toBe(0);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const plain = readFileSync(
      buildKernels({
        ...defaultKernelPaths('simd'),
        sourceDir: join(dir, 'c'),
        outFile: join(dir, 'k.wasm'),
      }),
    );
    expect(count(plain, RELAXED_MADD)).toBe(0);
  });

  it('this process loads the relaxed build by default and the plain one with SONOFUSE_KERNELS=simd', () => {
    expect(kernelVariantOf(ensureKernelsBuilt())).toBe('relaxed');
    process.env.SONOFUSE_KERNELS = 'simd';
    try {
      expect(kernelVariantOf(ensureKernelsBuilt())).toBe('simd');
    } finally {
      delete process.env.SONOFUSE_KERNELS;
    }
  });

  it("the rewrite refuses a module whose byte matches differ from clang's instruction count", () => {
    // (module (func (result v128) v128.const 0 ... f32x4.fma)) with the prototype opcode, by hand
    const module = Uint8Array.from(RELAXED_SIMD_PROBE);
    module.set(PROTOTYPE_FMA, module.length - 4);
    const fixed = rewriteRelaxedMadd(module, 1);
    expect(fixed).toEqual(RELAXED_SIMD_PROBE);
    expect(() => rewriteRelaxedMadd(module, 2)).toThrow(/1 f32x4.fma byte matches but clang emitted 2/);
  });
});
