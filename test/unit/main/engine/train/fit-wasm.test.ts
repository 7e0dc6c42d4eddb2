import { beforeAll, describe, expect, it } from 'vitest';
import type { TfNamespace } from '../../../../../main/engine/backend/backend-loaders';
import { selectBackend } from '../../../../../main/engine/backend/select-backend';
import { arraySource, createDenseNet, glorotKernels } from '../../../../../main/engine/train/dense-net';
import { fit } from '../../../../../main/engine/train/fit-loop';
import { referenceTrain, toyData } from './dense-reference';

let tf: TfNamespace;
beforeAll(async () => {
  tf = (await selectBackend({ order: ['wasm'] })).tf;
});

const run = async (seed: number, shuffle: boolean) => {
  const { x, y } = toyData();
  const net = createDenseNet(tf, { sizes: [3, 4, 2], activation: 'tanh', seed: 7 });
  const losses: number[] = [];
  await fit(
    tf,
    net,
    { train: arraySource(tf, x, y) },
    {
      epochs: 2,
      batchSize: 4,
      seed,
      shuffle,
      loss: 'softmaxCrossEntropy',
      optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
      callbacks: [{ batchEnd: (b) => void losses.push(b.loss) }],
    },
  );
  const weights = (await net.readWeights()).flat();
  net.dispose();
  return { losses, weights };
};

describe('fit on the real wasm backend', () => {
  it('agrees with the float64 reference to 1e-5 and repeats exactly for a seed', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const { x, y } = toyData();
    const ref = referenceTrain(x, y, [3, 4, 2], glorotKernels([3, 4, 2], 7), {
      epochs: 2,
      batchSize: 4,
      lr: 0.1,
      momentum: 0.9,
    });
    const unshuffled = await run(1, false);
    unshuffled.losses.forEach((l, i) => expect(Math.abs(l - ref.batchLosses[i]!)).toBeLessThan(1e-5));
    unshuffled.weights.forEach((w, i) => expect(Math.abs(w - ref.weights.flat()[i]!)).toBeLessThan(1e-5));
    const a = await run(9, true);
    const tensors = tf.memory().numTensors;
    expect(await run(9, true)).toEqual(a);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
