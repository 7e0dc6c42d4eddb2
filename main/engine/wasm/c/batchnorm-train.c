/* BatchNormalization in training mode (per-channel over N*H*W) fused into 2 passes forward and 2
 * backward (mean and variance in one read of x; four rows per load of per-channel values),
 * replacing tfjs-layers' moments + batchNorm chain (about 11 ops forward, 20 backward).
 * With act_max > 0 the following ReLU(max_value) is fused in: forward writes clip(y, 0, act_max),
 * backward recomputes y from x (same expression, so the same bits) and passes dy only where
 * 0 < y <= act_max (tfjs' relu-then-clip gradient), so no separate clip pass or saved tensor. */
#include "kernels.h"

#define BLOCK 256

/* sum[c] = sum of (x - k), sq[c] = sum of (x - k)^2 over all rows, in one read of x. k is the
 * first row: shifting by a sample keeps the one-pass variance E[(x-k)^2] - E[x-k]^2 accurate (the
 * sums are of deviations, not raw values); partial sums per block of rows limit rounding growth. */
static void shifted_sums(const float *x, int positions, int channels, float *sum, float *sq,
                         float *block) {
  const float *k = x;
  float *bs = block, *bq = block + channels;
  sf_zero(sum, (usize)channels);
  sf_zero(sq, (usize)channels);
  for (int p0 = 0; p0 < positions; p0 += BLOCK) {
    int p1 = positions - p0 < BLOCK ? positions : p0 + BLOCK;
    sf_zero(bs, (usize)channels);
    sf_zero(bq, (usize)channels);
    int p = p0;
    /* four rows per load of the block sums and of k (same addition order as row by row) */
    for (; p + 4 <= p1; p += 4) {
      const float *x0 = x + (long)p * channels, *x1 = x0 + channels, *x2 = x1 + channels;
      const float *x3 = x2 + channels;
      int c = 0;
      for (; c + 4 <= channels; c += 4) {
        v128_t kv = wasm_v128_load(k + c), s1 = wasm_v128_load(bs + c), s2 = wasm_v128_load(bq + c);
        v128_t d0 = wasm_f32x4_sub(wasm_v128_load(x0 + c), kv);
        v128_t d1 = wasm_f32x4_sub(wasm_v128_load(x1 + c), kv);
        v128_t d2 = wasm_f32x4_sub(wasm_v128_load(x2 + c), kv);
        v128_t d3 = wasm_f32x4_sub(wasm_v128_load(x3 + c), kv);
        s1 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(s1, d0), d1), d2), d3);
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(d0, d0));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(d1, d1));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(d2, d2));
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(d3, d3));
        wasm_v128_store(bs + c, s1);
        wasm_v128_store(bq + c, s2);
      }
      for (; c < channels; c++)
        for (int r = 0; r < 4; r++) {
          float d = x0[(long)r * channels + c] - k[c];
          bs[c] += d;
          bq[c] += d * d;
        }
    }
    for (; p < p1; p++) {
      const float *xr = x + (long)p * channels;
      int c = 0;
      for (; c + 4 <= channels; c += 4) {
        v128_t d = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(k + c));
        wasm_v128_store(bs + c, wasm_f32x4_add(wasm_v128_load(bs + c), d));
        wasm_v128_store(bq + c, wasm_f32x4_add(wasm_v128_load(bq + c), wasm_f32x4_mul(d, d)));
      }
      for (; c < channels; c++) {
        float d = xr[c] - k[c];
        bs[c] += d;
        bq[c] += d * d;
      }
    }
    for (int c = 0; c < channels; c++) {
      sum[c] += bs[c];
      sq[c] += bq[c];
    }
  }
}

/* (x - mean) * factor + beta: one expression for the forward and the fused backward's mask. */
static inline v128_t bn_value(const float *x, const float *mean, const float *factor,
                              const float *beta) {
  v128_t v = wasm_f32x4_sub(wasm_v128_load(x), wasm_v128_load(mean));
  return wasm_f32x4_add(wasm_f32x4_mul(v, wasm_v128_load(factor)), wasm_v128_load(beta));
}
static inline float bn_scalar(float x, float mean, float factor, float beta) {
  return (x - mean) * factor + beta;
}

/* bn_value on registers (the same operations in the same order, so the same bits). */
static inline v128_t bn_value_v(v128_t x, v128_t mean, v128_t factor, v128_t beta) {
  return wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sub(x, mean), factor), beta);
}
/* act_grad on registers. */
static inline v128_t act_grad_v(v128_t d, v128_t x, v128_t mean, v128_t factor, v128_t beta,
                                float act_max) {
  if (act_max <= 0.0f) return d;
  v128_t v = bn_value_v(x, mean, factor, beta);
  v128_t keep = wasm_v128_and(wasm_f32x4_gt(v, wasm_f32x4_splat(0.0f)),
                              wasm_f32x4_le(v, wasm_f32x4_splat(act_max)));
  return wasm_v128_and(d, keep);
}

/* dy where 0 < y <= act_max (y recomputed from x), else 0; dy itself when act_max <= 0. */
static inline v128_t act_grad(v128_t d, const float *x, const float *mean, const float *factor,
                              const float *beta, float act_max) {
  if (act_max <= 0.0f) return d;
  v128_t v = bn_value(x, mean, factor, beta);
  v128_t keep = wasm_v128_and(wasm_f32x4_gt(v, wasm_f32x4_splat(0.0f)),
                              wasm_f32x4_le(v, wasm_f32x4_splat(act_max)));
  return wasm_v128_and(d, keep);
}
static inline float act_grad_scalar(float d, float x, float mean, float factor, float beta,
                                    float act_max) {
  if (act_max <= 0.0f) return d;
  float v = bn_scalar(x, mean, factor, beta);
  return v > 0.0f && v <= act_max ? d : 0.0f;
}

/* y = (x - mean) * rsqrt(var + eps) * gamma + beta with the batch's mean and biased variance. */
EXPORT("sf_bn_train_fwd")
void sf_bn_train_fwd(const float *x, const float *gamma, const float *beta, float eps,
                     int positions, int channels, float *y, float *mean, float *var,
                     float *scratch, float act_max) {
  float *factor = scratch, *block = scratch + channels; /* block: 2 * channels */
  float inv_n = 1.0f / (float)positions;
  shifted_sums(x, positions, channels, mean, var, block);
  for (int c = 0; c < channels; c++) {
    float d = mean[c] * inv_n; /* E[x - k] */
    float v = var[c] * inv_n - d * d;
    mean[c] = x[c] + d;
    var[c] = v > 0.0f ? v : 0.0f;
    factor[c] = gamma[c] / __builtin_sqrtf(var[c] + eps);
  }
  int act = act_max > 0.0f;
  v128_t lo = wasm_f32x4_splat(0.0f), hi = wasm_f32x4_splat(act_max);
  int p = 0;
  for (; p + 4 <= positions; p += 4) {
    const float *xr = x + (long)p * channels;
    float *yr = y + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      v128_t mu = wasm_v128_load(mean + c), f = wasm_v128_load(factor + c);
      v128_t be = wasm_v128_load(beta + c);
      for (int r = 0; r < 4; r++) {
        long i = (long)r * channels + c;
        v128_t v = bn_value_v(wasm_v128_load(xr + i), mu, f, be);
        if (act) v = wasm_f32x4_pmin(hi, wasm_f32x4_pmax(lo, v));
        wasm_v128_store(yr + i, v);
      }
    }
    for (; c < channels; c++)
      for (int r = 0; r < 4; r++) {
        long i = (long)r * channels + c;
        float v = bn_scalar(xr[i], mean[c], factor[c], beta[c]);
        yr[i] = act ? (v < 0.0f ? 0.0f : v > act_max ? act_max : v) : v;
      }
  }
  for (; p < positions; p++) {
    const float *xr = x + (long)p * channels;
    float *yr = y + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      v128_t v = bn_value(xr + c, mean + c, factor + c, beta + c);
      if (act) v = wasm_f32x4_pmin(hi, wasm_f32x4_pmax(lo, v));
      wasm_v128_store(yr + c, v);
    }
    for (; c < channels; c++) {
      float v = bn_scalar(xr[c], mean[c], factor[c], beta[c]);
      yr[c] = act ? (v < 0.0f ? 0.0f : v > act_max ? act_max : v) : v;
    }
  }
}

/* dx = gamma rstd (dy - mean(dy) - xhat mean(dy xhat)); dgamma = sum(dy xhat); dbeta = sum(dy). */
EXPORT("sf_bn_train_bwd")
void sf_bn_train_bwd(const float *x, const float *dy, const float *mean, const float *var,
                     const float *gamma, float eps, int positions, int channels, float *dx,
                     float *dgamma, float *dbeta, float *scratch, const float *beta,
                     float act_max) {
  float *b_dy = scratch, *b_dyx = scratch + channels, *k1 = scratch + 2 * channels;
  float *k2 = scratch + 3 * channels, *k3 = scratch + 4 * channels;
  float *factor = scratch + 5 * channels;
  for (int c = 0; c < channels; c++) factor[c] = gamma[c] / __builtin_sqrtf(var[c] + eps);
  sf_zero(dbeta, (usize)channels);
  sf_zero(dgamma, (usize)channels); /* holds sum(dy (x - mean)) until the end */
  for (int p0 = 0; p0 < positions; p0 += BLOCK) {
    int p1 = positions - p0 < BLOCK ? positions : p0 + BLOCK;
    sf_zero(b_dy, (usize)channels);
    sf_zero(b_dyx, (usize)channels);
    int p = p0;
    /* four rows per load of the block sums and the channel constants (same addition order) */
    for (; p + 4 <= p1; p += 4) {
      const float *xr = x + (long)p * channels, *dr = dy + (long)p * channels;
      int c = 0;
      for (; c + 4 <= channels; c += 4) {
        v128_t mu = wasm_v128_load(mean + c), f = wasm_v128_load(factor + c);
        v128_t be = wasm_v128_load(beta + c);
        v128_t sd = wasm_v128_load(b_dy + c), sx = wasm_v128_load(b_dyx + c);
        for (int r = 0; r < 4; r++) {
          v128_t xv = wasm_v128_load(xr + (long)r * channels + c);
          v128_t d = act_grad_v(wasm_v128_load(dr + (long)r * channels + c), xv, mu, f, be, act_max);
          sd = wasm_f32x4_add(sd, d);
          sx = wasm_f32x4_add(sx, wasm_f32x4_mul(d, wasm_f32x4_sub(xv, mu)));
        }
        wasm_v128_store(b_dy + c, sd);
        wasm_v128_store(b_dyx + c, sx);
      }
      for (; c < channels; c++)
        for (int r = 0; r < 4; r++) {
          long i = (long)r * channels + c;
          float d = act_grad_scalar(dr[i], xr[i], mean[c], factor[c], beta[c], act_max);
          b_dy[c] += d;
          b_dyx[c] += d * (xr[i] - mean[c]);
        }
    }
    for (; p < p1; p++) {
      const float *xr = x + (long)p * channels, *dr = dy + (long)p * channels;
      int c = 0;
      for (; c + 4 <= channels; c += 4) {
        v128_t d = act_grad(wasm_v128_load(dr + c), xr + c, mean + c, factor + c, beta + c, act_max);
        v128_t xm = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
        wasm_v128_store(b_dy + c, wasm_f32x4_add(wasm_v128_load(b_dy + c), d));
        wasm_v128_store(b_dyx + c, wasm_f32x4_add(wasm_v128_load(b_dyx + c), wasm_f32x4_mul(d, xm)));
      }
      for (; c < channels; c++) {
        float d = act_grad_scalar(dr[c], xr[c], mean[c], factor[c], beta[c], act_max);
        b_dy[c] += d;
        b_dyx[c] += d * (xr[c] - mean[c]);
      }
    }
    for (int c = 0; c < channels; c++) {
      dbeta[c] += b_dy[c];
      dgamma[c] += b_dyx[c];
    }
  }
  float inv_n = 1.0f / (float)positions;
  for (int c = 0; c < channels; c++) {
    float r = 1.0f / __builtin_sqrtf(var[c] + eps);
    k1[c] = gamma[c] * r;                          /* dx = k1 dy + k2 (x - mean) + k3 */
    k2[c] = -gamma[c] * r * r * r * dgamma[c] * inv_n;
    k3[c] = -gamma[c] * r * dbeta[c] * inv_n;
    dgamma[c] *= r;
  }
  int p = 0;
  for (; p + 4 <= positions; p += 4) {
    const float *xr = x + (long)p * channels, *dr = dy + (long)p * channels;
    float *o = dx + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      v128_t mu = wasm_v128_load(mean + c), f = wasm_v128_load(factor + c);
      v128_t be = wasm_v128_load(beta + c), a1 = wasm_v128_load(k1 + c);
      v128_t a2 = wasm_v128_load(k2 + c), a3 = wasm_v128_load(k3 + c);
      for (int r = 0; r < 4; r++) {
        long i = (long)r * channels + c;
        v128_t xv = wasm_v128_load(xr + i);
        v128_t d = act_grad_v(wasm_v128_load(dr + i), xv, mu, f, be, act_max);
        v128_t v = wasm_f32x4_add(wasm_f32x4_mul(d, a1), wasm_f32x4_mul(wasm_f32x4_sub(xv, mu), a2));
        wasm_v128_store(o + i, wasm_f32x4_add(v, a3));
      }
    }
    for (; c < channels; c++)
      for (int r = 0; r < 4; r++) {
        long i = (long)r * channels + c;
        o[i] = act_grad_scalar(dr[i], xr[i], mean[c], factor[c], beta[c], act_max) * k1[c] +
               (xr[i] - mean[c]) * k2[c] + k3[c];
      }
  }
  for (; p < positions; p++) {
    const float *xr = x + (long)p * channels, *dr = dy + (long)p * channels;
    float *o = dx + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      v128_t xm = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
      v128_t d = act_grad(wasm_v128_load(dr + c), xr + c, mean + c, factor + c, beta + c, act_max);
      v128_t v = wasm_f32x4_add(wasm_f32x4_mul(d, wasm_v128_load(k1 + c)),
                                wasm_f32x4_mul(xm, wasm_v128_load(k2 + c)));
      wasm_v128_store(o + c, wasm_f32x4_add(v, wasm_v128_load(k3 + c)));
    }
    for (; c < channels; c++)
      o[c] = act_grad_scalar(dr[c], xr[c], mean[c], factor[c], beta[c], act_max) * k1[c] +
             (xr[c] - mean[c]) * k2[c] + k3[c];
  }
}
