import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import {
  onBackend,
  relativeError,
  seededFloats,
  setupWasmKernels,
  tf,
  KERNEL_VARIANTS,
} from './wasm-test-setup';

/** [batch, height, width, channels] of NHWC activations, channel counts on and off the SIMD width. */
const shapes: Array<[number, number, number, number]> = [
  [2, 5, 5, 8],
  [1, 7, 3, 13],
  [3, 4, 6, 1],
  [2, 9, 9, 32],
];

/** What tfjs-layers BatchNormalization + ReLU(maxValue 6) compute in training, with its gradients. */
const bnTrainGrads = (shape: [number, number, number, number]) => (): tf.Tensor[] => {
  const c = shape[3];
  const n = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(
    seededFloats(n, n).map((v) => 3 * v + 0.5),
    shape,
  );
  const gamma = tf.tensor1d(seededFloats(c + 1, c).map((v) => 1 + 0.5 * v));
  const beta = tf.tensor1d(seededFloats(c + 2, c));
  const r = tf.tensor4d(seededFloats(n + 3, n), shape);
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    const y = tf.batchNorm4d(
      xx as tf.Tensor4D,
      mean as tf.Tensor1D,
      variance as tf.Tensor1D,
      b as tf.Tensor1D,
      g as tf.Tensor1D,
      1e-3,
    );
    return tf.sum(tf.mul(tf.clipByValue(tf.relu(tf.mul(y, 2.5)), 0, 6), r));
  };
  const value = f(x, gamma, beta);
  return [value, ...tf.grads(f)([x, gamma, beta])];
};

/** BN (batch statistics) → ReLU → clip(0, 6) inputs; gamma ~6 so outputs cross both 0 and 6. */
const bnReluInputs = (shape: [number, number, number, number]) => {
  const c = shape[3];
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    x: tf.tensor4d(
      seededFloats(n + 5, n).map((v) => 3 * v + 0.5),
      shape,
    ),
    gamma: tf.tensor1d(seededFloats(c + 6, c).map((v) => 6 + v)),
    beta: tf.tensor1d(seededFloats(c + 7, c)),
    r: tf.tensor4d(seededFloats(n + 8, n), shape),
  };
};

/** Reference (any backend's stock ops): clipped output and d/d(x, gamma, beta) of sum(out * r). */
const bnReluReference = (shape: [number, number, number, number]) => (): tf.Tensor[] => {
  const { x, gamma, beta, r } = bnReluInputs(shape);
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    const y = tf.batchNorm4d(
      xx as tf.Tensor4D,
      mean as tf.Tensor1D,
      variance as tf.Tensor1D,
      b as tf.Tensor1D,
      g as tf.Tensor1D,
      1e-3,
    );
    return tf.clipByValue(tf.relu(y), 0, 6);
  };
  return [
    f(x, gamma, beta),
    ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c), r)))([
      x,
      gamma,
      beta,
    ]),
  ];
};

/** The fused kernels directly: SonoFuseBatchNormTrain/Grad with activationMax 6 and dy = r. */
const bnReluFused = (shape: [number, number, number, number]) => (): tf.Tensor[] => {
  const { x, gamma, beta, r } = bnReluInputs(shape);
  const attrs = { epsilon: 1e-3, activationMax: 6 } as never;
  const [y, mean, variance] = tf
    .engine()
    .runKernel('SonoFuseBatchNormTrain', { x, gamma, beta } as never, attrs) as tf.Tensor[];
  const grads = tf
    .engine()
    .runKernel(
      'SonoFuseBatchNormTrainGrad',
      { x, dy: r, mean, variance, gamma, beta } as never,
      attrs,
    ) as tf.Tensor[];
  return [y!, ...grads];
};

/** Per-channel and other reductions, batch norm with rank-4 statistics (the stock path), slices. */
const reductions = (shape: [number, number, number, number]) => (): tf.Tensor[] => {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(seededFloats(n + 9, n), shape);
  const m4 = tf.mean(x, [0, 1, 2], true);
  return [
    tf.mean(x, [0, 1, 2]),
    tf.sum(x, [2, 0, 1], true),
    tf.mean(x, 1),
    tf.sum(x),
    tf.batchNorm4d(x, m4 as tf.Tensor4D, tf.add(m4, 2) as tf.Tensor4D, undefined, undefined, 1e-3),
    tf.clone(x),
    tf.cast(x, 'float32'),
    tf.slice(x, [0, 1, 0, 0], [1, shape[1] - 1, shape[2], shape[3]]),
    tf.slice(x, [shape[0] - 1, 0, 1, 0], [1, shape[1], shape[2] - 1, Math.max(1, shape[3] - 1)]),
    tf.slice(tf.reshape(x, [shape[0] * shape[1], -1]), [1, 2], [shape[0] * shape[1] - 1, 3]),
  ];
};

describe.each(KERNEL_VARIANTS)('fused training kernels on wasm (%s build)', (variant) => {
  let kernels: WasmTrainingKernels;
  beforeAll(async () => {
    kernels = await setupWasmKernels(variant);
  });
  afterAll(() => kernels.uninstall());

  it.each(shapes.map((s) => [s.join('x'), s] as const))(
    'batch-norm + relu6 training gradients match cpu for %s',
    async (_n, s) => {
      const cpu = await onBackend('cpu', bnTrainGrads(s));
      const wasm = await onBackend('wasm', bnTrainGrads(s));
      expect(wasm.length).toBe(4);
      for (let i = 0; i < cpu.length; i++) expect(relativeError(wasm[i], cpu[i])).toBeLessThan(1e-4);
    },
  );

  it.each(shapes.map((s) => [s.join('x'), s] as const))(
    'BatchNorm+ReLU6 fused in one kernel each way matches cpu (output and masked gradients) for %s',
    async (_n, s) => {
      const cpu = await onBackend('cpu', bnReluReference(s));
      const wasm = await onBackend('wasm', bnReluFused(s));
      const out = cpu[0]!;
      // the data reaches both clip edges, so the mask is really exercised
      expect(out.some((v) => v === 0)).toBe(true);
      expect(out.some((v) => v === 6)).toBe(true);
      for (let i = 0; i < cpu.length; i++) expect(relativeError(wasm[i]!, cpu[i]!)).toBeLessThan(1e-4);
    },
  );

  it.each(shapes.map((s) => [s.join('x'), s] as const))(
    'reductions, batch norm, identity, cast and slices match cpu for %s',
    async (_n, s) => {
      const cpu = await onBackend('cpu', reductions(s));
      const wasm = await onBackend('wasm', reductions(s));
      for (let i = 0; i < cpu.length; i++) expect(relativeError(wasm[i], cpu[i])).toBeLessThan(1e-5);
    },
  );

  it('keeps stock gradients on other backends and restores them on uninstall', async () => {
    await tf.setBackend('cpu');
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.relu(x)))(tf.tensor1d([-1, 2, 0, 3]));
    expect(Array.from(g.dataSync())).toEqual([0, 1, 0, 1]);
    const fused = tf.getGradient('Relu');
    kernels.uninstall();
    expect(tf.getGradient('Relu')).not.toBe(fused);
    kernels = await setupWasmKernels(variant);
    expect(tf.getGradient('Relu')).not.toBe(fused);
  });
});
