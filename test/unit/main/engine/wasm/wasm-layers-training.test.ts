import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import { createFastLayers } from '../../../../../main/engine/wasm/fast-layers';
import { relativeError, seededFloats, setupWasmKernels, tf } from './wasm-test-setup';

/**
 * A MobileNet-shaped toy: conv s2 + BN + relu6, depthwise s1/s2 + BN, pointwise, pool, softmax.
 * Convolutions feeding a BatchNorm have no bias, as in MobileNetV2: such a bias has a zero gradient
 * in exact arithmetic, so its update is rounding noise that no backend can be compared on.
 */
const buildModel = (fast = false): tf.LayersModel => {
  const seed = (n: number) => tf.initializers.glorotUniform({ seed: n });
  const fastLayers = createFastLayers(tf);
  const bn = fast ? fastLayers.batchNormalization : tf.layers.batchNormalization;
  const relu = fast ? fastLayers.reLU : tf.layers.reLU;
  const input = tf.input({ shape: [12, 12, 3] });
  let h = tf.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: seed(1),
    })
    .apply(input) as tf.SymbolicTensor;
  h = bn().apply(h) as tf.SymbolicTensor;
  h = relu({ maxValue: 6 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, depthwiseInitializer: seed(2) })
    .apply(h) as tf.SymbolicTensor;
  h = bn().apply(h) as tf.SymbolicTensor;
  h = relu({ maxValue: 6 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .depthwiseConv2d({
      kernelSize: 3,
      strides: 2,
      padding: 'valid',
      useBias: false,
      depthwiseInitializer: seed(3),
    })
    .apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .conv2d({ filters: 12, kernelSize: 1, useBias: false, kernelInitializer: seed(4) })
    .apply(h) as tf.SymbolicTensor;
  h = bn().apply(h) as tf.SymbolicTensor;
  h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, activation: 'softmax', kernelInitializer: seed(5) })
    .apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
};

/** 12 tiny images whose class is which third of the image is brightest (learnable by the toy). */
const dataset = (): { x: tf.Tensor4D; y: tf.Tensor2D } => {
  const n = 12;
  const noise = seededFloats(99, n * 12 * 12 * 3);
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < 12; r++)
      for (let c = 0; c < 12; c++)
        for (let k = 0; k < 3; k++) {
          const idx = ((i * 12 + r) * 12 + c) * 3 + k;
          noise[idx] = 0.3 * noise[idx] + (Math.floor(c / 4) === labels[i] ? 1 : 0);
        }
  return { x: tf.tensor4d(noise, [n, 12, 12, 3]), y: tf.oneHot(labels, 3).toFloat() as tf.Tensor2D };
};

/** One trainOnBatch on the named backend: first loss plus every weight after the SGD step. */
const firstStep = async (backend: 'cpu' | 'wasm', fast = false) => {
  await tf.setBackend(backend);
  const model = buildModel(fast);
  const { x, y } = dataset();
  const loss = (await model.trainOnBatch(x, y)) as number;
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([x, y]);
  model.dispose();
  return { loss, weights };
};

describe('tfjs-layers training on wasm with the SonoFuse kernels', () => {
  let kernels: WasmTrainingKernels;
  beforeAll(async () => {
    kernels = await setupWasmKernels();
  });
  afterAll(() => kernels.uninstall());

  it('takes the same first SGD step as the cpu backend', async () => {
    const cpu = await firstStep('cpu');
    const wasm = await firstStep('wasm');
    // Golden value printed by the cpu backend for this model, data and seeds (tfjs 4.22).
    expect(cpu.loss).toBeCloseTo(GOLDEN_FIRST_LOSS, 5);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5);
    expect(wasm.weights.length).toBe(cpu.weights.length);
    for (let i = 0; i < cpu.weights.length; i++) {
      expect(relativeError(wasm.weights[i], cpu.weights[i])).toBeLessThan(1e-4);
    }
  });

  it('takes the same step with the fused BatchNormalization/ReLU layers (weights + moving stats)', async () => {
    const cpu = await firstStep('cpu', true); // off wasm the fast layers are the stock ones
    const wasm = await firstStep('wasm', true);
    expect(cpu.loss).toBeCloseTo(GOLDEN_FIRST_LOSS, 5);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5);
    for (let i = 0; i < cpu.weights.length; i++) {
      expect(relativeError(wasm.weights[i], cpu.weights[i])).toBeLessThan(1e-4);
    }
  });

  it('fuses each BatchNorm → ReLU6 pair into the BN kernels: no clip kernel runs in a training step', async () => {
    await tf.setBackend('wasm');
    const model = buildModel(true);
    const { x, y } = dataset();
    await model.trainOnBatch(x, y);
    const profile = await tf.profile(async () => {
      await model.trainOnBatch(x, y);
    });
    const names = profile.kernels.map((k) => k.name);
    // 3 BatchNorms (2 followed by ReLU6), forward and backward each
    expect(names.filter((n) => n === 'SonoFuseBatchNormTrain')).toHaveLength(3);
    expect(names.filter((n) => n === 'SonoFuseBatchNormTrainGrad')).toHaveLength(3);
    // only categoricalCrossentropy's clip of the probabilities is left (before the fusion the two
    // ReLU6 layers added a ClipByValue forward and a clip gradient each)
    expect(names.filter((n) => /ClipByValue/.test(n))).toEqual(['ClipByValue', 'SonoFuseClipByValueGrad']);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('makes deserialised models (model.json) use the fused layers, with the same first step', async () => {
    await tf.setBackend('wasm');
    const stock = buildModel();
    const json = stock.toJSON(undefined, false) as object;
    const weights = stock.getWeights().map((w) => w.clone());
    createFastLayers(tf).registerForDeserialization();
    const loaded = await tf.models.modelFromJSON({ modelTopology: json } as never);
    loaded.setWeights(weights);
    const bnLayer = loaded.layers.find((l) => l.getClassName() === 'BatchNormalization');
    expect(Object.getPrototypeOf(bnLayer)).not.toBe(
      Object.getPrototypeOf(stock.layers.find((l) => l.getClassName() === 'BatchNormalization')),
    );
    loaded.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const { x, y } = dataset();
    const loss = (await loaded.trainOnBatch(x, y)) as number;
    expect(loss).toBeCloseTo(GOLDEN_FIRST_LOSS, 5);
    tf.dispose([x, y, ...weights]);
    stock.dispose();
    loaded.dispose();
  });

  it('fits with the fused layers: the loss falls over a few epochs and no tensor leaks', async () => {
    await tf.setBackend('wasm');
    const model = buildModel(true);
    const { x, y } = dataset();
    const before = tf.memory().numTensors;
    const history = await model.fit(x, y, { epochs: 8, batchSize: 6, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(tf.memory().numTensors).toBe(before);
    expect(losses[losses.length - 1]).toBeLessThan(0.5 * losses[0]);
    tf.dispose([x, y]);
    model.dispose();
  });
});

const GOLDEN_FIRST_LOSS = 1.590839;
