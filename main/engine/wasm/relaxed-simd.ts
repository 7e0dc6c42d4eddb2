import { setFlagsFromString } from 'node:v8';

/** V8's flag for relaxed SIMD where it is not on by default (Node 20: V8 11.3). */
export const RELAXED_SIMD_V8_FLAG = '--experimental-wasm-relaxed-simd';

/** Bumped when the opcode rewrite changes, so stale relaxed builds are rebuilt. */
export const RELAXED_REWRITE_VERSION = 'relaxed-madd-rewrite-1';

/** clang 14's prototype encoding of f32x4.fma (a * b + c) and the standard f32x4.relaxed_madd. */
const PROTOTYPE_FMA = [0xfd, 0xaf, 0x01] as const;
const RELAXED_MADD = [0xfd, 0x85, 0x02] as const;

/** `(func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd)`. */
export const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x08,
  0x01,
  0x60,
  0x03,
  0x7b,
  0x7b,
  0x7b,
  0x01,
  0x7b, // type: (v128 v128 v128) -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function 0 has type 0
  0x0a,
  0x0d,
  0x01,
  0x0b,
  0x00,
  0x20,
  0x00,
  0x20,
  0x01,
  0x20,
  0x02,
  ...RELAXED_MADD,
  0x0b,
]);

/** True when this engine compiles relaxed SIMD now (no flag is changed). */
export const relaxedSimdValidates = (): boolean => WebAssembly.validate(RELAXED_SIMD_PROBE);

/** V8 turned relaxed SIMD on by default in 11.4 (Chrome 114); Node 20 ships 11.3. */
export const v8NeedsRelaxedSimdFlag = (v8Version: string = process.versions.v8): boolean => {
  const [major = 0, minor = 0] = v8Version.split('.').map(Number);
  return major < 11 || (major === 11 && minor < 4);
};

/**
 * Node flags that give a child Node process relaxed SIMD (for `fork`'s execArgv): the V8 flag
 * where the V8 version needs it, nothing otherwise (V8 rejects nothing, but a newer one may drop
 * the flag). Electron's own V8 has relaxed SIMD on by default.
 */
export const relaxedSimdExecArgv = (v8Version?: string): string[] =>
  v8NeedsRelaxedSimdFlag(v8Version) ? [RELAXED_SIMD_V8_FLAG] : [];

let enabled: boolean | undefined;

/**
 * Feature detection at load: true when relaxed SIMD validates, turning V8's flag on first where
 * this Node's V8 needs it (V8 flags are per process: the replica worker threads of this process
 * see it too). A process started with the flag (relaxedSimdExecArgv) validates at once.
 */
export const enableRelaxedSimd = (): boolean => {
  if (enabled !== undefined) return enabled;
  if (!relaxedSimdValidates() && v8NeedsRelaxedSimdFlag() && !process.versions.electron)
    setFlagsFromString(RELAXED_SIMD_V8_FLAG);
  enabled = relaxedSimdValidates();
  return enabled;
};

const readLeb = (b: Uint8Array, pos: { i: number }): number => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos.i++]!;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return result;
  }
};

/** [start, end) of the code section's payload. */
const codeSection = (b: Uint8Array): [number, number] => {
  const pos = { i: 8 };
  while (pos.i < b.length) {
    const id = b[pos.i++]!;
    const size = readLeb(b, pos);
    if (id === 10) return [pos.i, pos.i + size];
    pos.i += size;
  }
  throw new Error('the kernel module has no code section');
};

/**
 * Rewrites clang 14's prototype f32x4.fma (0xfd 0xaf 0x01) to the standard f32x4.relaxed_madd
 * (0xfd 0x85 0x02; same length, same operands a * b + c) inside the code section. `expected` is
 * the number of fma instructions in clang's assembly: a byte match inside some immediate would
 * make the counts differ, and then this throws instead of corrupting the module.
 */
export const rewriteRelaxedMadd = (wasm: Uint8Array, expected: number): Uint8Array => {
  const out = Uint8Array.from(wasm);
  const [start, end] = codeSection(out);
  let found = 0;
  for (let i = start; i + 2 < end; i++) {
    if (out[i] === PROTOTYPE_FMA[0] && out[i + 1] === PROTOTYPE_FMA[1] && out[i + 2] === PROTOTYPE_FMA[2]) {
      out.set(RELAXED_MADD, i);
      found++;
      i += 2;
    }
  }
  if (found !== expected)
    throw new Error(`relaxed-SIMD rewrite: ${found} f32x4.fma byte matches but clang emitted ${expected}`);
  return out;
};
