import * as tf from '@tensorflow/tfjs';
import type { PlanOp } from './augment-plan-types';
import { blurRadius, gaussianTaps, MIN_BLUR_SIGMA } from './blur-taps';

/** Keeps pre-normalisation values in [0, 1] after a photometric op. */
const clip01 = (x: tf.Tensor4D): tf.Tensor4D => tf.clipByValue(x, 0, 1);

const perImage = (values: Float32Array): tf.Tensor4D => tf.tensor4d(values, [values.length, 1, 1, 1]);

/** Soft [left, right] row-span mask (B×h×w×1) with one pixel of anti-aliasing along x. */
const spanMask = (left: Float32Array, right: Float32Array, B: number, h: number, w: number): tf.Tensor4D => {
  const xs = tf.range(0, w, 1, 'float32').reshape([1, 1, w, 1]);
  const l = tf.tensor4d(left, [B, h, 1, 1]);
  const r = tf.tensor4d(right, [B, h, 1, 1]);
  return tf.mul(tf.clipByValue(tf.sub(tf.add(xs, 1), l), 0, 1), tf.clipByValue(tf.sub(r, xs), 0, 1));
};

/** Row (B×h×1×1) and column (B×1×w×1) indicators of boxes x,y,w,h (pixel centres inside). */
const boxMask = (boxes: Float32Array, B: number, h: number, w: number): tf.Tensor4D => {
  const rows = new Float32Array(B * h);
  const cols = new Float32Array(B * w);
  for (let i = 0; i < B; i++) {
    const [x, y, bw, bh] = boxes.subarray(i * 4, i * 4 + 4);
    if (bw <= 0 || bh <= 0) continue;
    for (let j = 0; j < h; j++) rows[i * h + j] = j + 0.5 >= y && j + 0.5 < y + bh ? 1 : 0;
    for (let j = 0; j < w; j++) cols[i * w + j] = j + 0.5 >= x && j + 0.5 < x + bw ? 1 : 0;
  }
  return tf.mul(tf.tensor4d(rows, [B, h, 1, 1]), tf.tensor4d(cols, [B, 1, w, 1]));
};

/**
 * Separable Gaussian blur with a different sigma per image: the batch is moved into channels
 * ([1, h, w, B·C]) so one depthwise convolution gives each image its own kernel; reflect padding
 * keeps borders from darkening.
 */
const blur = (x: tf.Tensor4D, sigmas: Float32Array): tf.Tensor4D => {
  const [B, h, w, C] = x.shape;
  if (Math.max(...sigmas) <= MIN_BLUR_SIGMA) return x;
  const r = blurRadius(sigmas, h, w);
  const taps = new Float32Array((2 * r + 1) * B * C);
  for (let b = 0; b < B; b++) {
    const g = gaussianTaps(sigmas[b], r);
    for (let c = 0; c < C; c++) for (let k = 0; k <= 2 * r; k++) taps[k * B * C + b * C + c] = g[k];
  }
  const stacked = tf.reshape(tf.transpose(x, [1, 2, 0, 3]), [1, h, w, B * C]) as tf.Tensor4D;
  const padded = tf.mirrorPad(
    stacked,
    [
      [0, 0],
      [r, r],
      [r, r],
      [0, 0],
    ],
    'reflect',
  );
  const vertical = tf.depthwiseConv2d(padded, tf.tensor4d(taps, [2 * r + 1, 1, B * C, 1]), 1, 'valid');
  const both = tf.depthwiseConv2d(vertical, tf.tensor4d(taps, [1, 2 * r + 1, B * C, 1]), 1, 'valid');
  return tf.transpose(tf.reshape(both, [h, w, B, C]), [2, 0, 1, 3]);
};

/**
 * tf.image.transform with one row per image. tfjs-backend-cpu 4.22's Transform kernel returns
 * inside its batch loop (only image 0 is transformed, the rest stay at the fill value), so on
 * `cpu` the batch is transformed image by image; wasm, webgl and tfjs-node handle batches.
 */
const transformBatch = (x: tf.Tensor4D, op: Extract<PlanOp, { op: 'geometry' }>): tf.Tensor4D => {
  const B = x.shape[0];
  const size: [number, number] = [op.outH, op.outW];
  if (tf.getBackend() !== 'cpu' || B === 1)
    return tf.image.transform(x, tf.tensor2d(op.rows, [B, 8]), 'bilinear', op.fill, op.fillValue, size);
  const parts = tf
    .split<tf.Tensor4D>(x, B, 0)
    .map((xi, i) =>
      tf.image.transform(
        xi,
        tf.tensor2d(op.rows.subarray(i * 8, i * 8 + 8), [1, 8]),
        'bilinear',
        op.fill,
        op.fillValue,
        size,
      ),
    );
  return tf.concat(parts, 0);
};

/** Runs one planned op on the batch (call inside tf.tidy). */
export const runOp = (x: tf.Tensor4D, op: PlanOp): tf.Tensor4D => {
  const B = x.shape[0];
  switch (op.op) {
    case 'geometry':
      return op.identity ? x : transformBatch(x, op);
    case 'mask': {
      let keep = spanMask(op.left, op.right, B, op.h, op.w);
      for (const hole of op.holes)
        keep = tf.mul(keep, tf.sub(1, spanMask(hole.left, hole.right, B, op.h, op.w)));
      return tf.mul(x, keep);
    }
    case 'brightness':
      return op.values.every((v) => v === 1) ? x : clip01(tf.mul(x, perImage(op.values)));
    case 'contrast': {
      if (op.values.every((v) => v === 1)) return x;
      const mean = tf.mean(x, [1, 2, 3], true);
      return clip01(tf.add(tf.mul(tf.sub(x, mean), perImage(op.values)), mean));
    }
    case 'gamma':
      return op.values.every((v) => v === 1) ? x : clip01(tf.pow(x, perImage(op.values)));
    case 'depth-gain':
      return op.gains.every((v) => v === 1) ? x : clip01(tf.mul(x, tf.tensor4d(op.gains, [B, op.h, 1, 1])));
    case 'speckle': {
      if (op.noise.every((n) => n === null)) return x;
      const field = new Float32Array(B * op.h * op.w);
      op.noise.forEach((n, i) => n && field.set(n, i * op.h * op.w));
      return clip01(tf.mul(x, tf.add(tf.tensor4d(field, [B, op.h, op.w, 1]), 1)));
    }
    case 'blur':
      return blur(x, op.sigmas);
    case 'cutout': {
      let keep: tf.Tensor4D | null = null;
      for (const boxes of op.holes) {
        if (boxes.every((v) => v === 0)) continue;
        const hole = tf.sub(1, boxMask(boxes, B, op.h, op.w)) as tf.Tensor4D;
        keep = keep ? tf.mul<tf.Tensor4D>(keep, hole) : hole;
      }
      if (!keep) return x;
      return tf.add(tf.mul(x, keep), tf.mul(tf.sub(1, keep), op.value)) as tf.Tensor4D;
    }
  }
};
