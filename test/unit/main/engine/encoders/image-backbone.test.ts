import * as tf from '@tensorflow/tfjs';
import { load as loadNsfwjs } from 'nsfwjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageBackbone } from '../../../../../main/engine/encoders/image-backbone';
import {
  builtinBackboneManifest,
  createImageBackbone,
  featurePoolName,
} from '../../../../../main/engine/encoders/image-backbone';

/** Deterministic RGB test pattern of integers 0..255: round(127.5 + 127.5·sin(0.07·x·(c+1) + 0.05·y)). */
const synthImage = (size: number): tf.Tensor4D =>
  tf.tidy(() => {
    const y = tf.range(0, size).reshape([size, 1, 1]);
    const x = tf.range(0, size).reshape([1, size, 1]);
    const c = tf.tensor1d([1, 2, 3]).reshape([1, 1, 3]);
    return tf
      .sin(x.mul(c).mul(0.07).add(y.mul(0.05)))
      .mul(127.5)
      .add(127.5)
      .round()
      .expandDims(0) as tf.Tensor4D;
  });

const features = async (b: ImageBackbone, image: tf.Tensor4D): Promise<Float32Array> => {
  const out = tf.tidy(() => b.model.predict(b.normalise(image)) as tf.Tensor);
  const v = (await out.data()) as Float32Array;
  out.dispose();
  return v;
};

describe('nsfwjs MobileNetV2 feature extractor (cpu backend)', () => {
  let b224: ImageBackbone;
  let golden224: Float32Array; // our features of synthImage(224), reused by the nsfwjs cross-check
  beforeAll(async () => {
    await tf.setBackend('cpu');
    b224 = await createImageBackbone({ source: 'nsfwjs-mobilenetv2' });
  });
  afterAll(() => b224.dispose());

  it('is MobileNetV2 1.0 without its head: 1280-d pooled output, every layer trainable', () => {
    expect(b224.inputSize).toBe(224);
    expect(b224.featureDim).toBe(1280);
    expect(b224.model.outputs[0].shape).toEqual([null, 1280]);
    // Keras MobileNetV2(alpha=1.0, include_top=False) has 2,257,984 weights
    expect(b224.model.countParams()).toBe(2_257_984);
    expect(b224.model.layers.at(-1)?.name).toBe(featurePoolName);
    expect(b224.model.layers.some((l) => l.name.startsWith('dense'))).toBe(false);
    // 52 convolution kernels + 52 BatchNorm gamma/beta pairs train; the 104 moving stats do not
    expect(b224.model.trainableWeights.length).toBe(156);
    expect(b224.model.nonTrainableWeights.length).toBe(104);
  });

  it('gives golden features for a synthetic image at 224 px', async () => {
    const image = synthImage(224);
    const v = await features(b224, image);
    image.dispose();
    golden224 = v;
    expect(v.length).toBe(1280);
    // Computed once on the tfjs cpu backend with this loader; wasm agreed to 3e-6.
    expect(v[178]).toBeCloseTo(4.008286, 4);
    expect(v[1097]).toBeCloseTo(3.552609, 4);
    expect(v[1167]).toBeCloseTo(3.317508, 4);
    expect(v[1000]).toBeCloseTo(1.235819, 4);
    expect(v[7]).toBe(0); // ReLU6 before pooling: most channels are exactly 0 on this pattern
    expect(v.reduce((a, x) => a + x, 0)).toBeCloseTo(68.18062, 2);
  });

  it("matches nsfwjs's own loader and preprocessing at out_relu, mean-pooled", async () => {
    // nsfwjs decodes its own base64 modules and divides by 255: an independent path to the same numbers
    const pixels = tf.tidy(() => synthImage(224).cast('int32').squeeze([0])) as tf.Tensor3D;
    const nsfw = await loadNsfwjs('MobileNetV2');
    const map = nsfw.infer(pixels, 'out_relu') as tf.Tensor;
    expect(map.shape).toEqual([1, 7, 7, 1280]);
    const theirs = await tf.tidy(() => map.mean([1, 2])).data();
    tf.dispose([pixels, map]);
    nsfw.model.dispose(); // (nsfw.dispose() double-disposes the layers its endpoint model shares)
    let maxDiff = 0;
    for (let i = 0; i < 1280; i++) maxDiff = Math.max(maxDiff, Math.abs(golden224[i] - theirs[i]));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('builds at 160 px (fully convolutional up to out_relu) with golden features', async () => {
    const b160 = await createImageBackbone({ inputSize: 160 });
    expect(b160.model.getLayer('out_relu').outputShape).toEqual([null, 5, 5, 1280]);
    const image = synthImage(160);
    const v = await features(b160, image);
    image.dispose();
    b160.dispose();
    // cpu, computed once; wasm agreed to 5e-6 (sum to 1e-4)
    expect(v[178]).toBeCloseTo(4.865337, 4);
    expect(v[1097]).toBeCloseTo(2.867144, 4);
    expect(v[1000]).toBeCloseTo(2.275635, 4);
    expect(v.reduce((a, x) => a + x, 0)).toBeCloseTo(74.59553, 2);
  });

  it('rejects sizes that would change the trained padding', async () => {
    await expect(createImageBackbone({ inputSize: 200 })).rejects.toThrow(/multiple of 32/);
  });

  it('trains: one SGD step at 32 px moves the first convolution (a layer nsfwjs had frozen)', async () => {
    const b = await createImageBackbone({ inputSize: 32 });
    b.model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const before = b.model.getLayer('Conv1').getWeights()[0].dataSync().slice();
    // two different images: in training mode BatchNorm normalises over the batch, and at 32 px the
    // last maps are 1x1, so a batch of one (or of identical images) would give zero gradients
    const x = tf.tidy(() =>
      b.normalise(tf.randomUniform([2, 32, 32, 3], 0, 255, 'float32', 3) as tf.Tensor4D),
    );
    const y = tf.ones([2, 1280]);
    const loss = (await b.model.trainOnBatch(x, y)) as number;
    expect(Number.isFinite(loss)).toBe(true);
    const after = b.model.getLayer('Conv1').getWeights()[0].dataSync();
    expect(Math.max(...after.map((v, i) => Math.abs(v - before[i])))).toBeGreaterThan(0);
    tf.dispose([x, y]);
    b.dispose();
  });

  it('freezes every layer on request', async () => {
    const frozen = await createImageBackbone({ inputSize: 32, trainable: false });
    expect(frozen.model.trainableWeights.length).toBe(0);
    frozen.dispose();
  });
});

describe('built-in manifest', () => {
  it('declares the [0, 1] input range nsfwjs feeds its model (pixels / 255)', () => {
    const m = builtinBackboneManifest();
    expect(m.normalisation).toEqual({ kind: 'range', min: 0, max: 1 });
    expect(m.featureLayer).toBe('out_relu');
    expect(m.provenance?.summary).toMatch(/ImageNet/);
    expect(m.provenance?.summary).toMatch(/fine-tuned/);
  });
});
