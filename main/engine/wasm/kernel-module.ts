/** The raw exports of sonofuse-kernels.wasm (pointers are byte offsets into its own memory). */
export interface KernelExports {
  sf_gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    rsa: number,
    csa: number,
    b: number,
    rsb: number,
    csb: number,
    c: number,
    ldc: number,
    accumulate: number,
    tid: number,
  ): void;
  sf_conv2d_backprop_filter(
    geom: number,
    x: number,
    dy: number,
    dw: number,
    col: number,
    chunk: number,
    tid: number,
  ): void;
  sf_conv2d_backprop_input(
    geom: number,
    dy: number,
    w: number,
    dx: number,
    col: number,
    chunk: number,
    tid: number,
  ): void;
  sf_dw_backprop_input(geom: number, dy: number, w: number, dx: number, b0: number, b1: number): void;
  sf_dw_backprop_filter(
    geom: number,
    x: number,
    dy: number,
    dw: number,
    b0: number,
    b1: number,
    acc: number,
  ): void;
  sf_batchnorm_grad(
    x: number,
    dy: number,
    mean: number,
    variance: number,
    scale: number,
    eps: number,
    positions: number,
    channels: number,
    dx: number,
    dmean: number,
    dvar: number,
    dscale: number,
    doffset: number,
    sums: number,
  ): void;
  sf_clip_grad(x: number, dy: number, lo: number, hi: number, n: number, out: number): void;
  sf_relu_grad(x: number, dy: number, n: number, out: number): void;
  sf_broadcast_rows(dy: number, scale: number, positions: number, channels: number, out: number): void;
  sf_square_grad(x: number, dy: number, n: number, out: number): void;
  sf_slice4d(x: number, shape: number, begin: number, size: number, out: number): void;
  sf_bn_train_fwd(
    x: number,
    gamma: number,
    beta: number,
    eps: number,
    positions: number,
    channels: number,
    y: number,
    mean: number,
    variance: number,
    scratch: number,
    /** > 0: ReLU(maxValue) fused in (clip to [0, activationMax]); 0: none. */
    activationMax: number,
  ): void;
  sf_bn_train_bwd(
    x: number,
    dy: number,
    mean: number,
    variance: number,
    gamma: number,
    eps: number,
    positions: number,
    channels: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    scratch: number,
    beta: number,
    activationMax: number,
  ): void;
  sf_conv2d_forward(
    geom: number,
    x: number,
    w: number,
    bias: number,
    act: number,
    y: number,
    col: number,
    chunk: number,
    tid: number,
  ): void;
  sf_adam_update(
    value: number,
    grad: number,
    m: number,
    v: number,
    n: number,
    constants: number,
    outValue: number,
    outM: number,
    outV: number,
  ): void;
  sf_channel_sum(
    x: number,
    positions: number,
    channels: number,
    scale: number,
    out: number,
    block: number,
  ): void;
  sf_batchnorm_fwd(
    x: number,
    mean: number,
    variance: number,
    scale: number,
    offset: number,
    eps: number,
    positions: number,
    channels: number,
    y: number,
    factor: number,
  ): void;
}

/** The tfjs wasm backend's heap, which the kernels share (no copies in or out). */
export interface HostHeap {
  memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

/**
 * The kernel module instantiated as a position-independent side module inside the tfjs wasm
 * backend's own memory: its static data (GEMM packing buffers) and its stack are carved out of
 * that heap with the backend's malloc, so kernels read tensors and write outputs in place.
 */
export interface KernelModule {
  readonly exports: KernelExports;
  /** Scratch memory in the shared heap for one call; `release` frees everything it handed out. */
  scratch(floats: number): number;
  /** Writes int32 values (e.g. a geometry struct) into scratch memory; returns the byte offset. */
  writeInts(values: readonly number[]): number;
  release(): void;
}

const STACK_BYTES = 1 << 18;

const readLeb = (b: Uint8Array, pos: { i: number }): number => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos.i++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(byte & 0x80)) return result;
  }
};

/** Static memory size and alignment (log2) from the module's dylink.0 section. */
export const sideModuleMemory = (module: WebAssembly.Module): { size: number; align: number } => {
  const [section] = WebAssembly.Module.customSections(module, 'dylink.0');
  if (!section) throw new Error('sonofuse-kernels.wasm is not a side module (no dylink.0 section)');
  const b = new Uint8Array(section);
  const pos = { i: 0 };
  while (pos.i < b.length) {
    const type = b[pos.i++];
    const len = readLeb(b, pos);
    if (type === 1) return { size: readLeb(b, pos), align: readLeb(b, pos) };
    pos.i += len;
  }
  return { size: 0, align: 0 };
};

/** Instantiates the compiled kernels synchronously inside `heap` (Node allows any module size). */
export const createKernelModule = (wasmBytes: Uint8Array, heap: HostHeap): KernelModule => {
  const module = new WebAssembly.Module(wasmBytes as Uint8Array<ArrayBuffer>);
  const { size, align } = sideModuleMemory(module);
  const alignBytes = 2 ** align;
  const base = heap.malloc(size + alignBytes + STACK_BYTES + 16);
  const memoryBase = ((base + alignBytes - 1) & ~(alignBytes - 1)) >>> 0;
  const stackTop = ((memoryBase + size + STACK_BYTES) & ~15) >>> 0;
  new Uint8Array(heap.memory.buffer, memoryBase, size).fill(0);
  const env = {
    memory: heap.memory,
    __indirect_function_table: new WebAssembly.Table({ initial: 0, element: 'anyfunc' }),
    __stack_pointer: new WebAssembly.Global({ value: 'i32', mutable: true }, stackTop),
    __memory_base: new WebAssembly.Global({ value: 'i32', mutable: false }, memoryBase),
    __table_base: new WebAssembly.Global({ value: 'i32', mutable: false }, 0),
  };
  const instance = new WebAssembly.Instance(module, { env });
  const exports = instance.exports as unknown as KernelExports;
  let live: number[] = [];
  const scratch = (floats: number): number => {
    const raw = heap.malloc(floats * 4 + 16);
    if (!raw) throw new Error(`out of wasm memory allocating ${floats * 4} bytes of kernel scratch`);
    live.push(raw);
    return ((raw + 15) & ~15) >>> 0;
  };
  return {
    exports,
    scratch,
    writeInts: (values) => {
      const ptr = scratch(values.length);
      new Int32Array(heap.memory.buffer, ptr, values.length).set(values);
      return ptr;
    },
    release: () => {
      for (const p of live) heap.free(p);
      live = [];
    },
  };
};
