import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arraySource, createDenseNet } from '../../../../../main/engine/train/dense-net';
import type { FitOptions } from '../../../../../main/engine/train/fit-types';
import { toyData } from './dense-reference';

/** The cpu backend: deterministic, and the reference the other backends are compared with. */
export const useCpu = async (): Promise<typeof tf> => {
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
};

export const tempRunDir = (): string => join(mkdtempSync(join(tmpdir(), 'sonofuse-fit-')), 'run');

/** The toy data as batch sources: all 8 rows train, and the same rows as a validation split. */
export const toySources = () => {
  const { x, y } = toyData();
  return { train: arraySource(tf, x, y), validation: arraySource(tf, x, y) };
};

export const toyNet = (seed = 7) => createDenseNet(tf, { sizes: [3, 4, 2], activation: 'tanh', seed });

export const baseOptions: FitOptions = {
  epochs: 3,
  batchSize: 4,
  seed: 11,
  loss: 'softmaxCrossEntropy',
  optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
};
