import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitStandardiser, trainFeatureHead, type FeatureSet } from '../../../../main/runs/feature-head';

/** Three Gaussian blobs in 4-d, one per class, from a fixed LCG (no tfjs randomness). */
const blobs = (rows: number, seed: number, noise: number): FeatureSet => {
  let s = seed >>> 0;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const centres = [
    [2, 0, 0, 1],
    [0, 2, 0, -1],
    [0, 0, 2, 0],
  ];
  const x = new Float32Array(rows * 4);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % 3;
    for (let c = 0; c < 4; c++) x[r * 4 + c] = centres[r % 3]![c]! + (u() * 2 - 1) * noise;
  }
  return { x, y, rows, dim: 4 };
};

describe('feature head', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('standardises with training statistics only', () => {
    const s = fitStandardiser({
      x: Float32Array.from([1, 10, 3, 10]),
      rows: 2,
      dim: 2,
      y: new Int32Array(2),
    });
    expect(Array.from(s.mean)).toEqual([2, 10]);
    // column 0: sample sd of {1, 3} = sqrt(2); column 1 constant → scale 1.
    expect(s.scale[0]).toBeCloseTo(1 / Math.SQRT2, 6);
    expect(s.scale[1]).toBe(1);
  });

  it('learns separable classes, picks the epoch on validation, and reports test metrics without leaking tensors', async () => {
    const sets = { train: blobs(60, 1, 0.5), validation: blobs(30, 2, 0.5), test: blobs(30, 3, 0.5) };
    const before = tf.memory().numTensors;
    const result = await trainFeatureHead(tf, sets, {
      classes: 3,
      head: 'linear',
      epochs: 8,
      batchSize: 10,
      learningRate: 0.05,
      seed: 7,
    });
    expect(result.status).toBe('completed');
    expect(result.validation.metrics.accuracy).toBe(1);
    expect(result.test!.metrics.accuracy).toBe(1);
    expect(result.test!.probs).toHaveLength(30);
    expect(result.test!.probs[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(result.bestEpoch).not.toBeNull();
    expect(result.history).toHaveLength(8);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is reproducible for a seed, and an MLP head also learns', async () => {
    const sets = { train: blobs(30, 4, 1.5), validation: blobs(15, 5, 1.5) };
    const a = await trainFeatureHead(tf, sets, {
      classes: 3,
      head: 'mlp',
      hidden: 8,
      epochs: 3,
      batchSize: 6,
      learningRate: 0.05,
      seed: 3,
    });
    const b = await trainFeatureHead(tf, sets, {
      classes: 3,
      head: 'mlp',
      hidden: 8,
      epochs: 3,
      batchSize: 6,
      learningRate: 0.05,
      seed: 3,
    });
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
    expect(a.validation.probs).toEqual(b.validation.probs);
    expect(a.history[2]!.loss).toBeLessThan(a.history[0]!.loss);
    expect(a.test).toBeNull();
  });
});

describe('warm start from a raw-feature classifier', () => {
  it('gives the same logits on standardised inputs as the classifier on raw features', async () => {
    const { fitStandardiser: fit, warmStartWeights } = await import('../../../../main/runs/feature-head');
    // 3 rows × 4 columns: 2 image-feature columns the classifier knows, 2 more (note, metadata).
    const x = Float32Array.from([1, 4, 0.5, 2, 3, 8, -1, 0, 2, 5, 1, 1]);
    const s = fit({ x, rows: 3, dim: 4, y: Int32Array.from([0, 1, 0]) });
    const kernel = Float32Array.from([0.5, -1, 2, 0.25]); // [2 inputs, 2 classes]
    const bias = Float32Array.from([0.1, -0.2]);
    const [k, b] = warmStartWeights({ kernel, bias }, s, 4, 2);
    for (let r = 0; r < 3; r++) {
      const f = x.subarray(r * 4, r * 4 + 4);
      const std = Array.from(f, (v, i) => (v - s.mean[i]!) * s.scale[i]!);
      for (let c = 0; c < 2; c++) {
        const raw = f[0]! * kernel[c]! + f[1]! * kernel[2 + c]! + bias[c]!;
        const warm = std.reduce((acc, v, i) => acc + v * k![i * 2 + c]!, b![c]!);
        expect(warm).toBeCloseTo(raw, 5);
      }
    }
    // The extra columns start at zero weight.
    expect(k!.slice(4)).toEqual([0, 0, 0, 0]);
  });
});

describe('rawLinearHead', () => {
  it('folds the standardisation into the weights: same logits on raw features', async () => {
    const { rawLinearHead } = await import('../../../../main/runs/feature-head');
    const head = {
      sizes: [2, 3],
      weights: [
        [0.5, -1, 2, 0.25, 1.5, -0.75],
        [0.1, -0.2, 0.3],
      ],
      mean: [1, -2],
      scale: [0.5, 4],
      activation: 'relu' as const,
    };
    const raw = rawLinearHead(head)!;
    const f = [3, -1.5];
    for (let c = 0; c < 3; c++) {
      const std = f.map((v, i) => (v - head.mean[i]!) * head.scale[i]!);
      const viaHead = std.reduce((a, v, i) => a + v * head.weights[0]![i * 3 + c]!, head.weights[1]![c]!);
      const viaRaw = f.reduce((a, v, i) => a + v * raw.kernel[i * 3 + c]!, raw.bias[c]!);
      expect(viaRaw).toBeCloseTo(viaHead, 5);
    }
    // Standardised f = [(3−1)·0.5, (−1.5+2)·4] = [1, 2]; class 0: 1·0.5 + 2·0.25 + 0.1 = 1.1.
    expect(f.reduce((a, v, i) => a + v * raw.kernel[i * 3]!, raw.bias[0]!)).toBeCloseTo(1.1, 5);
    expect(rawLinearHead({ ...head, sizes: [2, 4, 3] })).toBeNull();
  });
});
