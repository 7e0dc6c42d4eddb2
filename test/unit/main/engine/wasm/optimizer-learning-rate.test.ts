import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setLearningRate } from '../../../../../main/engine/wasm/optimizer-learning-rate';

/** One update of v = 1 with gradient 2; returns the new value. */
const stepOnce = (optimizer: tf.Optimizer, v: tf.Variable): number => {
  optimizer.applyGradients({ [v.name]: tf.scalar(2) });
  return v.dataSync()[0]!;
};

describe('setLearningRate', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('changes SGD momentum and Adam rates in place', () => {
    const v1 = tf.variable(tf.scalar(1));
    const momentum = tf.train.momentum(0.1, 0.9);
    setLearningRate(momentum, 0.01);
    expect(stepOnce(momentum, v1)).toBeCloseTo(1 - 0.01 * 2, 6);
    const v2 = tf.variable(tf.scalar(1));
    const adam = tf.train.adam(0.1);
    setLearningRate(adam, 0.001);
    // Adam's first step moves by lr (bias-corrected m/√v = 1 for a constant gradient).
    expect(stepOnce(adam, v2)).toBeCloseTo(1 - 0.001, 5);
  });
});
