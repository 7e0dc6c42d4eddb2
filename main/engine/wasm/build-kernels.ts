import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RELAXED_REWRITE_VERSION, enableRelaxedSimd, rewriteRelaxedMadd } from './relaxed-simd';

/**
 * The two builds of the same sources: `simd` (WebAssembly SIMD 128, runs everywhere tfjs-wasm's
 * SIMD build runs) and `relaxed` (adds relaxed SIMD: f32x4.relaxed_madd, a fused multiply-add;
 * V8 >= 11.4 / current Electron by default, Node 20 behind --experimental-wasm-relaxed-simd).
 */
export type KernelVariant = 'simd' | 'relaxed';

/** Where the C sources live and where the compiled module goes (out/ is git-ignored). */
export interface KernelBuildPaths {
  sourceDir: string;
  outFile: string;
  /** Default 'simd'. */
  variant?: KernelVariant;
}

/**
 * Flags shared by every build: a position-independent wasm32 side module (SIMD, bulk memory, no
 * libc, explicit exports) that imports its memory, stack pointer and memory base, so it runs inside
 * the tfjs wasm backend's heap. The emscripten triple is what makes clang 14 emit PIC for wasm.
 */
export const KERNEL_CFLAGS = [
  '--target=wasm32-unknown-emscripten',
  '-fPIC',
  '-msimd128',
  '-mbulk-memory',
  '-O3',
  '-nostdlib',
  '-ffreestanding',
  '-Wall',
  '-Wl,--experimental-pic',
  '-Wl,-shared',
  '-Wl,--no-entry',
];

/** The relaxed build's extra flags: clang 14 emits prototype opcodes, rewritten after linking. */
export const RELAXED_CFLAGS = ['-mrelaxed-simd', '-DSF_RELAXED_SIMD'];

const cflags = (variant: KernelVariant = 'simd') =>
  variant === 'relaxed' ? [...KERNEL_CFLAGS, ...RELAXED_CFLAGS] : KERNEL_CFLAGS;

/** Default locations, resolved from this file (main/engine/wasm/ is three levels below the root). */
export const defaultKernelPaths = (variant: KernelVariant = 'simd'): KernelBuildPaths => {
  const root = process.env.SONOFUSE_ROOT ?? fileURLToPath(new URL('../../../', import.meta.url));
  return {
    sourceDir: join(root, 'main', 'engine', 'wasm', 'c'),
    outFile: join(
      root,
      'out',
      'kernels',
      variant === 'relaxed' ? 'sonofuse-kernels-relaxed.wasm' : 'sonofuse-kernels.wasm',
    ),
    variant,
  };
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
    .sort()
    .map((f) => join(dir, f));

/** Hash of every source file and the flags: the build is stale when it differs from the stamp. */
export const kernelSourceHash = (paths: KernelBuildPaths): string => {
  const h = createHash('sha256');
  h.update(cflags(paths.variant).join(' '));
  if (paths.variant === 'relaxed') h.update(RELAXED_REWRITE_VERSION);
  for (const f of sourceFiles(paths.sourceDir))
    h.update(f.slice(paths.sourceDir.length)).update(readFileSync(f));
  return h.digest('hex');
};

const stampFile = (paths: KernelBuildPaths): string => `${paths.outFile}.sha256`;

/** True when the compiled module is missing or was built from other sources or flags. */
export const kernelsAreStale = (paths: KernelBuildPaths = defaultKernelPaths()): boolean => {
  if (!existsSync(paths.outFile) || !existsSync(stampFile(paths))) return true;
  return readFileSync(stampFile(paths), 'utf8').trim() !== kernelSourceHash(paths);
};

/**
 * Compiles the C kernels with clang (wasm32, SIMD) into `paths.outFile`. Throws an Error that says
 * how to install clang + lld when the compiler is absent, and clang's own message when it fails.
 */
export const buildKernels = (paths: KernelBuildPaths = defaultKernelPaths()): string => {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'clang is not installed: the wasm SIMD kernels need clang and lld targeting wasm32 ' +
        '(Debian/Ubuntu: apt-get install -y clang lld).',
    );
  }
  mkdirSync(join(paths.outFile, '..'), { recursive: true });
  const sources = sourceFiles(paths.sourceDir).filter((f) => f.endsWith('.c'));
  const relaxed = paths.variant === 'relaxed';
  const clang = (args: string[]) => {
    try {
      return execFileSync('clang', args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
      throw new Error(`compiling the wasm kernels failed (is lld/wasm-ld installed?):\n${stderr}`);
    }
  };
  // --no-gc-sections in the relaxed build: every compiled function stays, so the FMA count in
  // the assembly equals the count in the binary (the rewrite's cross-check).
  clang([
    ...cflags(paths.variant),
    ...(relaxed ? ['-Wl,--no-gc-sections'] : []),
    '-o',
    paths.outFile,
    ...sources,
  ]);
  if (relaxed) {
    const compileOnly = cflags('relaxed').filter((f) => !f.startsWith('-Wl,'));
    const expected = sources
      .map((src) => clang([...compileOnly, '-S', '-o', '-', src]).toString())
      .reduce((n, asm) => n + (asm.match(/\bf32x4\.fma\b/g)?.length ?? 0), 0);
    const bytes = readFileSync(paths.outFile);
    writeFileSync(paths.outFile, rewriteRelaxedMadd(bytes, expected));
  }
  writeFileSync(stampFile(paths), `${kernelSourceHash(paths)}\n`);
  return paths.outFile;
};

/** Builds only when missing or stale; returns the path of the compiled module. */
export const ensureKernelBuild = (paths: KernelBuildPaths): string =>
  kernelsAreStale(paths) ? buildKernels(paths) : paths.outFile;

/**
 * With `paths`: builds that module if missing or stale and returns its path. Without: builds both
 * default variants and returns the one this process should load: the relaxed-SIMD build when
 * the engine can run it (relaxed-simd.ts, which turns V8's flag on in Node 20), unless
 * SONOFUSE_KERNELS=simd asks for the plain one (A/B measurements). Every thread and replica
 * worker of the process then loads the same file.
 */
export const ensureKernelsBuilt = (paths?: KernelBuildPaths): string => {
  if (paths) return ensureKernelBuild(paths);
  const plain = ensureKernelBuild(defaultKernelPaths('simd'));
  if (process.env.SONOFUSE_KERNELS === 'simd' || !enableRelaxedSimd()) return plain;
  try {
    return ensureKernelBuild(defaultKernelPaths('relaxed'));
  } catch (err) {
    console.warn(`relaxed-SIMD kernels unavailable, using the SIMD build: ${(err as Error).message}`);
    return plain;
  }
};

/** The relaxed build's path beside a plain build's. */
export const relaxedSibling = (plainPath: string): string => plainPath.replace(/\.wasm$/, '-relaxed.wasm');

/**
 * The already built module this process should load, never compiling (the trainer process and
 * the app only load what `npm run build:kernels`/a bench built): the relaxed-SIMD build when it
 * exists beside `plainPath` and the engine runs relaxed SIMD (enableRelaxedSimd), else `plainPath`.
 */
export const preferredBuiltKernels = (plainPath: string = defaultKernelPaths('simd').outFile): string => {
  const relaxed = relaxedSibling(plainPath);
  return process.env.SONOFUSE_KERNELS !== 'simd' && existsSync(relaxed) && enableRelaxedSimd()
    ? relaxed
    : plainPath;
};

/** In words, for `info` and the backend's selection reason: `SIMD, relaxed-SIMD FMA` or `SIMD`. */
export const describeKernelBuild = (wasmPath: string): string =>
  kernelVariantOf(wasmPath) === 'relaxed' ? 'SIMD, relaxed-SIMD FMA' : 'SIMD';

/** Which build a kernel module path is (by its file name). */
export const kernelVariantOf = (wasmPath: string): KernelVariant =>
  wasmPath.endsWith('-relaxed.wasm') ? 'relaxed' : 'simd';

// Run as a script only when this very file is the entry (not when bundled into another entry).
const entry = process.argv[1];
if (entry && /build-kernels\.[cm]?[jt]s$/.test(entry) && import.meta.url === pathToFileURL(entry).href) {
  const force = process.argv.includes('--force');
  for (const variant of ['simd', 'relaxed'] as const) {
    const out = force
      ? buildKernels(defaultKernelPaths(variant))
      : ensureKernelBuild(defaultKernelPaths(variant));
    console.log(`wasm kernels (${variant}): ${out}`);
  }
  console.log(`this process loads: ${ensureKernelsBuilt()}`);
}
