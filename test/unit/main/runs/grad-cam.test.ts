import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gradCam,
  layersGradCamParts,
  normaliseMap,
  upsampleCam,
  type GradCamParts,
} from '../../../../main/runs/grad-cam';
import { relativeError, seededFloats, setupWasmKernels, tf } from '../engine/wasm/wasm-test-setup';

/**
 * Parts whose "features" are the input itself (a 2×2×2 feature map given by hand) and whose logits
 * are global average pooling + a linear head W = [[1, -1], [2, 0.5]], b = 0: small enough to work
 * Grad-CAM out on paper.
 */
const handParts = (): GradCamParts => {
  const w = tf.tensor2d([
    [1, -1],
    [2, 0.5],
  ]);
  return {
    features: (x) => tf.clone(x),
    logits: (a) => tf.matMul(tf.mean(a, [1, 2]) as tf.Tensor2D, w),
  };
};
// Channel 0 = [[1, 0], [0, 3]], channel 1 = [[0, 2], [1, 0]] (NHWC).
const handMap = () => tf.tensor4d([1, 0, 0, 2, 0, 1, 3, 0], [1, 2, 2, 2]);

/**
 * A tiny seeded CNN like the stage-1 network: conv (4 filters, 3×3, stride 2, relu) on 8×8×3 →
 * 4×4×4 feature map → global average pooling 'pool' → softmax dense head 'head' (3 classes).
 */
const buildTinyClassifier = (): tf.LayersModel => {
  const input = tf.input({ shape: [8, 8, 3] });
  const conv = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }),
      biasInitializer: tf.initializers.constant({ value: 0.05 }),
    })
    .apply(input) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(conv) as tf.SymbolicTensor;
  const head = tf.layers
    .dense({
      name: 'head',
      units: 3,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }),
      biasInitializer: tf.initializers.constant({ value: 0.1 }),
    })
    .apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: head });
};

/** CAM (Zhou et al. 2016), the closed form Grad-CAM reduces to for GAP + linear head. */
const closedFormCam = (a: Float32Array, h: number, w: number, k: number, kernel: Float32Array, c: number) => {
  const classes = kernel.length / k;
  return Float32Array.from({ length: h * w }, (_, p) => {
    let s = 0;
    for (let ch = 0; ch < k; ch++) s += (kernel[ch * classes + c]! * a[p * k + ch]!) / (h * w);
    return Math.max(0, s);
  });
};

describe('Grad-CAM', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches the values worked out by hand for a GAP + linear head', () => {
    const a = handMap();
    // Pooled features [1, 0.75] → logits [2.5, -0.625] → p(class 0) = 1 / (1 + e^-3.125) = 0.957912.
    const predicted = gradCam(tf, handParts(), a);
    expect(predicted.classIndex).toBe(0);
    expect(predicted.probs[0]).toBeCloseTo(0.957912, 5);
    // α = W[:, 0] / 4 = [0.25, 0.5]; map = ReLU(0.25·A0 + 0.5·A1) = [[0.25, 1], [0.5, 0.75]].
    expect(Array.from(predicted.weights)).toEqual([0.25, 0.5]);
    expect(Array.from(predicted.map)).toEqual([0.25, 1, 0.5, 0.75]);
    // Class 1: α = W[:, 1] / 4 = [-0.25, 0.125]; map = ReLU(-0.25·A0 + 0.125·A1) = [[0, 0.25], [0.125, 0]].
    const other = gradCam(tf, handParts(), a, 1);
    expect(Array.from(other.weights)).toEqual([-0.25, 0.125]);
    expect(Array.from(other.map)).toEqual([0, 0.25, 0.125, 0]);
    expect(normaliseMap(other.map)).toEqual([0, 1, 0.5, 0]);
    expect(() => gradCam(tf, handParts(), a, 2)).toThrow(/out of range/);
    a.dispose();
  });

  it('upsamples with half-pixel centres and normalises to a peak of 1', () => {
    // The 2×2 map [[0.25, 1], [0.5, 0.75]] at 4×4: corners keep their cell's value (/ peak 1); the
    // centre pixels blend their neighbours 3:1 (e.g. (1,1) = (9·0.25 + 3·1 + 3·0.5 + 0.75)/16).
    const up = upsampleCam(tf, { map: Float32Array.from([0.25, 1, 0.5, 0.75]), height: 2, width: 2 }, 4);
    expect(up).toHaveLength(16);
    expect(up[0]).toBeCloseTo(0.25, 6);
    expect(up[3]).toBeCloseTo(1, 6);
    expect(up[12]).toBeCloseTo(0.5, 6);
    expect(up[15]).toBeCloseTo(0.75, 6);
    expect(up[5]).toBeCloseTo((9 * 0.25 + 3 * 1 + 3 * 0.5 + 0.75) / 16, 6);
    expect(Math.max(...up)).toBeCloseTo(1, 6);
    const flat = upsampleCam(tf, { map: new Float32Array(4), height: 2, width: 2 }, 4);
    expect(Array.from(flat)).toEqual(new Array(16).fill(0));
  });

  it('equals the closed-form CAM on a tiny CNN for every class, without leaking tensors', () => {
    const model = buildTinyClassifier();
    const parts = layersGradCamParts(tf, model, 'pool', 'head');
    const x = tf.tensor4d(seededFloats(5, 8 * 8 * 3), [1, 8, 8, 3]);
    const before = tf.memory().numTensors;
    const a = parts.features(x);
    const fm = a.dataSync() as Float32Array;
    a.dispose();
    const kernel = model.getLayer('head').getWeights()[0]!.dataSync() as Float32Array;
    const predicted = model.predict(x) as tf.Tensor;
    const probs = predicted.dataSync();
    predicted.dispose();
    for (let c = 0; c < 3; c++) {
      const cam = gradCam(tf, parts, x, c);
      expect([cam.height, cam.width]).toEqual([4, 4]);
      Array.from(probs).forEach((p, k) => expect(cam.probs[k]).toBeCloseTo(p, 6));
      const expected = closedFormCam(fm, 4, 4, 4, kernel, c);
      expect(relativeError(cam.map, expected)).toBeLessThan(1e-5);
      Array.from(cam.weights).forEach((alpha, k) => expect(alpha).toBeCloseTo(kernel[k * 3 + c]! / 16, 7));
    }
    // Golden values: recorded from this seeded model and input with tfjs 4.22 on cpu, after the
    // closed-form check above passed for them (the predicted class's map, first row, and probs).
    const golden = gradCam(tf, parts, x);
    expect(golden.classIndex).toBe(GOLDEN.predicted);
    Array.from(golden.map.slice(0, 4)).forEach((v, i) => expect(v).toBeCloseTo(GOLDEN.row0[i]!, 5));
    golden.probs.forEach((p, i) => expect(p).toBeCloseTo(GOLDEN.probs[i]!, 5));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('gives the same map on the wasm backend as on the cpu reference', async () => {
    await setupWasmKernels();
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const model = buildTinyClassifier();
      const x = tf.tensor4d(seededFloats(5, 8 * 8 * 3), [1, 8, 8, 3]);
      const parts = layersGradCamParts(tf, model, 'pool', 'head');
      const maps = [0, 1, 2].map((c) => gradCam(tf, parts, x, c).map);
      x.dispose();
      model.dispose();
      return maps;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (let c = 0; c < 3; c++) expect(relativeError(wasm[c]!, cpu[c]!)).toBeLessThan(1e-4);
  });
});

const GOLDEN = {
  predicted: 0,
  row0: [0.034992, 0.052164, 0.044749, 0.063478],
  probs: [0.34522, 0.317828, 0.336952],
};
