import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKernelsBuilt } from '../../../../../main/engine/wasm/build-kernels';
import type { DataParallelTrainer } from '../../../../../main/engine/wasm/data-parallel-trainer';
import { createDataParallelTrainer } from '../../../../../main/engine/wasm/data-parallel-trainer';
import type { WasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import { buildTinyModel } from './tiny-model-fixture';
import { relativeError, seededFloats, setupWasmKernels, tf } from './wasm-test-setup';

const SIZE = 8;
const N = 6;
const x = seededFloats(21, N * SIZE * SIZE * 3);
const labels = [0, 1, 2, 2, 1, 0];
const y = new Float32Array(N * 3);
labels.forEach((l, i) => (y[i * 3 + l] = 1));

/** The same step in this thread: mean loss over the full batch, one Adam update. */
const referenceStep = (steps: number) => {
  const model = buildTinyModel(tf, { size: SIZE });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(0.01);
  const xs = tf.tensor4d(x, [N, SIZE, SIZE, 3]);
  const ys = tf.tensor2d(y, [N, 3]);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const { value, grads } = opt.computeGradients(
      () => tf.mean(tf.metrics.categoricalCrossentropy(ys, model.apply(xs) as tf.Tensor)) as tf.Scalar,
      vars,
    );
    losses.push(value.dataSync()[0]);
    opt.applyGradients(grads as never);
    tf.dispose([value, ...Object.values(grads)]);
  }
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([xs, ys]);
  model.dispose();
  return { losses, weights };
};

describe('data-parallel training over two worker-thread replicas', () => {
  let kernels: WasmTrainingKernels;
  let trainer: DataParallelTrainer;
  beforeAll(async () => {
    kernels = await setupWasmKernels();
    trainer = await createDataParallelTrainer({
      replicas: 2,
      wasmPath: ensureKernelsBuilt(),
      modelModule: new URL('./tiny-model-fixture.ts', import.meta.url).href,
      modelExport: 'buildTinyModel',
      modelOptions: { size: SIZE },
      learningRate: 0.01,
      maxParams: 10_000,
    });
  });
  afterAll(async () => {
    await trainer.dispose();
    kernels.uninstall();
  });

  it('matches full-batch steps in one thread (averaged half-batch gradients)', async () => {
    const ref = referenceStep(3);
    const losses: number[] = [];
    for (let s = 0; s < 3; s++) losses.push(await trainer.step(x, [N, SIZE, SIZE, 3], y, [N, 3]));
    for (let s = 0; s < 3; s++) expect(Math.abs(losses[s] - ref.losses[s])).toBeLessThan(1e-5);
    expect(ref.losses[2]).toBeLessThan(ref.losses[0]);
    const weights = await trainer.weights();
    expect(weights.length).toBe(ref.weights.length);
    for (let i = 0; i < weights.length; i++)
      expect(relativeError(weights[i], ref.weights[i])).toBeLessThan(1e-4);
  });

  it('predicts across replicas in batch order', async () => {
    const out = await trainer.predict(x, [N, SIZE, SIZE, 3]);
    expect(out.length).toBe(N * 3);
    for (let i = 0; i < N; i++) expect(out[i * 3] + out[i * 3 + 1] + out[i * 3 + 2]).toBeCloseTo(1, 5);
  });
});

describe('data-parallel replicas for stage 1 (async factory, SGD momentum, features, weights)', () => {
  let kernels: WasmTrainingKernels;
  let trainer: DataParallelTrainer;
  beforeAll(async () => {
    kernels = await setupWasmKernels();
    trainer = await createDataParallelTrainer({
      replicas: 2,
      wasmPath: ensureKernelsBuilt(),
      modelModule: new URL('./tiny-model-fixture.ts', import.meta.url).href,
      modelExport: 'buildTinyModelAsync',
      modelOptions: { size: SIZE },
      learningRate: 0.05,
      optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
      featureLayer: 'pool',
      maxParams: 10_000,
    });
  });
  afterAll(async () => {
    await trainer.dispose();
    kernels.uninstall();
  });

  it('applies SGD with momentum exactly as tf.train.momentum does in one thread', async () => {
    const model = buildTinyModel(tf, { size: SIZE });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const opt = tf.train.momentum(0.05, 0.9);
    const xs = tf.tensor4d(x, [N, SIZE, SIZE, 3]);
    const ys = tf.tensor2d(y, [N, 3]);
    const ref: number[] = [];
    for (let s = 0; s < 3; s++) {
      const { value, grads } = opt.computeGradients(
        () => tf.mean(tf.metrics.categoricalCrossentropy(ys, model.apply(xs) as tf.Tensor)) as tf.Scalar,
        vars,
      );
      ref.push(value.dataSync()[0]);
      opt.applyGradients(grads as never);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const refWeights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    tf.dispose([xs, ys]);
    model.dispose();
    for (let s = 0; s < 3; s++)
      expect(Math.abs((await trainer.step(x, [N, SIZE, SIZE, 3], y, [N, 3])) - ref[s]!)).toBeLessThan(1e-5);
    const weights = await trainer.weights();
    for (let i = 0; i < weights.length; i++)
      expect(relativeError(weights[i], refWeights[i])).toBeLessThan(1e-4);
  });

  it('returns the feature layer on request and loads weights into every replica', async () => {
    const features = await trainer.predict(x, [N, SIZE, SIZE, 3], 'features');
    expect(features.length).toBe(N * 8); // the 1×1 conv's 8 channels, pooled
    const before = await trainer.weights();
    const zeroed = before.map((w) => new Float32Array(w.length));
    await trainer.setWeights(zeroed);
    const probs = await trainer.predict(x, [N, SIZE, SIZE, 3]);
    // All-zero weights: every replica (rows 0-2 and 3-5) gives the uniform distribution.
    for (const p of probs) expect(p).toBeCloseTo(1 / 3, 6);
    await trainer.setWeights(before);
    await trainer.syncReplicas();
    expect(await trainer.predict(x, [N, SIZE, SIZE, 3], 'features')).toEqual(features);
  });

  it('continues exactly on a fresh trainer given its weights and optimizer state (a resume)', async () => {
    const fresh = () =>
      createDataParallelTrainer({
        replicas: 2,
        wasmPath: ensureKernelsBuilt(),
        modelModule: new URL('./tiny-model-fixture.ts', import.meta.url).href,
        modelExport: 'buildTinyModel',
        modelOptions: { size: SIZE },
        learningRate: 0.01,
        maxParams: 10_000,
      });
    const [a, b, c] = await Promise.all([fresh(), fresh(), fresh()]);
    try {
      for (let s = 0; s < 2; s++) await a.step(x, [N, SIZE, SIZE, 3], y, [N, 3]);
      const state = await a.optimizerState();
      // Adam: the iteration count, a first and a second moment per trainable variable, β1^t, β2^t.
      expect(state.map((a) => a.name)).toEqual(
        expect.arrayContaining([
          'iter',
          'dense_Dense1/kernel/m',
          'dense_Dense1/kernel/v',
          '__accBeta1',
          '__accBeta2',
        ]),
      );
      const weights = await a.weights();
      await b.setWeights(weights);
      await b.setOptimizerState(state);
      await c.setWeights(weights); // no optimizer state: Adam restarts
      const step = (t: DataParallelTrainer) => t.step(x, [N, SIZE, SIZE, 3], y, [N, 3]);
      expect(await step(b)).toBe(await step(a));
      await step(c);
      const [wa, wb, wc] = await Promise.all([a.weights(), b.weights(), c.weights()]);
      expect(wb).toEqual(wa);
      expect(wc).not.toEqual(wa);
    } finally {
      await Promise.all([a.dispose(), b.dispose(), c.dispose()]);
    }
  }, 60_000);
});
