/* BatchNormalization in training mode (per-channel over N*H*W) fused into 3 passes forward and 2
 * backward, replacing tfjs-layers' moments + batchNorm chain (about 11 ops forward, 20 backward). */
#include "kernels.h"

#define BLOCK 256

/* acc[c] += sum over rows [p0, p1) of f(row) where f is x (mode 0), (x-mean)^2 (mode 1). */
static void channel_pass(const float *x, const float *mean, int positions, int channels, int mode,
                         float *out, float *block) {
  sf_zero(out, (usize)channels);
  for (int p0 = 0; p0 < positions; p0 += BLOCK) {
    int p1 = positions - p0 < BLOCK ? positions : p0 + BLOCK;
    sf_zero(block, (usize)channels);
    for (int p = p0; p < p1; p++) {
      const float *xr = x + (long)p * channels;
      int c = 0;
      if (mode == 0) {
        for (; c + 4 <= channels; c += 4)
          wasm_v128_store(block + c, wasm_f32x4_add(wasm_v128_load(block + c), wasm_v128_load(xr + c)));
        for (; c < channels; c++) block[c] += xr[c];
      } else {
        for (; c + 4 <= channels; c += 4) {
          v128_t d = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
          wasm_v128_store(block + c, wasm_f32x4_add(wasm_v128_load(block + c), wasm_f32x4_mul(d, d)));
        }
        for (; c < channels; c++) {
          float d = xr[c] - mean[c];
          block[c] += d * d;
        }
      }
    }
    for (int c = 0; c < channels; c++) out[c] += block[c];
  }
}

/* y = (x - mean) * rsqrt(var + eps) * gamma + beta with the batch's mean and biased variance. */
EXPORT("sf_bn_train_fwd")
void sf_bn_train_fwd(const float *x, const float *gamma, const float *beta, float eps,
                     int positions, int channels, float *y, float *mean, float *var,
                     float *scratch) {
  float *block = scratch, *factor = scratch + channels;
  float inv_n = 1.0f / (float)positions;
  channel_pass(x, 0, positions, channels, 0, mean, block);
  for (int c = 0; c < channels; c++) mean[c] *= inv_n;
  channel_pass(x, mean, positions, channels, 1, var, block);
  for (int c = 0; c < channels; c++) {
    var[c] *= inv_n;
    factor[c] = gamma[c] / __builtin_sqrtf(var[c] + eps);
  }
  for (int p = 0; p < positions; p++) {
    const float *xr = x + (long)p * channels;
    float *yr = y + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      v128_t v = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
      wasm_v128_store(yr + c, wasm_f32x4_add(wasm_f32x4_mul(v, wasm_v128_load(factor + c)),
                                             wasm_v128_load(beta + c)));
    }
    for (; c < channels; c++) yr[c] = (xr[c] - mean[c]) * factor[c] + beta[c];
  }
}

/* dx = gamma rstd (dy - mean(dy) - xhat mean(dy xhat)); dgamma = sum(dy xhat); dbeta = sum(dy). */
EXPORT("sf_bn_train_bwd")
void sf_bn_train_bwd(const float *x, const float *dy, const float *mean, const float *var,
                     const float *gamma, float eps, int positions, int channels, float *dx,
                     float *dgamma, float *dbeta, float *scratch) {
  float *b_dy = scratch, *b_dyx = scratch + channels, *k1 = scratch + 2 * channels;
  float *k2 = scratch + 3 * channels, *k3 = scratch + 4 * channels;
  sf_zero(dbeta, (usize)channels);
  sf_zero(dgamma, (usize)channels); /* holds sum(dy (x - mean)) until the end */
  for (int p0 = 0; p0 < positions; p0 += BLOCK) {
    int p1 = positions - p0 < BLOCK ? positions : p0 + BLOCK;
    sf_zero(b_dy, (usize)channels);
    sf_zero(b_dyx, (usize)channels);
    for (int p = p0; p < p1; p++) {
      const float *xr = x + (long)p * channels, *dr = dy + (long)p * channels;
      int c = 0;
      for (; c + 4 <= channels; c += 4) {
        v128_t d = wasm_v128_load(dr + c);
        v128_t xm = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
        wasm_v128_store(b_dy + c, wasm_f32x4_add(wasm_v128_load(b_dy + c), d));
        wasm_v128_store(b_dyx + c, wasm_f32x4_add(wasm_v128_load(b_dyx + c), wasm_f32x4_mul(d, xm)));
      }
      for (; c < channels; c++) {
        b_dy[c] += dr[c];
        b_dyx[c] += dr[c] * (xr[c] - mean[c]);
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
  for (int p = 0; p < positions; p++) {
    const float *xr = x + (long)p * channels, *dr = dy + (long)p * channels;
    float *o = dx + (long)p * channels;
    int c = 0;
    for (; c + 4 <= channels; c += 4) {
      v128_t xm = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(mean + c));
      v128_t v = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(dr + c), wasm_v128_load(k1 + c)),
                                wasm_f32x4_mul(xm, wasm_v128_load(k2 + c)));
      wasm_v128_store(o + c, wasm_f32x4_add(v, wasm_v128_load(k3 + c)));
    }
    for (; c < channels; c++) o[c] = dr[c] * k1[c] + (xr[c] - mean[c]) * k2[c] + k3[c];
  }
}
