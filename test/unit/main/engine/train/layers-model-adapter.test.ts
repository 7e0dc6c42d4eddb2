import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { arraySource } from '../../../../../main/engine/train/dense-net';
import { fit } from '../../../../../main/engine/train/fit-loop';
import {
  fitModelFromLayers,
  frozenBackboneModel,
} from '../../../../../main/engine/train/layers-model-adapter';
import { toyData } from './dense-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** dense(4, tanh) → batchNorm → dense(2, softmax), weights from fixed formulas (no RNG). */
const buildModel = () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.setWeights(
    model.weights.map((w) =>
      tf.tidy(() => {
        const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
        const values = Array.from({ length: n }, (_, i) =>
          w.name.includes('variance') ? 1 : Math.sin(i + n) * 0.5,
        );
        return tf.tensor(values, w.shape as number[]);
      }),
    ),
  );
  return model;
};

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((t) => Array.from(t.dataSync()));

describe('tfjs-layers models in the fit loop', () => {
  it('gives the same weights as tfjs-layers’ own model.fit (plain SGD, no shuffle)', async () => {
    const { x, y } = toyData();
    const ours = buildModel();
    await fit(
      tf,
      fitModelFromLayers(ours),
      { train: arraySource(tf, x, y) },
      {
        epochs: 2,
        batchSize: 4,
        seed: 1,
        shuffle: false,
        loss: 'categoricalCrossentropy',
        optimizer: { type: 'sgd', learningRate: 0.1 },
      },
    );
    // The reference: the same initial model trained by tfjs-layers' fit (its own step and loss).
    const theirs = buildModel();
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor2d(x);
    const ys = tf.tensor2d(y);
    await theirs.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    const a = weightsOf(ours).flat();
    const b = weightsOf(theirs).flat();
    expect(a.length).toBe(b.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5));
    // BatchNorm moving statistics moved (training mode), identically in both.
    expect(weightsOf(ours)[4]).not.toEqual(weightsOf(buildModel())[4]);
    tf.dispose([xs, ys]);
    ours.dispose();
    theirs.dispose();
  });

  it('frozen backbone: inference-mode BatchNorm statistics and backbone weights unchanged, head trained', async () => {
    const { x, y } = toyData();
    const backbone = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 4, activation: 'tanh', kernelInitializer: 'ones' }),
        tf.layers.batchNormalization(),
      ],
    });
    const head = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 2, kernelInitializer: 'ones' })],
    });
    const before = { backbone: weightsOf(backbone), head: weightsOf(head) };
    await fit(
      tf,
      frozenBackboneModel(backbone, head),
      { train: arraySource(tf, x, y) },
      {
        epochs: 2,
        batchSize: 4,
        seed: 1,
        loss: 'softmaxCrossEntropy',
        optimizer: { type: 'sgd', learningRate: 0.5, momentum: 0.9 },
      },
    );
    expect(weightsOf(backbone)).toEqual(before.backbone);
    expect(weightsOf(head)[0]).not.toEqual(before.head[0]);
    backbone.dispose();
    head.dispose();
  });
});
