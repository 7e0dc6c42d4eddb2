/**
 * MobileNetV2 (width 1.0, random init) fine-tuning benchmark on the tfjs wasm backend with
 * SonoFuse's kernels, plus the tfjs cpu backend as the baseline (one step). The measuring code is
 * main/engine/bench/engine-benchmark.ts, shared with `sonofuse bench`.
 *
 *   npx tsx bench/engine-train.ts [--json] [--batch 16] [--steps 3] [--sizes 224,160]
 *                                 [--cpu-batch 2] [--skip-cpu] [--stock] [--replicas 2]
 *                                 [--infer-all] [--folded] [--compare-pytorch] [--python PATH]
 *
 * --replicas N (default 2): data parallelism over N worker threads (one wasm backend each, the
 * batch split evenly, gradients averaged); --replicas 1 trains in this thread with trainOnBatch.
 * --folded: also times, in this thread, model.predict against the BatchNorm-folded inference
 * model (main/engine/wasm/inference-model.ts) on one replica's share of the batch.
 *
 * --compare-pytorch: right after ours, the same network, batch, sizes, step count and thread count
 * (--replicas) in PyTorch (main/engine/bench/pytorch-mobilenet-v2.py, Debian python3-torch) when
 * `python3 -c 'import torch'` works; adds `pytorch`, `ratio` and `ratio_cpu_bound` (ours / theirs)
 * to the JSON, or says PyTorch is absent and prints ours alone. Implies --infer-all.
 *
 * --ab-kernels: instead, alternates the plain-SIMD and relaxed-SIMD kernel builds (replica threads
 * load the build given to them) for --rounds rounds (default 2) and prints each build's rates per
 * round, so a change in the machine's load hits both alike.
 *
 * Prints training images/s of a full step (forward, backward, Adam update of every weight),
 * inference images/s (predict, same batch; at 224 only unless --infer-all) and peak RSS. With
 * --json: exactly one JSON object on stdout. Never fails on a time. Because other work may share
 * the cores, it also prints the rate the step's process CPU time implies on uncontended cores
 * (train_img_s_cpu_bound, an upper bound).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { peakRssMb, runEngineBenchmark, runSingleStepBaseline } from '../main/engine/bench/engine-benchmark';
import { compareWithPytorch } from '../main/engine/bench/pytorch-anchor';
import { ensureKernelsBuilt } from '../main/engine/wasm/build-kernels';
import { installWasmTrainingKernels } from '../main/engine/wasm/install-training-kernels';

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

const wasmPath = ensureKernelsBuilt();
installWasmTrainingKernels(tf, { wasmPath, replaceStock: !flag('stock'), fuseGradients: !flag('stock') });
await tf.setBackend('wasm');
log(
  `backend wasm (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}), ${replicas} replica thread(s), batch ${batch}, ${steps} timed steps`,
);

if (flag('ab-kernels')) {
  const { defaultKernelPaths, ensureKernelBuild } = await import('../main/engine/wasm/build-kernels');
  const rounds: Record<string, unknown[]> = { simd: [], relaxed: [] };
  for (let r = 0; r < Number(opt('rounds', '2')); r++)
    for (const variant of ['simd', 'relaxed'] as const) {
      const measured = await runEngineBenchmark({
        tf,
        backend: 'wasm',
        sizes,
        steps,
        batch,
        replicas,
        wasmPath: ensureKernelBuild(defaultKernelPaths(variant)),
        inferSizes: sizes,
        log: (line) => log(`${variant} round ${r + 1}: ${line}`),
      });
      rounds[variant]!.push(measured.results);
    }
  if (json) process.stdout.write(`${JSON.stringify({ ab_kernels: rounds, batch, replicas, steps })}\n`);
  process.exit(0);
}

const report = await runEngineBenchmark({
  tf,
  backend: 'wasm',
  sizes,
  steps,
  batch,
  replicas,
  wasmPath,
  stock: flag('stock'),
  inferSizes: flag('infer-all') || flag('compare-pytorch') ? sizes : [224],
  folded: flag('folded'),
  log,
});

const ourPeakRss = peakRssMb();
const comparison = flag('compare-pytorch')
  ? await compareWithPytorch(
      report,
      { threads: replicas, python: argv.includes('--python') ? opt('python', '') : undefined },
      log,
    )
  : {};

const baseline: Array<{ size: number; train_img_s: number; batch: number }> = [];
if (!flag('skip-cpu')) {
  await tf.setBackend('cpu');
  const b = await runSingleStepBaseline(tf, cpuBatch);
  baseline.push({ size: b.size, train_img_s: b.train_img_s, batch: b.batch });
  log(`cpu baseline 224px: one step of ${cpuBatch} images in ${b.seconds} s = ${b.train_img_s} img/s`);
}

if (json)
  process.stdout.write(
    `${JSON.stringify({ ...report, peak_rss_mb: ourPeakRss, ...comparison, baseline_cpu: baseline })}\n`,
  );
