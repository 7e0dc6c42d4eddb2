import { createOptimizer, disposeOptimizer, isOutOfMemoryError, resolveLoss } from './fit-losses';
import type { FitData, FitModel, FitOptions, Tf } from './fit-types';
import {
  assignModelWeights,
  evaluateSplitWithRetry,
  readModelWeights,
  readOptimizerState,
  restoreOptimizerState,
  trainStep,
} from './train-step';
import type { Trainable } from './trainable';

/**
 * A tfjs {@link FitModel} with its batch sources as a {@link Trainable}: creates the optimizer of
 * `options.optimizer` (free it with `dispose`), steps with `trainStep`, validates in inference
 * mode in batches of `validationBatchSize` (halved on out-of-memory).
 */
export const createTfTrainable = (
  tf: Tf,
  model: FitModel,
  data: FitData,
  options: Pick<
    FitOptions,
    'loss' | 'optimizer' | 'validationBatchSize' | 'batchSize' | 'seed' | 'isOutOfMemory'
  >,
): Trainable & { dispose(): void } => {
  const optimizer = createOptimizer(tf, options.optimizer);
  const lossFn = resolveLoss(tf, options.loss);
  const validation = data.validation;
  return {
    trainSize: data.train.size,
    trainBatch: (indices, ctx) => trainStep(tf, model, lossFn, optimizer, data.train, indices, ctx),
    prefetch: data.train.prefetch ? (indices, ctx) => data.train.prefetch!(indices, ctx) : undefined,
    validate: validation
      ? () =>
          evaluateSplitWithRetry(
            tf,
            model,
            lossFn,
            validation,
            options.validationBatchSize ?? options.batchSize,
            options.seed,
            options.isOutOfMemory ?? isOutOfMemoryError,
          )
      : undefined,
    readWeights: () => readModelWeights(model),
    writeWeights: async (arrays) => assignModelWeights(tf, model, arrays),
    readOptimizer: () => readOptimizerState(tf, optimizer),
    writeOptimizer: (arrays) => restoreOptimizerState(tf, optimizer, arrays),
    dispose: () => disposeOptimizer(optimizer),
  };
};
