/**
 * MobileNetV2 (width 1.0, random init) fine-tuning benchmark on the tfjs wasm backend with
 * SonoFuse's kernels, plus the tfjs cpu backend as the baseline (one step).
 *
 *   npx tsx bench/engine-train.ts [--json] [--batch 16] [--steps 3] [--sizes 224,160]
 *                                 [--cpu-batch 2] [--skip-cpu] [--stock] [--replicas 2]
 *
 * --replicas N (default 2): data parallelism over N worker threads (one wasm backend each, the
 * batch split evenly, gradients averaged); --replicas 1 trains in this thread with trainOnBatch.
 *
 * Prints training images/s of a full step (forward, backward, Adam update of every weight),
 * inference images/s (predict, same batch) and peak RSS. With --json: exactly one JSON object on
 * stdout. Never fails on a time. Because other work may share the cores, it also prints the rate
 * the step's process CPU time implies on uncontended cores (train_img_s_cpu_bound, an upper bound).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ensureKernelsBuilt } from '../main/engine/wasm/build-kernels';
import { createDataParallelTrainer } from '../main/engine/wasm/data-parallel-trainer';
import { installWasmTrainingKernels } from '../main/engine/wasm/install-training-kernels';
import { buildMobileNetV2 } from './engine-mobilenet-v2';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const json = flag('json');
const batch = Number(opt('batch', '16'));
const steps = Number(opt('steps', '3'));
const sizes = opt('sizes', '224,160').split(',').map(Number);
const cpuBatch = Number(opt('cpu-batch', '2'));
const replicas = Number(opt('replicas', '2'));
const log = (...a: unknown[]) => (json ? console.error(...a) : console.log(...a));
if (json) console.log = console.error; // keep stdout for the one JSON object

const CLASSES = 4;
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

const makeBatch = (n: number, size: number) => {
  const x = tf.randomUniform([n, size, size, 3], -1, 1, 'float32', 42);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: n }, (_, i) => i % CLASSES),
      'int32',
    ),
    CLASSES,
  );
  return { x, y };
};

const newModel = (size: number) => {
  const model = buildMobileNetV2(tf, { size, classes: CLASSES, fast: !flag('stock') });
  model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy' });
  return model;
};

/** Wall-clock and process CPU time (all threads) of one timed call. */
const timed = async (f: () => Promise<unknown>) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpuMs.push((c.user + c.system) / 1000);
  return wall;
};
let cpuMs: number[] = [];
const cpuRate = (n: number, threads: number) => {
  const sorted = [...cpuMs].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)];
  return (1000 * n) / (med / Math.min(threads, 2));
};

const stats = (ms: number[], n: number) => {
  const rates = ms.map((t) => (1000 * n) / t).sort((a, b) => a - b);
  return { best: rates[rates.length - 1], median: rates[Math.floor(rates.length / 2)], worst: rates[0] };
};

/** Times `steps` training steps after one warm-up step; returns per-step milliseconds. */
const timeTraining = async (model: tf.LayersModel, n: number, size: number, count: number) => {
  const { x, y } = makeBatch(n, size);
  await model.trainOnBatch(x, y);
  const ms: number[] = [];
  cpuMs = [];
  for (let i = 0; i < count; i++) ms.push(await timed(() => model.trainOnBatch(x, y)));
  tf.dispose([x, y]);
  return ms;
};

const timeInference = async (model: tf.LayersModel, n: number, size: number, count: number) => {
  const { x, y } = makeBatch(n, size);
  const run = async () => {
    const t0 = performance.now();
    const p = model.predict(x) as tf.Tensor;
    await p.data();
    p.dispose();
    return performance.now() - t0;
  };
  await run();
  const ms: number[] = [];
  for (let i = 0; i < count; i++) ms.push(await run());
  tf.dispose([x, y]);
  return ms;
};

installWasmTrainingKernels(tf, {
  wasmPath: ensureKernelsBuilt(),
  replaceStock: !flag('stock'),
  fuseGradients: !flag('stock'),
});
await tf.setBackend('wasm');
log(
  `backend wasm (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}), ${replicas} replica thread(s), batch ${batch}, ${steps} timed steps`,
);

/** Same measurements through the data-parallel trainer (worker threads). */
const timeParallel = async (size: number) => {
  const wasmPath = ensureKernelsBuilt();
  const trainer = await createDataParallelTrainer({
    replicas,
    wasmPath,
    modelModule: new URL('./engine-mobilenet-v2.ts', import.meta.url).href,
    modelExport: 'buildMobileNetV2',
    modelOptions: { size, classes: CLASSES, fast: !flag('stock') },
    learningRate: 1e-4,
  });
  const { x, y } = makeBatch(batch, size);
  const xv = x.dataSync() as Float32Array;
  const yv = y.dataSync() as Float32Array;
  await trainer.step(xv, x.shape, yv, y.shape);
  const train: number[] = [];
  cpuMs = [];
  for (let i = 0; i < steps; i++) train.push(await timed(() => trainer.step(xv, x.shape, yv, y.shape)));
  const trainCpu = cpuRate(batch, replicas);
  const infer: number[] = [];
  if (size === 224 || flag('infer-all')) {
    await trainer.predict(xv, x.shape);
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await trainer.predict(xv, x.shape);
      infer.push(performance.now() - t0);
    }
  }
  await trainer.dispose();
  tf.dispose([x, y]);
  return { train, infer, trainCpu };
};

const results: Array<{
  size: number;
  train_img_s: number;
  infer_img_s: number;
  peak_rss_mb: number;
  train_img_s_cpu_bound: number;
}> = [];
for (const size of sizes) {
  let train: ReturnType<typeof stats>;
  let infer: ReturnType<typeof stats> | null = null;
  let trainCpu: number;
  if (replicas > 1) {
    const t = await timeParallel(size);
    trainCpu = t.trainCpu;
    train = stats(t.train, batch);
    if (t.infer.length) infer = stats(t.infer, batch);
  } else {
    const model = newModel(size);
    train = stats(await timeTraining(model, batch, size, steps), batch);
    trainCpu = cpuRate(batch, 1);
    if (size === 224 || flag('infer-all'))
      infer = stats(await timeInference(model, batch, size, steps), batch);
    model.dispose();
  }
  const r = {
    size,
    train_img_s: +train.median.toFixed(2),
    infer_img_s: infer ? +infer.median.toFixed(2) : 0,
    peak_rss_mb: peakRssMb(),
    // images/s the step's process CPU time would give on uncontended cores (an upper bound)
    train_img_s_cpu_bound: +trainCpu.toFixed(2),
  };
  results.push(r);
  log(
    `${size}px: train ${train.median.toFixed(2)} img/s (best ${train.best.toFixed(2)}, worst ${train.worst.toFixed(2)})` +
      (infer
        ? `; inference ${infer.median.toFixed(2)} img/s (best ${infer.best.toFixed(2)}, worst ${infer.worst.toFixed(2)})`
        : '') +
      `; peak RSS ${r.peak_rss_mb} MB; CPU-time bound ${r.train_img_s_cpu_bound} img/s`,
  );
}

const baseline: Array<{ size: number; train_img_s: number; batch: number }> = [];
if (!flag('skip-cpu')) {
  await tf.setBackend('cpu');
  const model = newModel(224);
  const { x, y } = makeBatch(cpuBatch, 224);
  const t0 = performance.now();
  await model.trainOnBatch(x, y);
  const sec = (performance.now() - t0) / 1000;
  baseline.push({ size: 224, train_img_s: +(cpuBatch / sec).toFixed(4), batch: cpuBatch });
  log(
    `cpu baseline 224px: one step of ${cpuBatch} images in ${sec.toFixed(1)} s = ${(cpuBatch / sec).toFixed(4)} img/s`,
  );
  tf.dispose([x, y]);
  model.dispose();
}

if (json)
  process.stdout.write(
    `${JSON.stringify({ backend: replicas > 1 ? `wasm x${replicas} data-parallel` : 'wasm', batch, results, baseline_cpu: baseline })}\n`,
  );
