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

type Pad = 'same' | 'valid';
/** [batch, height, width, channels, multiplier, kernelH, kernelW, stride, pad, dilation] */
type DwCase = [number, number, number, number, number, number, number, number, Pad, number];

// MobileNet-like 3x3 stride 1/2 cases, odd sizes, channel counts off the SIMD width, multiplier > 1,
// and dilation 2 (which the forward allows with stride 1), plus seeded random shapes.
const fixedCases: DwCase[] = [
  [2, 8, 8, 32, 1, 3, 3, 1, 'same', 1],
  [2, 9, 9, 16, 1, 3, 3, 2, 'same', 1],
  [1, 8, 10, 13, 1, 3, 3, 2, 'same', 1],
  [1, 7, 7, 5, 2, 3, 3, 1, 'valid', 1],
  [3, 6, 5, 3, 3, 2, 2, 2, 'valid', 1],
  [1, 11, 11, 8, 1, 5, 5, 1, 'same', 1],
  [1, 10, 10, 12, 1, 3, 3, 1, 'same', 2],
  [2, 9, 11, 6, 2, 3, 3, 1, 'valid', 2],
];
const randomCases = (count: number): DwCase[] => {
  const r = seededFloats(11, count * 10).map((v) => (v + 1) / 2);
  const pick = (i: number, lo: number, hi: number) => lo + Math.floor(r[i] * (hi - lo + 1));
  return Array.from({ length: count }, (_, c): DwCase => {
    const i = c * 10;
    const k = pick(i + 5, 1, 4);
    const dil = r[i + 9] < 0.25 ? 2 : 1;
    const stride = dil > 1 ? 1 : pick(i + 7, 1, 2);
    const span = (k - 1) * dil + 1;
    return [
      pick(i, 1, 3),
      pick(i + 1, span, 12),
      pick(i + 2, span, 12),
      pick(i + 3, 1, 24),
      pick(i + 4, 1, 2),
      k,
      k,
      stride,
      r[i + 8] < 0.5 ? 'same' : 'valid',
      dil,
    ];
  });
};

const caseSeed = (c: DwCase): number =>
  c.reduce<number>((acc, v) => (acc * 31 + (typeof v === 'number' ? v : v.length)) >>> 0, 5);

/**
 * Both backprop kernels run directly (tf.grad refuses dilation > 1, the kernels do not). With
 * `reference` set, a dilated filter is expanded into the equivalent undilated one with zeros between
 * taps, because the cpu backend's backprop kernels ignore dilation; the filter gradient is then read
 * back at the real taps. That makes the cpu result an element-wise reference for every case.
 */
const dwBackprops = (c: DwCase, reference: boolean) => (): tf.Tensor[] => {
  const [b, h, w, ch, m, kh, kw, s, pad, d] = c;
  const seed = caseSeed(c);
  const x = tf.tensor4d(seededFloats(seed, b * h * w * ch), [b, h, w, ch]);
  const fv = seededFloats(seed + 1, kh * kw * ch * m);
  const f = tf.tensor4d(fv, [kh, kw, ch, m]);
  const y = tf.depthwiseConv2d(x, f, s, pad, 'NHWC', d);
  const dy = tf.tensor(seededFloats(seed + 2, y.size), y.shape);
  const expand = reference && d > 1;
  const [ekh, ekw] = expand ? [(kh - 1) * d + 1, (kw - 1) * d + 1] : [kh, kw];
  const tap = ch * m;
  const ef = new Float32Array(ekh * ekw * tap);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const [ei, ej] = expand ? [i * d, j * d] : [i, j];
      ef.set(fv.subarray((i * kw + j) * tap, (i * kw + j + 1) * tap), (ei * ekw + ej) * tap);
    }
  const filter = tf.tensor4d(ef, [ekh, ekw, ch, m]);
  const attrs = { strides: s, pad, dilations: expand ? 1 : d, dimRoundingMode: undefined };
  const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, {
    ...attrs,
    inputShape: x.shape,
  } as never) as tf.Tensor;
  const edf = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
    ...attrs,
    filterShape: filter.shape,
  } as never) as tf.Tensor;
  if (!expand) return [dx, edf];
  const all = edf.dataSync();
  const df = new Float32Array(kh * kw * tap);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      df.set(all.subarray((i * d * ekw + j * d) * tap, (i * d * ekw + j * d + 1) * tap), (i * kw + j) * tap);
  return [dx, tf.tensor4d(df, [kh, kw, ch, m])];
};

/** tf.grads of sum(depthwiseConv2d(x, w) * r): the path tfjs-layers training takes. */
const dwGrads = (c: DwCase) => (): tf.Tensor[] => {
  const [b, h, w, ch, m, kh, kw, s, pad] = c;
  const seed = caseSeed(c);
  const x = tf.tensor4d(seededFloats(seed, b * h * w * ch), [b, h, w, ch]);
  const f = tf.tensor4d(seededFloats(seed + 1, kh * kw * ch * m), [kh, kw, ch, m]);
  const shape = tf.depthwiseConv2d(x, f, s, pad).shape;
  const r = tf.tensor(
    seededFloats(
      seed + 2,
      shape.reduce((p, q) => p * q, 1),
    ),
    shape,
  );
  const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
    tf.sum(tf.mul(tf.depthwiseConv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, s, pad), r)),
  );
  return g([x, f]);
};

describe.each(KERNEL_VARIANTS)('DepthwiseConv2dNative gradient kernels on wasm (%s build)', (variant) => {
  let kernels: WasmTrainingKernels;
  beforeAll(async () => {
    kernels = await setupWasmKernels(variant);
  });
  afterAll(() => kernels.uninstall());

  const all = [...fixedCases, ...randomCases(14)].map((c) => [c.join(' '), c] as const);

  it.each(all)('backprop kernels match cpu for [b h w c m kh kw stride pad dilation] = %s', async (_n, c) => {
    const cpu = await onBackend('cpu', dwBackprops(c, true));
    const wasm = await onBackend('wasm', dwBackprops(c, false));
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-4);
    expect(relativeError(wasm[1], cpu[1])).toBeLessThan(1e-4);
  });

  it.each(all.filter(([, c]) => c[9] === 1))('tf.grads match cpu for %s', async (_n, c) => {
    const cpu = await onBackend('cpu', dwGrads(c));
    const wasm = await onBackend('wasm', dwGrads(c));
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-4);
    expect(relativeError(wasm[1], cpu[1])).toBeLessThan(1e-4);
  });
});
