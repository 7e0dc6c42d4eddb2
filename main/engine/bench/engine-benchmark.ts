import type { EngineBackendName } from '../backend/backend-candidates';
import type { TfNamespace } from '../backend/backend-loaders';
import { createDataParallelTrainer } from '../wasm/data-parallel-trainer';
import { fuseAdamOnWasm } from '../wasm/fused-adam';
import { createInferenceModel } from '../wasm/inference-model';
import { buildMobileNetV2 } from './engine-mobilenet-v2';
import { mulberry32 } from '../../../shared/random/seeded-random';

type Tf = TfNamespace;
type Tensor = ReturnType<Tf['tensor']>;

/** Options of {@link runEngineBenchmark}. */
export interface EngineBenchOptions {
  /** The tf namespace, already switched onto `backend` (see select-backend.ts). */
  tf: Tf;
  backend: EngineBackendName;
  /** Square input sides to measure, e.g. [224, 160]. */
  sizes: readonly number[];
  /** Timed steps per size (after one untimed warm-up step). */
  steps: number;
  batch: number;
  /** wasm only: data-parallel worker threads (1 = train in this thread with trainOnBatch). */
  replicas: number;
  /** wasm only: the compiled SonoFuse kernels, needed by the replica threads. */
  wasmPath?: string;
  /** Stock BatchNormalization/ReLU layers instead of SonoFuse's fused ones. */
  stock?: boolean;
  /** Sizes inference is measured at (default: every size). */
  inferSizes?: readonly number[];
  /**
   * wasm only: also time, in this thread, `model.predict` and the BatchNorm-folded inference model
   * (inference-model.ts) on one replica's share of the batch.
   */
  folded?: boolean;
  /** Progress lines (human-readable). */
  log?: (line: string) => void;
}

/** Figures of one input size. Rates are images per second, medians over the timed steps. */
export interface EngineBenchSizeResult {
  size: number;
  train_img_s: number;
  /** 0 when inference was not measured at this size. */
  infer_img_s: number;
  peak_rss_mb: number;
  /** The rate the step's process CPU time implies on uncontended cores (an upper bound). */
  train_img_s_cpu_bound: number;
  /** Inference rate implied by process CPU time (as train_img_s_cpu_bound). */
  infer_img_s_cpu_bound?: number;
  /** With `folded` and replicas > 1: predict through replicas whose predict is the folded model. */
  infer_folded_img_s?: number;
  infer_folded_img_s_cpu_bound?: number;
  /** With `folded`: single-thread predict and folded-model rates on `batch / replicas` images. */
  infer_1thread_img_s?: number;
  infer_1thread_img_s_cpu_bound?: number;
  infer_folded_1thread_img_s?: number;
  infer_folded_1thread_img_s_cpu_bound?: number;
}

/** What `sonofuse bench --json` and bench/engine-train.ts print. */
export interface EngineBenchReport {
  backend: string;
  replicas: number;
  batch: number;
  steps: number;
  results: EngineBenchSizeResult[];
}

export const BENCH_CLASSES = 4;

/** Deterministic uniform(-1, 1) floats (mulberry32), so every run measures the same inputs. */
export const benchFloats = (seed: number, n: number): Float32Array => {
  const g = mulberry32(seed);
  return Float32Array.from({ length: n }, () => g.next() * 2 - 1);
};

/** A batch of random images and one-hot labels cycling over the classes. */
export const benchBatch = (n: number, size: number) => {
  const y = new Float32Array(n * BENCH_CLASSES);
  for (let i = 0; i < n; i++) y[i * BENCH_CLASSES + (i % BENCH_CLASSES)] = 1;
  return {
    x: benchFloats(42, n * size * size * 3),
    xShape: [n, size, size, 3],
    y,
    yShape: [n, BENCH_CLASSES],
  };
};

export const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

interface Timing {
  wallMs: number[];
  cpuMs: number[];
}

/** Adds one call's wall-clock and process CPU time (all threads) to `t`. */
const timeOnce = async (t: Timing, f: () => Promise<unknown>): Promise<void> => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  t.wallMs.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  t.cpuMs.push((c.user + c.system) / 1000);
};

/** Times `count` calls after one untimed warm-up call. */
const timeCalls = async (count: number, f: () => Promise<unknown>): Promise<Timing> => {
  await f();
  const t: Timing = { wallMs: [], cpuMs: [] };
  for (let i = 0; i < count; i++) await timeOnce(t, f);
  return t;
};

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const round2 = (v: number) => Math.round(v * 100) / 100;
/** Images/s of the median wall time. */
const rate = (t: Timing, n: number) => round2((1000 * n) / median(t.wallMs));
/** Images/s the median CPU time gives when `threads` cores (at most 2 here) share it. */
const cpuRate = (t: Timing, n: number, threads: number) =>
  round2((1000 * n) / (median(t.cpuMs) / Math.max(1, Math.min(threads, 2))));

const newModel = (tf: Tf, size: number, fast: boolean) => {
  const model = buildMobileNetV2(tf, { size, classes: BENCH_CLASSES, fast });
  // the same optimizer the data-parallel replicas use (one fused Adam kernel per variable on wasm)
  model.compile({ optimizer: fuseAdamOnWasm(tf, tf.train.adam(1e-4)), loss: 'categoricalCrossentropy' });
  return model;
};

/** Reads a prediction back (what a caller pays for) and frees it. */
const readBack = async (t: Tensor) => {
  await t.data();
  t.dispose();
};

/** Single-process training and inference on whatever backend `tf` is on. */
const measureInProcess = async (opts: EngineBenchOptions, size: number, infer: boolean) => {
  const { tf, batch, steps } = opts;
  const model = newModel(tf, size, !opts.stock);
  const b = benchBatch(batch, size);
  const x = tf.tensor(b.x, b.xShape);
  const y = tf.tensor(b.y, b.yShape);
  const train = await timeCalls(steps, () => model.trainOnBatch(x, y));
  const inferT = infer ? await timeCalls(steps, () => readBack(model.predict(x) as Tensor)) : null;
  tf.dispose([x, y]);
  model.dispose();
  return { train, infer: inferT, inferFolded: null as Timing | null };
};

/** A module next to this one: the .ts under tsx/vitest, the .js in a bundled build. */
const sibling = (name: string) =>
  new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

const startReplicas = (opts: EngineBenchOptions, size: number, folded: boolean) => {
  if (!opts.wasmPath) throw new Error('the data-parallel benchmark needs wasmPath (the kernel module)');
  return createDataParallelTrainer({
    replicas: opts.replicas,
    wasmPath: opts.wasmPath,
    modelModule: sibling(folded ? 'folded-predict-model' : 'engine-mobilenet-v2'),
    modelExport: folded ? 'buildMobileNetV2WithFoldedPredict' : 'buildMobileNetV2',
    modelOptions: { size, classes: BENCH_CLASSES, fast: !opts.stock },
    learningRate: 1e-4,
  });
};

/** wasm: data-parallel training and inference over `replicas` worker threads. */
const measureParallel = async (opts: EngineBenchOptions, size: number, infer: boolean) => {
  const b = benchBatch(opts.batch, size);
  const trainer = await startReplicas(opts, size, false);
  let train: Timing;
  let inferT: Timing | null = null;
  try {
    train = await timeCalls(opts.steps, () => trainer.step(b.x, b.xShape, b.y, b.yShape));
    if (infer) inferT = await timeCalls(opts.steps, () => trainer.predict(b.x, b.xShape));
  } finally {
    await trainer.dispose();
  }
  let inferFolded: Timing | null = null;
  if (infer && opts.folded) {
    const replicas = await startReplicas(opts, size, true);
    try {
      inferFolded = await timeCalls(opts.steps, () => replicas.predict(b.x, b.xShape));
    } finally {
      await replicas.dispose();
    }
  }
  return { train, infer: inferT, inferFolded };
};

/** This thread: model.predict vs the BatchNorm-folded inference model on one replica's share. */
const measureFolded = async (opts: EngineBenchOptions, size: number) => {
  const { tf } = opts;
  const n = Math.max(1, Math.floor(opts.batch / Math.max(1, opts.replicas)));
  const model = newModel(tf, size, !opts.stock);
  const runner = createInferenceModel(tf, model);
  const b = benchBatch(n, size);
  const x = tf.tensor(b.x, b.xShape);
  // Alternate the two so a change in the machine's load hits both alike.
  const plainCall = () => readBack(model.predict(x) as Tensor);
  const foldedCall = () => readBack(runner.predict(x));
  await plainCall();
  await foldedCall();
  const plain: Timing = { wallMs: [], cpuMs: [] };
  const folded: Timing = { wallMs: [], cpuMs: [] };
  for (let i = 0; i < opts.steps; i++) {
    await timeOnce(plain, plainCall);
    await timeOnce(folded, foldedCall);
  }
  tf.dispose(x);
  runner.dispose();
  model.dispose();
  return {
    infer_1thread_img_s: rate(plain, n),
    infer_1thread_img_s_cpu_bound: cpuRate(plain, n, 1),
    infer_folded_1thread_img_s: rate(folded, n),
    infer_folded_1thread_img_s_cpu_bound: cpuRate(folded, n, 1),
  };
};

/**
 * Measures MobileNetV2 (width 1.0, random init) fine-tuning and inference speed: a full training
 * step (forward, backward, Adam update of every weight) and `predict` on the same batch, per input
 * size. On wasm with `replicas > 1` through the data-parallel trainer (one worker thread per
 * replica); otherwise in this process with `trainOnBatch` on `tf`'s backend. Never judges a time.
 */
export const runEngineBenchmark = async (opts: EngineBenchOptions): Promise<EngineBenchReport> => {
  const log = opts.log ?? (() => undefined);
  const parallel = opts.backend === 'wasm' && opts.replicas > 1;
  const threads = parallel ? opts.replicas : 1;
  const results: EngineBenchSizeResult[] = [];
  for (const size of opts.sizes) {
    const infer = (opts.inferSizes ?? opts.sizes).includes(size);
    const t = parallel ? await measureParallel(opts, size, infer) : await measureInProcess(opts, size, infer);
    const r: EngineBenchSizeResult = {
      size,
      train_img_s: rate(t.train, opts.batch),
      infer_img_s: t.infer ? rate(t.infer, opts.batch) : 0,
      peak_rss_mb: peakRssMb(),
      train_img_s_cpu_bound: cpuRate(t.train, opts.batch, threads),
    };
    if (t.infer) r.infer_img_s_cpu_bound = cpuRate(t.infer, opts.batch, threads);
    if (t.inferFolded) {
      r.infer_folded_img_s = rate(t.inferFolded, opts.batch);
      r.infer_folded_img_s_cpu_bound = cpuRate(t.inferFolded, opts.batch, threads);
    }
    if (opts.folded && opts.backend === 'wasm' && infer) Object.assign(r, await measureFolded(opts, size));
    results.push(r);
    log(
      `${size}px: train ${r.train_img_s} img/s` +
        (t.infer ? `; inference ${r.infer_img_s} img/s (cpu ${r.infer_img_s_cpu_bound})` : '') +
        `; peak RSS ${r.peak_rss_mb} MB; CPU-time bound ${r.train_img_s_cpu_bound} img/s` +
        (r.infer_folded_img_s !== undefined
          ? `; folded inference ${r.infer_folded_img_s} img/s (cpu ${r.infer_folded_img_s_cpu_bound})`
          : '') +
        (r.infer_folded_1thread_img_s !== undefined
          ? `; 1 thread predict ${r.infer_1thread_img_s} (cpu ${r.infer_1thread_img_s_cpu_bound}) vs folded ${r.infer_folded_1thread_img_s} (cpu ${r.infer_folded_1thread_img_s_cpu_bound}) img/s`
          : ''),
    );
  }
  return {
    backend: parallel ? `wasm x${opts.replicas} data-parallel` : opts.backend,
    replicas: threads,
    batch: opts.batch,
    steps: opts.steps,
    results,
  };
};

/** One training step of `batch` images at 224 px on `tf`'s current backend (the slow baseline). */
export const runSingleStepBaseline = async (tf: Tf, batch: number, size = 224) => {
  const model = newModel(tf, size, false);
  const b = benchBatch(batch, size);
  const x = tf.tensor(b.x, b.xShape);
  const y = tf.tensor(b.y, b.yShape);
  const t0 = performance.now();
  await model.trainOnBatch(x, y);
  const sec = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return { size, batch, seconds: round2(sec), train_img_s: +(batch / sec).toFixed(4) };
};
