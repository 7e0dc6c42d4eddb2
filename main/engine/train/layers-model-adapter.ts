import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs';
import type { FitModel, NamedVariable } from './fit-types';

type LayerVariableLike = LayersModel['weights'][number];

/** Checkpoint names by position + short name: layer names are auto-numbered per process. */
const named = (prefix: string, weights: readonly LayerVariableLike[]): NamedVariable[] =>
  weights.map((w, i) => ({
    name: `${prefix}${i}/${w.originalName.split('/').pop()}`,
    // LayerVariable.read() returns its underlying tf.Variable (typed as Tensor in tfjs-layers).
    variable: w.read() as Variable,
  }));

const single = (t: Tensor | Tensor[]): Tensor => (Array.isArray(t) ? t[0]! : t);

/**
 * A tfjs-layers model as a {@link FitModel}: `training` goes to `model.apply`, the trainable
 * weights are those tfjs-layers reports (layers with `trainable = false` are left out), and all
 * weights, BatchNorm moving statistics included, go into checkpoints.
 */
export const fitModelFromLayers = (model: LayersModel): FitModel => ({
  apply: (x, training) => single(model.apply(x, { training }) as Tensor | Tensor[]),
  trainableVariables: () => model.trainableWeights.map((w) => w.read() as Variable),
  stateVariables: () => named('w', model.weights),
});

/**
 * Stage-2 style: a frozen backbone run in inference mode (dropout off, BatchNorm using and NOT
 * updating its moving statistics, whatever `training` says) feeding a trainable head. Only the
 * head's variables get gradients; both go into checkpoints.
 */
export const frozenBackboneModel = (backbone: LayersModel, head: LayersModel): FitModel => ({
  apply: (x, training) =>
    single(head.apply(single(backbone.apply(x, { training: false }) as Tensor), { training }) as Tensor),
  trainableVariables: () => head.trainableWeights.map((w) => w.read() as Variable),
  stateVariables: () => [...named('backbone/', backbone.weights), ...named('head/', head.weights)],
});
