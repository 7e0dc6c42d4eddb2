import type * as tfType from '@tensorflow/tfjs';
import { createInferenceModel } from '../wasm/inference-model';
import type { MobileNetV2Options } from './engine-mobilenet-v2';
import { buildMobileNetV2 } from './engine-mobilenet-v2';

/**
 * Benchmark stand-in for a replica whose predict path uses the BatchNorm-folded inference model:
 * the random-init MobileNetV2 with `predict` answered by {@link createInferenceModel} (training
 * still goes through `apply`, unchanged). Lets the benchmark time folded inference across the
 * data-parallel replicas before replica-worker.ts calls createInferenceModel itself.
 */
export const buildMobileNetV2WithFoldedPredict = (
  tf: typeof tfType,
  opts: MobileNetV2Options,
): tfType.LayersModel => {
  const model = buildMobileNetV2(tf, opts);
  const runner = createInferenceModel(tf, model);
  const dispose = model.dispose.bind(model);
  model.predict = ((x: tfType.Tensor | tfType.Tensor[]) =>
    runner.predict(Array.isArray(x) ? x[0]! : x)) as typeof model.predict;
  model.dispose = () => {
    runner.dispose();
    return dispose();
  };
  return model;
};
