import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import { installWasmTrainingKernels } from '../../../../../main/engine/wasm/install-training-kernels';
import {
  onBackend,
  relativeError,
  seededFloats,
  setupWasmKernels,
  tf,
  KERNEL_VARIANTS,
  kernelsPathFor,
} from './wasm-test-setup';

type Pad = 'same' | 'valid';
/** [batch, height, width, inChannels, outChannels, kernelH, kernelW, stride, pad] */
type ConvCase = [number, number, number, number, number, number, number, number, Pad];

// Hand-picked edge cases (1x1 pointwise, odd sizes, stride 2 on odd/even inputs, channels that are
// not multiples of 4 or 8, kernels wider than the stride) plus seeded random shapes.
const fixedCases: ConvCase[] = [
  [2, 8, 8, 16, 24, 1, 1, 1, 'same'],
  [1, 7, 9, 3, 8, 3, 3, 2, 'same'],
  [2, 8, 8, 3, 5, 3, 3, 2, 'same'],
  [1, 9, 7, 5, 7, 3, 3, 1, 'valid'],
  [3, 6, 6, 4, 9, 5, 5, 1, 'same'],
  [1, 10, 11, 6, 3, 1, 1, 2, 'valid'],
  [2, 5, 5, 13, 11, 2, 2, 2, 'valid'],
  [1, 12, 12, 8, 16, 3, 1, 1, 'same'],
];
const randomCases = (count: number): ConvCase[] => {
  const r = seededFloats(7, count * 9).map((v) => (v + 1) / 2);
  const pick = (i: number, lo: number, hi: number) => lo + Math.floor(r[i] * (hi - lo + 1));
  return Array.from({ length: count }, (_, c): ConvCase => {
    const i = c * 9;
    const k = pick(i + 5, 1, 4);
    return [
      pick(i, 1, 3),
      pick(i + 1, k, 12),
      pick(i + 2, k, 12),
      pick(i + 3, 1, 20),
      pick(i + 4, 1, 20),
      k,
      pick(i + 6, 1, 3),
      pick(i + 7, 1, 2),
      r[i + 8] < 0.5 ? 'same' : 'valid',
    ];
  }).filter((c) => c[2] >= c[6]);
};

/** Gradients of sum(conv2d(x, w) * r) with respect to x and w on the current backend. */
const convGrads = (c: ConvCase, seed: number) => (): tf.Tensor[] => {
  const [b, h, w, ci, co, kh, kw, s, pad] = c;
  const x = tf.tensor4d(seededFloats(seed, b * h * w * ci), [b, h, w, ci]);
  const f = tf.tensor4d(seededFloats(seed + 1, kh * kw * ci * co), [kh, kw, ci, co]);
  const out = tf.conv2d(x, f, s, pad);
  const r = tf.tensor(seededFloats(seed + 2, out.size), out.shape);
  const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, s, pad), r)),
  );
  const bias = tf.tensor1d(seededFloats(seed + 3, co));
  const fused = tf.fused.conv2d({ x, filter: f, strides: s, pad, bias, activation: 'relu6' });
  return [...g([x, f]), out, fused];
};

describe.each(KERNEL_VARIANTS)('Conv2D gradient kernels on wasm (%s build)', (variant) => {
  let kernels: WasmTrainingKernels;
  beforeAll(async () => {
    kernels = await setupWasmKernels(variant);
  });
  afterAll(() => kernels.uninstall());

  it('is idempotent and its uninstall restores the stock registry', () => {
    expect(installWasmTrainingKernels(tf)).toBe(kernels);
    kernels.uninstall();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBeDefined();
    kernels = installWasmTrainingKernels(tf, { wasmPath: kernelsPathFor(variant) });
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('registers the missing gradients and reports what it replaced', () => {
    expect([...kernels.kernelNames].sort()).toEqual(
      [
        // the three the stock wasm backend lacks
        'Conv2DBackpropFilter',
        'DepthwiseConv2dNativeBackpropFilter',
        'DepthwiseConv2dNativeBackpropInput',
        // stock kernels replaced by faster ones (each falls back to the stock one off its fast path)
        'Cast',
        'Conv2D',
        'Conv2DBackpropInput',
        'FusedConv2D',
        'FusedBatchNorm',
        'Identity',
        'Mean',
        'Slice',
        'Sum',
        // fused gradients, only called on wasm by the gradient overrides
        'SonoFuseAdamUpdate',
        'SonoFuseBatchNormGrad',
        'SonoFuseBatchNormTrain',
        'SonoFuseBatchNormTrainGrad',
        'SonoFuseChannelMeanGrad',
        'SonoFuseClipByValueGrad',
        'SonoFuseReluGrad',
        'SonoFuseSquareGrad',
      ].sort(),
    );
  });

  it.each([...fixedCases, ...randomCases(14)].map((c) => [c.join(' '), c] as const))(
    'conv2d forward, fused forward and grads match cpu for [b h w ci co kh kw stride pad] = %s',
    async (_name, cs) => {
      const seed = cs.reduce<number>((acc, v) => acc * 31 + (typeof v === 'number' ? v : v.length), 3);
      const cpu = await onBackend('cpu', convGrads(cs, seed));
      const wasm = await onBackend('wasm', convGrads(cs, seed));
      expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-4);
      expect(relativeError(wasm[1], cpu[1])).toBeLessThan(1e-4);
      expect(relativeError(wasm[2], cpu[2])).toBeLessThan(1e-4);
      expect(relativeError(wasm[3], cpu[3])).toBeLessThan(1e-4);
    },
  );
});
