/**
 * GEMM throughput of the compiled kernel builds, single thread, on MobileNetV2-like shapes:
 * `npx tsx main/engine/bench/gemm-microbench.ts` prints GFLOP/s per build and shape (wall clock
 * and process CPU time). Loads each build into a plain WebAssembly.Memory with a bump allocator.
 */
import { readFileSync } from 'node:fs';
import { defaultKernelPaths, ensureKernelBuild, type KernelVariant } from '../wasm/build-kernels';
import { createKernelModule } from '../wasm/kernel-module';
import { enableRelaxedSimd } from '../wasm/relaxed-simd';

/** [m, n, k]: 1x1 convs at 224/112/56/28/14/7 (m = positions of one b8 replica share). */
const SHAPES: Array<[number, number, number, string]> = [
  [8 * 112 * 112, 16, 32, 'proj 112 32->16'],
  [8 * 56 * 56, 144, 24, 'expand 56 24->144'],
  [8 * 28 * 28, 32, 192, 'proj 28 192->32'],
  [8 * 14 * 14, 384, 64, 'expand 14 64->384'],
  [8 * 7 * 7, 1280, 320, 'head 7 320->1280'],
  [384, 64, 8 * 14 * 14, 'dW 14 (k = positions)'],
];

const heapOf = (bytes: number) => {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  let top = 1024;
  return {
    memory,
    malloc: (n: number) => {
      const p = top;
      top = (top + n + 15) & ~15;
      if (top > memory.buffer.byteLength) throw new Error('bench heap too small');
      return p;
    },
    free: () => undefined,
  };
};

const measure = (variant: KernelVariant) => {
  const bytes = readFileSync(ensureKernelBuild(defaultKernelPaths(variant)));
  const heap = heapOf(512 << 20);
  const k = createKernelModule(bytes, heap);
  const lines: string[] = [];
  for (const [m, n, kk, name] of SHAPES) {
    const a = k.scratch(m * kk);
    const b = k.scratch(kk * n);
    const c = k.scratch(m * n);
    const f = new Float32Array(heap.memory.buffer);
    for (let i = 0; i < m * kk; i++) f[a / 4 + i] = Math.sin(i);
    for (let i = 0; i < kk * n; i++) f[b / 4 + i] = Math.cos(i);
    const call = () => k.exports.sf_gemm(m, n, kk, a, kk, 1, b, n, 1, c, n, 0, 0);
    call();
    const reps = Math.max(3, Math.round(2e9 / (2 * m * n * kk)));
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) call();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const flops = 2 * m * n * kk * reps;
    lines.push(
      `${variant.padEnd(8)} ${name.padEnd(22)} ${(flops / ms / 1e6).toFixed(1)} GFLOP/s wall, ` +
        `${(flops / ((cpu.user + cpu.system) / 1000) / 1e6).toFixed(1)} cpu`,
    );
    k.release();
  }
  return lines;
};

console.log(`relaxed SIMD available: ${enableRelaxedSimd()}`);
for (const v of ['simd', 'relaxed'] as const) for (const l of measure(v)) console.log(l);
