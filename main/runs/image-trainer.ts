import type * as tfType from '@tensorflow/tfjs';
import type { StoredArray } from '../engine/train/checkpoint-file';
import { readOptimizerState, restoreOptimizerState } from '../engine/train/train-step';
import { createDataParallelTrainer } from '../engine/wasm/data-parallel-trainer';
import type { ReplicaOptimizer } from '../engine/wasm/data-parallel-protocol';
import { setLearningRate } from '../engine/wasm/optimizer-learning-rate';
import { buildStage1Model, STAGE1_FEATURE_LAYER, type Stage1ModelOptions } from './stage1-model';

type Tf = typeof tfType;

/**
 * The stage-1 network behind one interface, whether it trains in worker-thread replicas (wasm,
 * both cores) or in this thread on the selected backend (GPU backends, cpu in tests). Arrays are
 * row-major float32 with explicit shapes; `y` is one-hot.
 */
export interface ImageTrainer {
  /** Batches given to `step` must have a multiple of this many rows. */
  readonly granularity: number;
  readonly description: string;
  step(x: Float32Array, xShape: number[], y: Float32Array, yShape: number[]): Promise<number>;
  /** Inference mode (BatchNorm moving statistics): class probabilities or pooled backbone features. */
  predict(x: Float32Array, xShape: number[], output: 'model' | 'features'): Promise<Float32Array>;
  /** Every weight (model.getWeights() order: trainable, then BatchNorm statistics). */
  weights(): Promise<Float32Array[]>;
  /** The layer/variable name of each array `weights()` returns (e.g. `sonofuse_stage1_head/kernel`). */
  readonly weightNames: readonly string[];
  setWeights(weights: Float32Array[]): Promise<void>;
  /** Makes every replica's BatchNorm statistics equal to replica 0's (before evaluating). */
  syncReplicas(): Promise<void>;
  /** For learning-rate schedules; the optimizer's accumulators are kept. */
  setLearningRate(learningRate: number): Promise<void>;
  /** The optimizer's accumulators for a checkpoint, so a resume continues exactly. */
  optimizerState?(): Promise<StoredArray[]>;
  setOptimizerState?(arrays: readonly StoredArray[]): Promise<void>;
  dispose(): Promise<void>;
}

export interface ImageTrainerOptions {
  model: Stage1ModelOptions;
  optimizer: ReplicaOptimizer;
}

const optimizerFor = (tf: Tf, spec: ReplicaOptimizer) =>
  spec.type === 'sgd'
    ? tf.train.momentum(spec.learningRate, spec.momentum ?? 0.9)
    : tf.train.adam(spec.learningRate);

/** Trains in this thread on whatever backend `tf` has selected. */
export const createLocalImageTrainer = async (tf: Tf, opts: ImageTrainerOptions): Promise<ImageTrainer> => {
  const model = await buildStage1Model(tf, opts.model);
  const features = tf.model({
    inputs: model.inputs,
    outputs: model.getLayer(STAGE1_FEATURE_LAYER).output as tfType.SymbolicTensor,
  });
  const vars = model.trainableWeights.map((w) => w.read() as tfType.Variable);
  const optimizer = optimizerFor(tf, opts.optimizer);
  return {
    granularity: 1,
    description: `one thread on ${tf.getBackend()}`,
    weightNames: model.weights.map((w) => w.originalName),
    step: async (x, xShape, y, yShape) => {
      const xs = tf.tensor(x, xShape);
      const ys = tf.tensor(y, yShape);
      const loss = optimizer.minimize(
        () =>
          tf.mean(
            tf.metrics.categoricalCrossentropy(ys, model.apply(xs, { training: true }) as tfType.Tensor),
          ) as tfType.Scalar,
        true,
        vars,
      );
      const value = (await loss!.data())[0]!;
      tf.dispose([xs, ys, loss!]);
      return value;
    },
    predict: async (x, xShape, output) => {
      if (xShape[0] === 0) return new Float32Array(0);
      const xs = tf.tensor(x, xShape);
      const out = (output === 'features' ? features : model).predict(xs) as tfType.Tensor;
      const data = (await out.data()) as Float32Array;
      tf.dispose([xs, out]);
      return data;
    },
    weights: async () => Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array)),
    setWeights: async (weights) => {
      const current = model.getWeights();
      const tensors = current.map((w, i) => tf.tensor(weights[i]!, w.shape));
      model.setWeights(tensors);
      tf.dispose(tensors);
    },
    syncReplicas: async () => undefined,
    setLearningRate: async (lr) => setLearningRate(optimizer, lr),
    optimizerState: () => readOptimizerState(tf, optimizer),
    setOptimizerState: (arrays) => restoreOptimizerState(tf, optimizer, arrays),
    dispose: async () => {
      model.dispose();
      optimizer.dispose();
    },
  };
};

/**
 * Trains in `replicas` worker threads, each with its own wasm backend and SonoFuse's training
 * kernels (see main/engine/wasm/data-parallel-trainer.ts): how both cores of a CPU workstation work.
 */
export const createParallelImageTrainer = async (
  opts: ImageTrainerOptions & { wasmPath: string; replicas: number },
): Promise<ImageTrainer> => {
  const here = import.meta.url;
  const modelModule = new URL(here.endsWith('.ts') ? './stage1-model.ts' : './stage1-model.js', here).href;
  const trainer = await createDataParallelTrainer({
    replicas: opts.replicas,
    wasmPath: opts.wasmPath,
    modelModule,
    modelExport: 'buildStage1Model',
    modelOptions: opts.model,
    learningRate: opts.optimizer.learningRate,
    optimizer: opts.optimizer,
    featureLayer: STAGE1_FEATURE_LAYER,
    maxParams: 4_000_000,
  });
  return {
    granularity: opts.replicas,
    description: `${opts.replicas} wasm replica threads`,
    weightNames: trainer.weightNames,
    step: (x, xShape, y, yShape) => trainer.step(x, xShape, y, yShape),
    predict: (x, xShape, output) => trainer.predict(x, xShape, output),
    weights: () => trainer.weights(),
    setWeights: (w) => trainer.setWeights(w),
    syncReplicas: () => trainer.syncReplicas(),
    setLearningRate: (lr) => trainer.setLearningRate(lr),
    optimizerState: () => trainer.optimizerState(),
    setOptimizerState: (arrays) => trainer.setOptimizerState(arrays),
    dispose: () => trainer.dispose(),
  };
};
