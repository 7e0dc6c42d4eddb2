/**
 * One data-parallel replica (a worker thread with its own tfjs + wasm backend). Protocol with
 * data-parallel-trainer.ts: 'init' → 'ready'; 'step' (its share of the batch) → 'grads' (written
 * into the shared gradient slab); 'apply' (average every replica's slot in a fixed order, optimizer
 * update) → 'applied'; 'predict' → outputs (the model's or the feature layer's, inference mode);
 * 'weights' / 'setWeights' (every weight incl. BatchNorm statistics: checkpoints and resume);
 * 'optimizerState' / 'setOptimizerState' (the optimizer's accumulators, the same in every
 * replica: a resume continues exactly); 'dispose'. Every replica applies the same averaged gradient, so trainable weights stay
 * bit-identical; BatchNorm batch statistics are per replica ("ghost batch norm") until the
 * coordinator copies replica 0's weights to the others.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parentPort, workerData } from 'node:worker_threads';
import { fuseAdamOnWasm } from './fused-adam';
import { createInferenceModel } from './inference-model';
import { installWasmTrainingKernels } from './install-training-kernels';
import { setLearningRate } from './optimizer-learning-rate';
import { readOptimizerState, restoreOptimizerState } from '../train/train-step';
import type { ReplicaInit, ReplicaReply, ReplicaRequest } from './data-parallel-protocol';

const init = workerData as ReplicaInit;
const port = parentPort;
if (!port) throw new Error('replica-worker must run in a worker thread');
const reply = (m: ReplicaReply) => port.postMessage(m);

installWasmTrainingKernels(tf, { wasmPath: init.wasmPath });
await tf.setBackend('wasm');
const factory = (await import(init.modelModule))[init.modelExport] as (
  t: typeof tf,
  o: unknown,
) => tf.LayersModel | Promise<tf.LayersModel>;
const model = await factory(tf, init.modelOptions);
/** Inference with BatchNorm folded into the convolutions (re-folded whenever a weight changes). */
const inference = createInferenceModel(tf, model, { outputs: init.featureLayer ? [init.featureLayer] : [] });
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const total = vars.reduce((a, v) => a + v.size, 0);
const slab = new Float32Array(init.gradients);
const spec = init.optimizer ?? { type: 'adam', learningRate: init.learningRate };
const optimizer =
  spec.type === 'sgd'
    ? tf.train.momentum(spec.learningRate, spec.momentum ?? 0.9)
    : fuseAdamOnWasm(tf, tf.train.adam(spec.learningRate));

/** Replica 0's initial weights are copied to the others through slot 0 of the slab. */
const syncInitialWeights = (write: boolean) => {
  let off = 0;
  for (const v of vars) {
    if (write) slab.set(v.dataSync() as Float32Array, off);
    else v.assign(tf.tensor(slab.slice(off, off + v.size), v.shape));
    off += v.size;
  }
};

const handle = (msg: ReplicaRequest): void => {
  if (msg.type === 'sync') {
    syncInitialWeights(msg.write);
    reply({ type: 'synced' });
  } else if (msg.type === 'step') {
    const xs = tf.tensor(msg.x, msg.xShape);
    const ys = tf.tensor(msg.y, msg.yShape);
    const { value, grads } = optimizer.computeGradients(
      () =>
        tf.mean(
          tf.metrics.categoricalCrossentropy(ys, model.apply(xs, { training: true }) as tf.Tensor),
        ) as tf.Scalar,
      vars,
    );
    let off = init.replica * total;
    for (const v of vars) {
      slab.set(grads[v.name].dataSync() as Float32Array, off);
      off += v.size;
    }
    const loss = value.dataSync()[0];
    tf.dispose([xs, ys, value, ...Object.values(grads)]);
    reply({ type: 'grads', loss });
  } else if (msg.type === 'apply') {
    const named: Record<string, tf.Tensor> = {};
    let off = 0;
    for (const v of vars) {
      const avg = new Float32Array(v.size);
      for (let r = 0; r < init.replicas; r++) {
        const src = slab.subarray(r * total + off, r * total + off + v.size);
        for (let i = 0; i < avg.length; i++) avg[i] += src[i];
      }
      for (let i = 0; i < avg.length; i++) avg[i] /= init.replicas;
      named[v.name] = tf.tensor(avg, v.shape);
      off += v.size;
    }
    optimizer.applyGradients(named as tf.NamedTensorMap as never);
    tf.dispose(Object.values(named));
    reply({ type: 'applied' });
  } else if (msg.type === 'predict') {
    if (msg.xShape[0] === 0) {
      reply({ type: 'predicted', output: new Float32Array(0) });
      return;
    }
    if (msg.output === 'features' && !init.featureLayer)
      throw new Error('this replica was started without a feature layer');
    const xs = tf.tensor(msg.x, msg.xShape);
    const out = inference.predict(xs, msg.output === 'features' ? init.featureLayer : undefined);
    const output = out.dataSync() as Float32Array;
    tf.dispose([xs, out]);
    reply({ type: 'predicted', output });
  } else if (msg.type === 'weights') {
    reply({ type: 'weights', weights: model.getWeights().map((w) => w.dataSync() as Float32Array) });
  } else if (msg.type === 'setWeights') {
    const current = model.getWeights();
    if (msg.weights.length !== current.length)
      throw new Error(`setWeights: ${msg.weights.length} arrays for ${current.length} weights`);
    const tensors = current.map((w, i) => tf.tensor(msg.weights[i], w.shape));
    model.setWeights(tensors);
    tf.dispose(tensors);
    reply({ type: 'weightsSet' });
  } else if (msg.type === 'setLearningRate') {
    setLearningRate(optimizer, msg.learningRate);
    reply({ type: 'learningRateSet' });
  } else if (msg.type === 'optimizerState') {
    readOptimizerState(tf, optimizer).then(
      (arrays) => reply({ type: 'optimizerState', arrays }),
      (e: Error) => reply({ type: 'failed', message: e.message }),
    );
  } else if (msg.type === 'setOptimizerState') {
    restoreOptimizerState(tf, optimizer, msg.arrays).then(
      () => reply({ type: 'optimizerStateSet' }),
      (e: Error) => reply({ type: 'failed', message: e.message }),
    );
  } else if (msg.type === 'dispose') {
    inference.dispose();
    model.dispose();
    optimizer.dispose();
    port.close();
  }
};

port.on('message', (msg: ReplicaRequest) => {
  try {
    handle(msg);
  } catch (e) {
    reply({ type: 'failed', message: (e as Error).message });
  }
});
reply({ type: 'ready', total, names: model.weights.map((w) => w.originalName) });
