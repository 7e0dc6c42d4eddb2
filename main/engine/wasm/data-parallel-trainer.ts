import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StoredArray } from '../train/checkpoint-file';
import type { ReplicaInit, ReplicaOptimizer, ReplicaReply, ReplicaRequest } from './data-parallel-protocol';

/** Replica threads a wasm run uses unless its config says otherwise: one per core, at most 4. */
export const defaultWasmReplicas = (): number => Math.min(4, availableParallelism());

/** Options of {@link createDataParallelTrainer}. */
export interface DataParallelOptions {
  replicas?: number;
  wasmPath: string;
  modelModule: string;
  modelExport: string;
  modelOptions: unknown;
  learningRate: number;
  /** Default Adam with `learningRate`. */
  optimizer?: ReplicaOptimizer;
  /** Layer name `predict(…, 'features')` reads (e.g. the backbone's pooled features). */
  featureLayer?: string;
  /** Upper bound on trainable parameters (sizes the shared gradient slab). */
  maxParams?: number;
}

/** A synchronous data-parallel trainer over worker-thread replicas (one per core). */
export interface DataParallelTrainer {
  /** One step on a batch split evenly across replicas; resolves to the mean loss. */
  step(x: Float32Array, xShape: number[], y: Float32Array, yShape: number[]): Promise<number>;
  /** Inference (training=false) split across replicas; returns the concatenated outputs. */
  predict(x: Float32Array, xShape: number[], output?: 'model' | 'features'): Promise<Float32Array>;
  /** Replica 0's weights, BatchNorm statistics included (trainable weights are the same everywhere). */
  weights(): Promise<Float32Array[]>;
  /** Loads every weight (model.getWeights() order) into every replica: resume, best epoch. */
  setWeights(weights: Float32Array[]): Promise<void>;
  /** Copies replica 0's weights (and so its BatchNorm statistics) to the others. */
  syncReplicas(): Promise<void>;
  /** Names of the arrays `weights()` returns, in order (e.g. `dense/kernel`). */
  readonly weightNames: readonly string[];
  /** Changes every replica's learning rate (schedules); optimizer state is kept. */
  setLearningRate(learningRate: number): Promise<void>;
  /** The optimizer's accumulators (replica 0's; every replica holds the same). */
  optimizerState(): Promise<StoredArray[]>;
  /** Restores them in every replica (a resume). */
  setOptimizerState(arrays: readonly StoredArray[]): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Starts the replica worker. From TypeScript sources (tsx, vitest) the worker first registers tsx's
 * ESM hooks itself, because Node 20 workers do not inherit `--import` loaders; a bundled build
 * (replica-worker.js next to this file) is started directly.
 */
const startWorker = (init: ReplicaInit): Worker => {
  const url = new URL(
    import.meta.url.endsWith('.ts') ? './replica-worker.ts' : './replica-worker.js',
    import.meta.url,
  );
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: init });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: init });
};

/**
 * Starts `replicas` worker threads, each with its own tfjs wasm backend and a copy of the model,
 * and trains them in lock-step: each computes gradients on its share of the batch, all average
 * the gradients (through a SharedArrayBuffer) and apply the same Adam update. This is how the
 * single-threaded wasm backend uses both cores; BatchNorm statistics are per replica.
 */
export const createDataParallelTrainer = async (opts: DataParallelOptions): Promise<DataParallelTrainer> => {
  const replicas = opts.replicas ?? 2;
  const gradients = new SharedArrayBuffer(replicas * (opts.maxParams ?? 8_000_000) * 4);
  const workers: Worker[] = [];
  type Waiter = { resolve: (r: ReplicaReply) => void; reject: (e: Error) => void };
  const waiters: Waiter[][] = [];
  let failure: Error | null = null;
  const next = (i: number) =>
    new Promise<ReplicaReply>((resolve, reject) => {
      if (failure) reject(failure);
      else waiters[i].push({ resolve, reject });
    });
  /** A replica that throws or exits fails every pending and later call (the run must restart). */
  const fail = (r: number, e: Error) => {
    failure ??= new Error(`data-parallel replica ${r} failed: ${e.message}`);
    for (const list of waiters) for (const w of list.splice(0)) w.reject(failure);
  };
  for (let r = 0; r < replicas; r++) {
    const init: ReplicaInit = {
      replica: r,
      replicas,
      wasmPath: opts.wasmPath,
      modelModule: opts.modelModule,
      modelExport: opts.modelExport,
      modelOptions: opts.modelOptions,
      learningRate: opts.learningRate,
      optimizer: opts.optimizer,
      featureLayer: opts.featureLayer,
      gradients,
    };
    const w = startWorker(init);
    waiters.push([]);
    w.on('message', (m: ReplicaReply) => {
      if (m.type === 'failed') fail(r, new Error(m.message));
      else waiters[r].shift()?.resolve(m);
    });
    w.on('error', (e) => fail(r, e));
    w.on('exit', (code) => fail(r, new Error(`exited with code ${code}`)));
    workers.push(w);
  }
  const all = (msg: (i: number) => ReplicaRequest | null) =>
    Promise.all(
      workers.map((w, i) => {
        const p = next(i);
        const m = msg(i);
        if (m) w.postMessage(m);
        return p;
      }),
    );
  const ready = await all(() => null);
  const weightNames = ready[0]?.type === 'ready' ? ready[0].names : [];
  const one = (i: number, m: ReplicaRequest) => {
    const p = next(i);
    workers[i].postMessage(m);
    return p;
  };
  const weights = async (): Promise<Float32Array[]> => {
    const r = await one(0, { type: 'weights' });
    return r.type === 'weights' ? r.weights : [];
  };
  const setWeights = async (w: Float32Array[]): Promise<void> => {
    await all(() => ({ type: 'setWeights', weights: w }));
  };
  await one(0, { type: 'sync', write: true });
  await Promise.all(workers.slice(1).map((_, i) => one(i + 1, { type: 'sync', write: false })));

  return {
    step: async (x, xShape, y, yShape) => {
      const n = xShape[0];
      if (n % replicas !== 0) throw new Error(`batch ${n} does not split over ${replicas} replicas`);
      const per = n / replicas;
      const xRow = x.length / n;
      const yRow = y.length / n;
      const replies = await all((i) => ({
        type: 'step',
        x: x.slice(i * per * xRow, (i + 1) * per * xRow),
        xShape: [per, ...xShape.slice(1)],
        y: y.slice(i * per * yRow, (i + 1) * per * yRow),
        yShape: [per, ...yShape.slice(1)],
      }));
      await all(() => ({ type: 'apply' }));
      return replies.reduce((s, r) => s + (r.type === 'grads' ? r.loss : 0), 0) / replicas;
    },
    predict: async (x, xShape, output = 'model') => {
      const n = xShape[0];
      const per = Math.ceil(n / replicas);
      const row = x.length / n;
      const parts = await all((i) => ({
        type: 'predict',
        output,
        x: x.slice(i * per * row, Math.min(n, (i + 1) * per) * row),
        xShape: [Math.max(0, Math.min(n, (i + 1) * per) - i * per), ...xShape.slice(1)],
      }));
      const outs = parts.map((p) => (p.type === 'predicted' ? p.output : new Float32Array(0)));
      const out = new Float32Array(outs.reduce((s, o) => s + o.length, 0));
      let off = 0;
      for (const o of outs) {
        out.set(o, off);
        off += o.length;
      }
      return out;
    },
    weights,
    weightNames,
    setWeights,
    setLearningRate: async (learningRate) => {
      await all(() => ({ type: 'setLearningRate', learningRate }));
    },
    optimizerState: async () => {
      const r = await one(0, { type: 'optimizerState' });
      return r.type === 'optimizerState' ? r.arrays : [];
    },
    setOptimizerState: async (arrays) => {
      await all(() => ({ type: 'setOptimizerState', arrays: [...arrays] }));
    },
    syncReplicas: async () => {
      if (replicas > 1) {
        const w = await weights();
        await Promise.all(workers.slice(1).map((_, i) => one(i + 1, { type: 'setWeights', weights: w })));
      }
    },
    dispose: async () => {
      for (const w of workers) w.postMessage({ type: 'dispose' });
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
};
