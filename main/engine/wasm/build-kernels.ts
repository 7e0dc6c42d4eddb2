import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the C sources live and where the compiled module goes (out/ is git-ignored). */
export interface KernelBuildPaths {
  sourceDir: string;
  outFile: string;
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

/** Default locations, resolved from this file (main/engine/wasm/ is three levels below the root). */
export const defaultKernelPaths = (): KernelBuildPaths => {
  const root = process.env.SONOFUSE_ROOT ?? fileURLToPath(new URL('../../../', import.meta.url));
  return {
    sourceDir: join(root, 'main', 'engine', 'wasm', 'c'),
    outFile: join(root, 'out', 'kernels', 'sonofuse-kernels.wasm'),
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
  h.update(KERNEL_CFLAGS.join(' '));
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
  try {
    execFileSync('clang', [...KERNEL_CFLAGS, '-o', paths.outFile, ...sources], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
    throw new Error(`compiling the wasm kernels failed (is lld/wasm-ld installed?):\n${stderr}`);
  }
  writeFileSync(stampFile(paths), `${kernelSourceHash(paths)}\n`);
  return paths.outFile;
};

/** Builds only when missing or stale; returns the path of the compiled module. */
export const ensureKernelsBuilt = (paths: KernelBuildPaths = defaultKernelPaths()): string =>
  kernelsAreStale(paths) ? buildKernels(paths) : paths.outFile;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const force = process.argv.includes('--force');
  const out = force ? buildKernels() : ensureKernelsBuilt();
  console.log(`wasm kernels: ${out}`);
}
