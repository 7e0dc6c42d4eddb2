import type * as tfType from '@tensorflow/tfjs';

/**
 * Changes a tfjs optimizer's learning rate in place, keeping its accumulators: SGD and momentum
 * have `setLearningRate`; Adam reads its public-in-JS `learningRate` field on every update.
 */
export const setLearningRate = (optimizer: tfType.Optimizer, learningRate: number): void => {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else if (typeof o.learningRate === 'number') o.learningRate = learningRate;
  else throw new Error(`cannot change the learning rate of ${optimizer.getClassName()}`);
};
