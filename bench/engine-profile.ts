/**
 * Profiles one MobileNetV2 training step on the wasm backend and prints the kernels by total time.
 * Usage: npx tsx bench/engine-profile.ts [--size 224] [--batch 4] [--stock]
 *   --stock  profile without SonoFuse's replacements of stock kernels (the missing three still load)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ensureKernelsBuilt } from '../main/engine/wasm/build-kernels';
import { installWasmTrainingKernels } from '../main/engine/wasm/install-training-kernels';
import { buildMobileNetV2 } from './engine-mobilenet-v2';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const size = arg('size', 224);
const batch = arg('batch', 4);

installWasmTrainingKernels(tf, {
  wasmPath: ensureKernelsBuilt(),
  replaceStock: !process.argv.includes('--stock'),
});
await tf.setBackend('wasm');
const model = buildMobileNetV2(tf, { size, classes: 4, fast: !process.argv.includes('--stock') });
model.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy' });
const x = tf.randomUniform([batch, size, size, 3], -1, 1);
const y = tf.oneHot(
  tf.tensor1d([0, 1, 2, 3].slice(0, batch).concat(Array(Math.max(0, batch - 4)).fill(0)), 'int32'),
  4,
);
await model.trainOnBatch(x, y); // warm-up: kernel setup, XNNPACK operator caches

const t0 = performance.now();
const info = await tf.profile(async () => {
  await model.trainOnBatch(x, y);
});
const wall = performance.now() - t0;
const byName = new Map<string, { ms: number; n: number }>();
for (const k of info.kernels) {
  const ms = Number(await k.kernelTimeMs) || 0;
  const e = byName.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += ms;
  e.n += 1;
  byName.set(k.name, e);
}
console.log(
  'wasm heap MB',
  ((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length / 2 ** 20).toFixed(0),
  'tensors MB',
  (tf.memory().numBytes / 2 ** 20).toFixed(0),
);
const rows = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(
  `size ${size} batch ${batch}: step wall ${wall.toFixed(0)} ms (profiled), kernels ${total.toFixed(0)} ms`,
);
for (const [name, e] of rows.slice(0, 25)) {
  console.log(
    `${name.padEnd(36)} ${e.ms.toFixed(1).padStart(9)} ms ${String(e.n).padStart(5)} calls ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`,
  );
}
