/**
 * One data-parallel replica (a worker thread with its own tfjs + wasm backend). Protocol with
 * data-parallel-trainer.ts: 'init' → 'ready'; 'step' (half batch) → 'grads' (written into the
 * shared gradient slab); 'apply' (average every replica's slot in a fixed order, Adam update) →
 * 'applied'; 'weights' → weights; 'dispose'. Every replica applies the same averaged gradient, so
 * weights stay bit-identical; BatchNorm batch statistics are per replica ("ghost batch norm").
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parentPort, workerData } from 'node:worker_threads';
import { installWasmTrainingKernels } from './install-training-kernels';
import type { ReplicaInit, ReplicaRequest } from './data-parallel-protocol';

const init = workerData as ReplicaInit;
const port = parentPort;
if (!port) throw new Error('replica-worker must run in a worker thread');

installWasmTrainingKernels(tf, { wasmPath: init.wasmPath });
await tf.setBackend('wasm');
const factory = (await import(init.modelModule))[init.modelExport] as (
  t: typeof tf,
  o: unknown,
) => tf.LayersModel;
const model = factory(tf, init.modelOptions);
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const sizes = vars.map((v) => v.size);
const total = sizes.reduce((a, b) => a + b, 0);
const slab = new Float32Array(init.gradients);
const optimizer = tf.train.adam(init.learningRate);

/** Replica 0's initial weights are copied to the others through slot 0 of the slab. */
const syncInitialWeights = (write: boolean) => {
  let off = 0;
  for (const v of vars) {
    if (write) slab.set(v.dataSync() as Float32Array, off);
    else v.assign(tf.tensor(slab.slice(off, off + v.size), v.shape));
    off += v.size;
  }
};

port.on('message', (msg: ReplicaRequest) => {
  if (msg.type === 'sync') {
    syncInitialWeights(msg.write);
    port.postMessage({ type: 'synced' });
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
    port.postMessage({ type: 'grads', loss });
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
    port.postMessage({ type: 'applied' });
  } else if (msg.type === 'predict') {
    const xs = tf.tensor(msg.x, msg.xShape);
    const out = model.predict(xs) as tf.Tensor;
    const output = out.dataSync() as Float32Array;
    tf.dispose([xs, out]);
    port.postMessage({ type: 'predicted', output });
  } else if (msg.type === 'weights') {
    port.postMessage({
      type: 'weights',
      weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
    });
  } else if (msg.type === 'dispose') {
    model.dispose();
    optimizer.dispose();
    port.close();
  }
});
port.postMessage({ type: 'ready', total });
