import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { FitModel, NamedVariable, Tf } from './fit-types';
import { createSeededRng } from '../../../shared/random/seeded-random';

/** A small fully connected net: the trainer's generic tiny job and the golden-value tests use it. */
export interface DenseNetSpec {
  /** Layer widths including input and output, e.g. [3, 4, 2]. */
  sizes: readonly number[];
  /** Activation of hidden layers (the output layer is linear: logits or regression values). */
  activation?: 'tanh' | 'relu' | 'sigmoid';
  /** Seed of the Glorot-uniform kernel initialiser (mulberry32, see seeded-rng.ts); biases start at 0. */
  seed: number;
  /** Layer indices (0 = first) left out of training: a frozen "backbone" in miniature. */
  frozenLayers?: readonly number[];
  /** Start from these weights instead (per layer: kernel row-major [in, out], then bias). */
  initialWeights?: readonly (readonly number[])[];
}

/** A {@link FitModel} with its own variables; call `dispose` when done with it. */
export interface DenseNet extends FitModel {
  dispose(): void;
  /** Current weights as plain arrays, in `stateVariables` order (for tests and job results). */
  readWeights(): Promise<number[][]>;
}

/**
 * Glorot-uniform kernels from the seeded RNG: for layer i, kernel[r][c] for r, c in row-major
 * order is (2u - 1) * sqrt(6 / (fanIn + fanOut)) with u the RNG's next draws. Deterministic on
 * every platform, so tests can recompute it independently.
 */
export const glorotKernels = (sizes: readonly number[], seed: number): number[][] => {
  const rng = createSeededRng(seed);
  return sizes.slice(1).map((fanOut, i) => {
    const fanIn = sizes[i]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return Array.from({ length: fanIn * fanOut }, () => (2 * rng.next() - 1) * limit);
  });
};

/** Builds the net on `tf` (the active backend). */
export const createDenseNet = (tf: Tf, spec: DenseNetSpec): DenseNet => {
  const init = spec.initialWeights;
  if (init && init.length !== 2 * (spec.sizes.length - 1))
    throw new Error(`initialWeights has ${init.length} arrays for ${spec.sizes.length - 1} layers`);
  const kernels = init
    ? spec.sizes.slice(1).map((_, i) => [...init[2 * i]!])
    : glorotKernels(spec.sizes, spec.seed);
  // tidy frees the initial tensors; the variables (their own references to the data) survive it.
  const layers = tf.tidy(() =>
    kernels.map((k, i) => ({
      kernel: tf.variable(tf.tensor2d(k, [spec.sizes[i]!, spec.sizes[i + 1]!]), true),
      bias: tf.variable(init ? tf.tensor1d([...init[2 * i + 1]!]) : tf.zeros([spec.sizes[i + 1]!]), true),
    })),
  );
  const frozen = new Set(spec.frozenLayers ?? []);
  const act = (t: Tensor): Tensor =>
    spec.activation === 'relu' ? tf.relu(t) : spec.activation === 'sigmoid' ? tf.sigmoid(t) : tf.tanh(t);
  const named = (): NamedVariable[] =>
    layers.flatMap((l, i) => [
      { name: `dense${i}/kernel`, variable: l.kernel },
      { name: `dense${i}/bias`, variable: l.bias },
    ]);
  return {
    apply: (x) =>
      tf.tidy(() => {
        let h = Array.isArray(x) ? x[0]! : x;
        layers.forEach((l, i) => {
          h = tf.add(tf.matMul(h, l.kernel), l.bias);
          if (i < layers.length - 1) h = act(h);
        });
        return h;
      }),
    trainableVariables: (): Variable[] => layers.flatMap((l, i) => (frozen.has(i) ? [] : [l.kernel, l.bias])),
    stateVariables: named,
    dispose: () => tf.dispose(layers.flatMap((l) => [l.kernel, l.bias])),
    readWeights: async () => Promise.all(named().map(async (n) => Array.from(await n.variable.data()))),
  };
};

/** A {@link BatchSource}-compatible view of in-memory rows (x: features, y: targets). */
export const arraySource = (tf: Tf, x: readonly number[][], y: readonly number[][]) => ({
  size: x.length,
  batch: (indices: readonly number[]) => ({
    x: tf.tensor2d(indices.map((i) => x[i]!.slice())),
    y: tf.tensor2d(indices.map((i) => y[i]!.slice())),
  }),
});
