import type { StoredArray } from '../train/checkpoint-file';

/** What a replica worker is started with (structured-clone safe). */
export interface ReplicaInit {
  replica: number;
  replicas: number;
  wasmPath: string;
  /** file:// URL of a module exporting `modelExport(tf, modelOptions) => LayersModel | Promise<LayersModel>`. */
  modelModule: string;
  modelExport: string;
  modelOptions: unknown;
  /** Adam with this rate unless `optimizer` says otherwise. */
  learningRate: number;
  optimizer?: ReplicaOptimizer;
  /** A layer whose output `predict` can return instead of the model's (e.g. the pooled features). */
  featureLayer?: string;
  /** replicas × parameter-count floats, one gradient slot per replica. */
  gradients: SharedArrayBuffer;
}

/** The optimizer every replica applies the averaged gradient with. */
export type ReplicaOptimizer =
  { type: 'adam'; learningRate: number } | { type: 'sgd'; learningRate: number; momentum?: number };

/** Coordinator → replica messages. */
export type ReplicaRequest =
  | { type: 'sync'; write: boolean }
  | { type: 'step'; x: Float32Array; xShape: number[]; y: Float32Array; yShape: number[] }
  | { type: 'apply' }
  | { type: 'predict'; x: Float32Array; xShape: number[]; output?: 'model' | 'features' }
  | { type: 'weights' }
  | { type: 'setWeights'; weights: Float32Array[] }
  | { type: 'setLearningRate'; learningRate: number }
  | { type: 'optimizerState' }
  | { type: 'setOptimizerState'; arrays: StoredArray[] }
  | { type: 'dispose' };

/** Replica → coordinator messages. */
export type ReplicaReply =
  | { type: 'ready'; total: number; names: string[] }
  | { type: 'synced' }
  | { type: 'grads'; loss: number }
  | { type: 'applied' }
  | { type: 'predicted'; output: Float32Array }
  | { type: 'weights'; weights: Float32Array[] }
  | { type: 'weightsSet' }
  | { type: 'learningRateSet' }
  | { type: 'optimizerState'; arrays: StoredArray[] }
  | { type: 'optimizerStateSet' }
  | { type: 'failed'; message: string };
