/** What a replica worker is started with (structured-clone safe). */
export interface ReplicaInit {
  replica: number;
  replicas: number;
  wasmPath: string;
  /** file:// URL of a module exporting `modelExport(tf, modelOptions) => LayersModel`. */
  modelModule: string;
  modelExport: string;
  modelOptions: unknown;
  learningRate: number;
  /** replicas × parameter-count floats, one gradient slot per replica. */
  gradients: SharedArrayBuffer;
}

/** Coordinator → replica messages. */
export type ReplicaRequest =
  | { type: 'sync'; write: boolean }
  | { type: 'step'; x: Float32Array; xShape: number[]; y: Float32Array; yShape: number[] }
  | { type: 'apply' }
  | { type: 'predict'; x: Float32Array; xShape: number[] }
  | { type: 'weights' }
  | { type: 'dispose' };

/** Replica → coordinator messages. */
export type ReplicaReply =
  | { type: 'ready'; total: number }
  | { type: 'synced' }
  | { type: 'grads'; loss: number }
  | { type: 'applied' }
  | { type: 'predicted'; output: Float32Array }
  | { type: 'weights'; weights: Float32Array[] };
