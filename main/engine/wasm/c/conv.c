/* Conv2D gradients (NHWC, filter [KH, KW, Ci, Co]) as im2col/col2im around the packed GEMM. */
#include "kernels.h"

/* Geometry of one convolution; all fields are element counts. */
typedef struct {
  int batch, in_h, in_w, in_c, out_h, out_w, out_c, k_h, k_w, s_h, s_w, d_h, d_w, pad_t, pad_l;
} ConvGeom;

static int is_pointwise(const ConvGeom *g) {
  return g->k_h == 1 && g->k_w == 1 && g->s_h == 1 && g->s_w == 1 && g->pad_t == 0 &&
         g->pad_l == 0 && g->out_h == g->in_h && g->out_w == g->in_w;
}

/* Rows [p0, p0+rows) of the im2col matrix (row = output position, col = (kh, kw, ci)). */
static void im2col(const ConvGeom *g, const float *x, int p0, int rows, float *col) {
  int kk = g->k_h * g->k_w * g->in_c;
  for (int r = 0; r < rows; r++) {
    int p = p0 + r;
    int ox = p % g->out_w, t = p / g->out_w, oy = t % g->out_h, b = t / g->out_h;
    float *dst = col + (long)r * kk;
    for (int kh = 0; kh < g->k_h; kh++) {
      int iy = oy * g->s_h - g->pad_t + kh * g->d_h;
      for (int kw = 0; kw < g->k_w; kw++) {
        int ix = ox * g->s_w - g->pad_l + kw * g->d_w;
        if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) {
          sf_zero(dst, (usize)g->in_c);
        } else {
          const float *src = x + (((long)b * g->in_h + iy) * g->in_w + ix) * g->in_c;
          __builtin_memcpy(dst, src, (usize)g->in_c * 4);
        }
        dst += g->in_c;
      }
    }
  }
}

/* dx += col2im(rows [p0, p0+rows) of col). */
static void col2im_add(const ConvGeom *g, const float *col, int p0, int rows, float *dx) {
  int kk = g->k_h * g->k_w * g->in_c, ci = g->in_c;
  for (int r = 0; r < rows; r++) {
    int p = p0 + r;
    int ox = p % g->out_w, t = p / g->out_w, oy = t % g->out_h, b = t / g->out_h;
    const float *src = col + (long)r * kk;
    for (int kh = 0; kh < g->k_h; kh++) {
      int iy = oy * g->s_h - g->pad_t + kh * g->d_h;
      for (int kw = 0; kw < g->k_w; kw++, src += ci) {
        int ix = ox * g->s_w - g->pad_l + kw * g->d_w;
        if (iy < 0 || iy >= g->in_h || ix < 0 || ix >= g->in_w) continue;
        float *dst = dx + (((long)b * g->in_h + iy) * g->in_w + ix) * ci;
        int c = 0;
        for (; c + 4 <= ci; c += 4)
          wasm_v128_store(dst + c,
                          wasm_f32x4_add(wasm_v128_load(dst + c), wasm_v128_load(src + c)));
        for (; c < ci; c++) dst[c] += src[c];
      }
    }
  }
}

/* dW[KH*KW*Ci, Co] = sum over positions of im2col(x)^T * dy; col holds chunk*KH*KW*Ci floats. */
EXPORT("sf_conv2d_backprop_filter")
void sf_conv2d_backprop_filter(const ConvGeom *g, const float *x, const float *dy, float *dw,
                               float *col, int chunk, int tid) {
  int positions = g->batch * g->out_h * g->out_w;
  int kk = g->k_h * g->k_w * g->in_c;
  if (is_pointwise(g)) {
    sf_gemm_impl(g->in_c, g->out_c, positions, x, 1, g->in_c, dy, g->out_c, 1, dw, g->out_c, 0,
                 tid);
    return;
  }
  if (positions == 0) sf_zero(dw, (usize)kk * g->out_c);
  for (int p0 = 0; p0 < positions; p0 += chunk) {
    int rows = positions - p0 < chunk ? positions - p0 : chunk;
    im2col(g, x, p0, rows, col);
    sf_gemm_impl(kk, g->out_c, rows, col, 1, kk, dy + (long)p0 * g->out_c, g->out_c, 1, dw,
                 g->out_c, p0 > 0, tid);
  }
}

/* dx[B, H, W, Ci] = col2im(dy * W^T); col holds chunk*KH*KW*Ci floats. */
EXPORT("sf_conv2d_backprop_input")
void sf_conv2d_backprop_input(const ConvGeom *g, const float *dy, const float *w, float *dx,
                              float *col, int chunk, int tid) {
  int positions = g->batch * g->out_h * g->out_w;
  int kk = g->k_h * g->k_w * g->in_c;
  if (is_pointwise(g)) {
    sf_gemm_impl(positions, g->in_c, g->out_c, dy, g->out_c, 1, w, 1, g->out_c, dx, g->in_c, 0,
                 tid);
    return;
  }
  sf_zero(dx, (usize)g->batch * g->in_h * g->in_w * g->in_c);
  for (int p0 = 0; p0 < positions; p0 += chunk) {
    int rows = positions - p0 < chunk ? positions - p0 : chunk;
    sf_gemm_impl(rows, kk, g->out_c, dy + (long)p0 * g->out_c, g->out_c, 1, w, 1, g->out_c, col,
                 kk, 0, tid);
    col2im_add(g, col, p0, rows, dx);
  }
}

/* y[P, Co] += bias, then activation (0 linear, 1 relu, 2 relu6) — the FusedConv2D epilogue. */
static void epilogue(float *y, int positions, int co, const float *bias, int act) {
  if (!bias && act == 0) return;
  v128_t zero = wasm_f32x4_splat(0.0f), six = wasm_f32x4_splat(6.0f);
  for (int p = 0; p < positions; p++) {
    float *r = y + (long)p * co;
    int c = 0;
    for (; c + 4 <= co; c += 4) {
      v128_t v = wasm_v128_load(r + c);
      if (bias) v = wasm_f32x4_add(v, wasm_v128_load(bias + c));
      if (act >= 1) v = wasm_f32x4_pmax(v, zero);
      if (act == 2) v = wasm_f32x4_pmin(v, six);
      wasm_v128_store(r + c, v);
    }
    for (; c < co; c++) {
      float v = r[c] + (bias ? bias[c] : 0.0f);
      if (act >= 1) v = v < 0.0f ? 0.0f : v;
      if (act == 2) v = v > 6.0f ? 6.0f : v;
      r[c] = v;
    }
  }
}

/* Forward convolution y = act(conv(x, w) + bias), as GEMM (pointwise) or im2col chunks + GEMM. */
EXPORT("sf_conv2d_forward")
void sf_conv2d_forward(const ConvGeom *g, const float *x, const float *w, const float *bias,
                       int act, float *y, float *col, int chunk, int tid) {
  int positions = g->batch * g->out_h * g->out_w;
  int kk = g->k_h * g->k_w * g->in_c;
  if (is_pointwise(g)) {
    sf_gemm_impl(positions, g->out_c, g->in_c, x, g->in_c, 1, w, g->out_c, 1, y, g->out_c, 0, tid);
  } else {
    for (int p0 = 0; p0 < positions; p0 += chunk) {
      int rows = positions - p0 < chunk ? positions - p0 : chunk;
      im2col(g, x, p0, rows, col);
      sf_gemm_impl(rows, g->out_c, kk, col, kk, 1, w, g->out_c, 1, y + (long)p0 * g->out_c,
                   g->out_c, 0, tid);
    }
  }
  epilogue(y, positions, g->out_c, bias, act);
}
