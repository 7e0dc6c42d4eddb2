/* Fused element-wise gradients that replace chains of 4-12 tfjs ops in a training step. */
#include "kernels.h"

static inline float rsqrt_f(float v) { return 1.0f / __builtin_sqrtf(v); }

/*
 * FusedBatchNorm gradient for x[P, C] (NHWC flattened) with per-channel mean, variance, scale
 * (scale == 0 means 1). Same formulas as tfjs-core's FusedBatchNorm_grad, in two passes:
 *   dx = dy * rstd * scale, dmean = -rstd * scale * sum(dy), dvar = -0.5 rstd^3 scale sum(dy (x-mean)),
 *   dscale = rstd * sum(dy (x-mean)), doffset = sum(dy).  sums: 2*C floats of scratch.
 */
EXPORT("sf_batchnorm_grad")
void sf_batchnorm_grad(const float *x, const float *dy, const float *mean, const float *var,
                       const float *scale, float eps, int positions, int channels, float *dx,
                       float *dmean, float *dvar, float *dscale, float *doffset, float *sums) {
  float *sdy = sums, *sdyx = sums + channels;
  sf_zero(sums, (usize)2 * channels);
  for (int p = 0; p < positions; p++) {
    const float *xr = x + (long)p * channels, *dr = dy + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      v128_t d = wasm_v128_load(dr + c);
      v128_t xm = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
      wasm_v128_store(sdy + c, wasm_f32x4_add(wasm_v128_load(sdy + c), d));
      wasm_v128_store(sdyx + c, wasm_f32x4_add(wasm_v128_load(sdyx + c), wasm_f32x4_mul(d, xm)));
    }
    for (; c < channels; c++) {
      sdy[c] += dr[c];
      sdyx[c] += dr[c] * (xr[c] - mean[c]);
    }
  }
  for (int c = 0; c < channels; c++) {
    float r = rsqrt_f(var[c] + eps), s = scale ? scale[c] : 1.0f;
    doffset[c] = sdy[c];
    dscale[c] = sdyx[c] * r;
    dmean[c] = -r * s * sdy[c];
    dvar[c] = -0.5f * r * r * r * s * sdyx[c];
    sdy[c] = r * s; /* reuse as the dx factor */
  }
  for (int p = 0; p < positions; p++) {
    const float *dr = dy + (long)p * channels;
    float *o = dx + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4)
      wasm_v128_store(o + c, wasm_f32x4_mul(wasm_v128_load(dr + c), wasm_v128_load(sdy + c)));
    for (; c < channels; c++) o[c] = dr[c] * sdy[c];
  }
}

/* ClipByValue gradient: dy where lo <= x <= hi, else 0 (tfjs: where(x>=lo && x<=hi, dy, 0)). */
EXPORT("sf_clip_grad")
void sf_clip_grad(const float *x, const float *dy, float lo, float hi, int n, float *out) {
  v128_t vlo = wasm_f32x4_splat(lo), vhi = wasm_f32x4_splat(hi);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t xv = wasm_v128_load(x + i);
    v128_t m = wasm_v128_and(wasm_f32x4_ge(xv, vlo), wasm_f32x4_le(xv, vhi));
    wasm_v128_store(out + i, wasm_v128_and(wasm_v128_load(dy + i), m));
  }
  for (; i < n; i++) out[i] = (x[i] >= lo && x[i] <= hi) ? dy[i] : 0.0f;
}

/* Relu gradient: dy * step(x) (tfjs: mul(dy, cast(step(x)))); NaN in x gives 0 here. */
EXPORT("sf_relu_grad")
void sf_relu_grad(const float *x, const float *dy, int n, float *out) {
  v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t st = wasm_v128_and(wasm_f32x4_gt(wasm_v128_load(x + i), zero), one);
    wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(dy + i), st));
  }
  for (; i < n; i++) out[i] = dy[i] * (x[i] > 0.0f ? 1.0f : 0.0f);
}

/* out[c] = scale * sum over positions of x[p, c]; blocked so rounding grows with sqrt of blocks. */
EXPORT("sf_channel_sum")
void sf_channel_sum(const float *x, int positions, int channels, float scale, float *out,
                    float *block) {
  sf_zero(out, (usize)channels);
  for (int p0 = 0; p0 < positions; p0 += 256) {
    int p1 = positions - p0 < 256 ? positions : p0 + 256;
    sf_zero(block, (usize)channels);
    for (int p = p0; p < p1; p++) {
      const float *xr = x + (long)p * channels;
      int c = 0;
      for (; c + 4 <= channels; c += 4)
        wasm_v128_store(block + c, wasm_f32x4_add(wasm_v128_load(block + c), wasm_v128_load(xr + c)));
      for (; c < channels; c++) block[c] += xr[c];
    }
    int c = 0;
    for (; c + 4 <= channels; c += 4)
      wasm_v128_store(out + c, wasm_f32x4_add(wasm_v128_load(out + c), wasm_v128_load(block + c)));
    for (; c < channels; c++) out[c] += block[c];
  }
  for (int c = 0; c < channels; c++) out[c] *= scale;
}

/* FusedBatchNorm forward, per channel: y = (x - mean) * rsqrt(var + eps) * scale + offset. */
EXPORT("sf_batchnorm_fwd")
void sf_batchnorm_fwd(const float *x, const float *mean, const float *var, const float *scale,
                      const float *offset, float eps, int positions, int channels, float *y,
                      float *factor) {
  for (int c = 0; c < channels; c++)
    factor[c] = rsqrt_f(var[c] + eps) * (scale ? scale[c] : 1.0f);
  for (int p = 0; p < positions; p++) {
    const float *xr = x + (long)p * channels;
    float *yr = y + (long)p * channels;
    int c = 0;
    if (offset) {
      for (; c + 4 <= channels; c += 4) {
        v128_t v = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
        v = wasm_f32x4_add(wasm_f32x4_mul(v, wasm_v128_load(factor + c)), wasm_v128_load(offset + c));
        wasm_v128_store(yr + c, v);
      }
      for (; c < channels; c++) yr[c] = (xr[c] - mean[c]) * factor[c] + offset[c];
    } else {
      for (; c + 4 <= channels; c += 4) {
        v128_t v = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
        wasm_v128_store(yr + c, wasm_f32x4_mul(v, wasm_v128_load(factor + c)));
      }
      for (; c < channels; c++) yr[c] = (xr[c] - mean[c]) * factor[c];
    }
  }
}

/* out[p, c] = dy[c] * scale: the gradient of a per-channel mean, broadcast back to every position. */
EXPORT("sf_broadcast_rows")
void sf_broadcast_rows(const float *dy, float scale, int positions, int channels, float *out) {
  for (int p = 0; p < positions; p++) {
    float *o = out + (long)p * channels;
    int c = 0;
    v128_t s = wasm_f32x4_splat(scale);
    for (; c + 4 <= channels; c += 4) wasm_v128_store(o + c, wasm_f32x4_mul(wasm_v128_load(dy + c), s));
    for (; c < channels; c++) o[c] = dy[c] * scale;
  }
}

/* Square gradient: dy * (2 x) (tfjs: mul(dy, mul(cast(x), 2))). */
EXPORT("sf_square_grad")
void sf_square_grad(const float *x, const float *dy, int n, float *out) {
  v128_t two = wasm_f32x4_splat(2.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4)
    wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(dy + i),
                                            wasm_f32x4_mul(wasm_v128_load(x + i), two)));
  for (; i < n; i++) out[i] = dy[i] * (x[i] * 2.0f);
}

/* 4-D slice (NHWC): out = x[b0:b0+s0, h0:h0+s1, w0:w0+s2, c0:c0+s3], copying contiguous runs. */
EXPORT("sf_slice4d")
void sf_slice4d(const float *x, const int *shape, const int *begin, const int *size, float *out) {
  long sc = shape[3], sw = (long)shape[2] * sc, sh = (long)shape[1] * sw;
  int full_c = begin[3] == 0 && size[3] == shape[3];
  long run = full_c ? (long)size[2] * sc : size[3];
  int inner = full_c ? 1 : size[2];
  for (int b = 0; b < size[0]; b++)
    for (int h = 0; h < size[1]; h++) {
      const float *row = x + (b + begin[0]) * sh + (h + begin[1]) * sw + (long)begin[2] * sc + begin[3];
      for (int w = 0; w < inner; w++) {
        __builtin_memcpy(out, row + (long)w * sc, (usize)run * 4);
        out += run;
      }
    }
}
