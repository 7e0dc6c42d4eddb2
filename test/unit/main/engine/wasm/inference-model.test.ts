import { beforeAll, describe, expect, it } from 'vitest';
import { buildMobileNetV2 } from '../../../../../main/engine/bench/engine-mobilenet-v2';
import { createImageBackbone } from '../../../../../main/engine/encoders/image-backbone';
import { foldBatchNorm, zeroPaddingIsSame } from '../../../../../main/engine/wasm/inference-folding';
import { createInferenceModel } from '../../../../../main/engine/wasm/inference-model';
import { relativeError, seededFloats, setupWasmKernels, tf } from './wasm-test-setup';

type Sym = tf.SymbolicTensor;

/**
 * MobileNetV2-shaped toy covering every fusion: conv(+bias) → BN → ReLU6, ZeroPadding2D → valid
 * stride-2 depthwise (multiplier 2) → BN → relu Activation, pointwise → BN (no activation) with a
 * residual Add, a BN without center/scale, then pooling and a softmax head (not folded).
 */
const buildToy = (size: number): tf.LayersModel => {
  const seed = (n: number) => tf.initializers.glorotUniform({ seed: n });
  const input = tf.input({ shape: [size, size, 3] });
  let h = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: seed(1) })
    .apply(input) as Sym;
  h = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(h) as Sym;
  h = tf.layers.reLU({ maxValue: 6 }).apply(h) as Sym;
  h = tf.layers
    .zeroPadding2d({
      padding: [
        [0, 1],
        [0, 1],
      ],
    })
    .apply(h) as Sym;
  h = tf.layers
    .depthwiseConv2d({
      kernelSize: 3,
      strides: 2,
      depthMultiplier: 2,
      useBias: false,
      depthwiseInitializer: seed(2),
    })
    .apply(h) as Sym;
  h = tf.layers.batchNormalization({}).apply(h) as Sym;
  h = tf.layers.activation({ activation: 'relu', name: 'dw_relu' }).apply(h) as Sym;
  const shortcut = h;
  h = tf.layers
    .conv2d({ filters: 16, kernelSize: 1, useBias: false, kernelInitializer: seed(3) })
    .apply(h) as Sym;
  h = tf.layers.batchNormalization({}).apply(h) as Sym;
  h = tf.layers.add().apply([shortcut, h]) as Sym;
  h = tf.layers
    .conv2d({ filters: 12, kernelSize: 1, useBias: false, kernelInitializer: seed(4) })
    .apply(h) as Sym;
  h = tf.layers.batchNormalization({ center: false, scale: false }).apply(h) as Sym;
  h = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(h) as Sym;
  const out = tf.layers
    .dense({ units: 3, activation: 'softmax', kernelInitializer: seed(5) })
    .apply(h) as Sym;
  return tf.model({ inputs: input, outputs: out });
};

/**
 * Seeded non-trivial weights everywhere, BatchNorm statistics included (variances in [0.5, 1.5],
 * so folding is not the identity it would be with fresh mean 0 / variance 1 statistics).
 */
const randomiseWeights = (model: tf.LayersModel, seed: number) => {
  const fresh = model.weights.map((w, i) => {
    const shape = w.shape as number[];
    const v = seededFloats(
      seed + i,
      shape.reduce((a, b) => a * b, 1),
    );
    const variance = w.name.includes('moving_variance');
    return tf.tensor(variance ? v.map((a) => 1 + a / 2) : v.map((a) => a / 2), shape);
  });
  model.setWeights(fresh);
  tf.dispose(fresh);
};

const outputsOf = (f: () => tf.Tensor): Float32Array => {
  const t = f();
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
};

describe('createInferenceModel (BatchNorm folded into convolutions)', () => {
  beforeAll(async () => {
    await setupWasmKernels();
  }, 120_000);

  it('folds conv→BN into kernel·s and (b − mean)·s + β (numbers worked by hand)', () => {
    // One 1x1 conv, 1 input channel, 2 output channels: kernel [2, 3], bias [1, -1];
    // BN gamma [2, 1], beta [0.5, 0], mean [1, 0], variance [15, 3], epsilon 1.
    const f = foldBatchNorm(
      tf,
      tf.tensor4d([2, 3], [1, 1, 1, 2]),
      tf.tensor1d([1, -1]),
      {
        gamma: tf.tensor1d([2, 1]),
        beta: tf.tensor1d([0.5, 0]),
        movingMean: tf.tensor1d([1, 0]),
        movingVariance: tf.tensor1d([15, 3]),
        epsilon: 1,
      },
      false,
    );
    // s = [2/4, 1/2] = [0.5, 0.5]; kernel [1, 1.5]; bias [(1-1)*0.5+0.5, (-1-0)*0.5+0] = [0.5, -0.5].
    expect(Array.from(f.kernel.dataSync())).toEqual([1, 1.5]);
    expect(Array.from(f.bias.dataSync())).toEqual([0.5, -0.5]);
  });

  it("recognises Keras' correct_pad zero padding as 'same' before stride-2 convolutions", () => {
    expect(
      zeroPaddingIsSame(
        tf,
        [null as never, 112, 112, 8],
        [
          [0, 1],
          [0, 1],
        ],
        [3, 3],
        [2, 2],
      ),
    ).toBe(true);
    expect(
      zeroPaddingIsSame(
        tf,
        [null as never, 7, 7, 8],
        [
          [1, 1],
          [1, 1],
        ],
        [3, 3],
        [2, 2],
      ),
    ).toBe(true);
    expect(
      zeroPaddingIsSame(
        tf,
        [null as never, 112, 112, 8],
        [
          [1, 1],
          [1, 1],
        ],
        [3, 3],
        [2, 2],
      ),
    ).toBe(false);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`matches model.predict within 1e-4 on a toy net (${backend}), also after the weights change`, async () => {
      await tf.setBackend(backend);
      const model = buildToy(13);
      randomiseWeights(model, 10);
      // batchSize 2 so the 3-image batch also runs the chunked path
      const runner = createInferenceModel(tf, model, { outputs: ['pool'], batchSize: 2 });
      // conv+BN+ReLU6, pad+depthwise+BN+relu, pointwise+BN, pointwise+BN(no center/scale)
      expect(runner.foldedConvs).toBe(4);
      const x = tf.tensor(seededFloats(3, 3 * 13 * 13 * 3), [3, 13, 13, 3]);
      const features = tf.model({ inputs: model.inputs, outputs: model.getLayer('pool').output });
      const check = () => {
        const want = outputsOf(() => model.predict(x) as tf.Tensor);
        const got = outputsOf(() => runner.predict(x));
        expect(relativeError(got, want)).toBeLessThan(1e-4);
        const wantF = outputsOf(() => features.predict(x) as tf.Tensor);
        const gotF = outputsOf(() => runner.predict(x, 'pool'));
        expect(gotF.length).toBe(3 * 12);
        expect(relativeError(gotF, wantF)).toBeLessThan(1e-4);
      };
      check();
      const before = tf.memory().numTensors;
      outputsOf(() => runner.predict(x));
      expect(tf.memory().numTensors).toBe(before);
      randomiseWeights(model, 50); // as training or setWeights would: the runner must re-fold
      check();
      runner.dispose();
      model.dispose();
      x.dispose();
      await tf.setBackend('wasm');
    });
  }

  it('folds inside a model used as a layer and inside a Sequential model', () => {
    const inner = buildToy(13);
    randomiseWeights(inner, 30);
    const input = tf.input({ shape: [13, 13, 3] });
    const wrapped = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 2 }).apply(inner.apply(input) as Sym) as Sym,
    });
    const seq = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [13, 13, 3], filters: 4, kernelSize: 3, useBias: false }),
        tf.layers.batchNormalization({}),
        tf.layers.reLU({ maxValue: 6 }),
        tf.layers.flatten(),
      ],
    });
    randomiseWeights(seq, 40);
    const x = tf.tensor(seededFloats(5, 2 * 13 * 13 * 3), [2, 13, 13, 3]);
    for (const [model, folds] of [
      [wrapped, 4],
      [seq, 1],
    ] as const) {
      const runner = createInferenceModel(tf, model);
      expect(runner.foldedConvs).toBe(folds);
      const want = outputsOf(() => model.predict(x) as tf.Tensor);
      expect(
        relativeError(
          outputsOf(() => runner.predict(x)),
          want,
        ),
      ).toBeLessThan(1e-4);
      runner.dispose();
    }
    tf.dispose([x]);
    wrapped.dispose();
    seq.dispose();
  });

  it('folds all 52 conv→BN pairs of MobileNetV2 and matches its predictions (wasm, fast layers)', () => {
    const model = buildMobileNetV2(tf, { size: 32, classes: 4 });
    randomiseWeights(model, 100);
    const runner = createInferenceModel(tf, model);
    // Conv1, block 0's depthwise + project, 16 blocks x (expand, depthwise, project), Conv_1.
    expect(runner.foldedConvs).toBe(52);
    const x = tf.tensor(seededFloats(7, 2 * 32 * 32 * 3), [2, 32, 32, 3]);
    const want = outputsOf(() => model.predict(x) as tf.Tensor);
    const got = outputsOf(() => runner.predict(x));
    expect(relativeError(got, want)).toBeLessThan(1e-4);
    expect(() => runner.predict(x, 'nope')).toThrow(/not an output/);
    runner.dispose();
    model.dispose();
    x.dispose();
  });

  it('matches the pretrained built-in MobileNetV2 backbone (real BatchNorm statistics) on wasm', async () => {
    const backbone = await createImageBackbone({ source: 'nsfwjs-mobilenetv2', inputSize: 96 });
    const runner = createInferenceModel(tf, backbone.model);
    expect(runner.foldedConvs).toBe(52);
    const x = tf.tensor(seededFloats(11, 2 * 96 * 96 * 3), [2, 96, 96, 3]);
    const want = outputsOf(() => backbone.model.predict(x) as tf.Tensor);
    expect(want.length).toBe(2 * backbone.featureDim);
    expect(
      relativeError(
        outputsOf(() => runner.predict(x)),
        want,
      ),
    ).toBeLessThan(1e-4);
    runner.dispose();
    backbone.dispose();
    x.dispose();
  }, 60_000);
});
