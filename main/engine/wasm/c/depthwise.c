/* Depthwise convolution gradients (NHWC, filter [KH, KW, C, M], output channel = c*M + q). */
#include "kernels.h"

typedef struct {
  int batch, in_h, in_w, in_c, out_h, out_w, mult, k_h, k_w, s_h, s_w, d_h, d_w, pad_t, pad_l;
} DwGeom;

static inline void axpy_mul(float *acc, const float *a, const float *b, int n) {
  int c = 0;
  for (; c + 8 <= n; c += 8) {
    wasm_v128_store(acc + c, sf_madd(wasm_v128_load(a + c), wasm_v128_load(b + c), wasm_v128_load(acc + c)));
    wasm_v128_store(acc + c + 4, sf_madd(wasm_v128_load(a + c + 4), wasm_v128_load(b + c + 4),
                                         wasm_v128_load(acc + c + 4)));
  }
  for (; c + 4 <= n; c += 4)
    wasm_v128_store(acc + c, sf_madd(wasm_v128_load(a + c), wasm_v128_load(b + c), wasm_v128_load(acc + c)));
  for (; c < n; c++) acc[c] += a[c] * b[c];
}

/* Output coordinate that tap k of input coordinate i reads, or -1 when that tap is unused. */
static inline int tap_source(int i, int k, int pad, int dil, int stride, int out) {
  int t = i + pad - k * dil;
  if (t < 0 || t % stride) return -1;
  t /= stride;
  return t < out ? t : -1;
}

/* Multiplier 1: gather form, every dx element accumulated in registers and written once. */
static void dw_backprop_input_gather(const DwGeom *g, const float *dy, const float *w, float *dx,
                                     int b0, int b1) {
  int c = g->in_c;
  for (int b = b0; b < b1; b++)
    for (int iy = 0; iy < g->in_h; iy++) {
      int oys[16], khs[16], nh = 0;
      for (int kh = 0; kh < g->k_h && nh < 16; kh++) {
        int oy = tap_source(iy, kh, g->pad_t, g->d_h, g->s_h, g->out_h);
        if (oy >= 0) oys[nh] = oy, khs[nh++] = kh;
      }
      for (int ix = 0; ix < g->in_w; ix++) {
        const float *src[64];
        const float *wt[64];
        int n = 0;
        for (int kw = 0; kw < g->k_w; kw++) {
          int ox = tap_source(ix, kw, g->pad_l, g->d_w, g->s_w, g->out_w);
          if (ox < 0) continue;
          for (int j = 0; j < nh && n < 64; j++) {
            src[n] = dy + (((long)b * g->out_h + oys[j]) * g->out_w + ox) * c;
            wt[n++] = w + (long)(khs[j] * g->k_w + kw) * c;
          }
        }
        float *o = dx + (((long)b * g->in_h + iy) * g->in_w + ix) * c;
        int ch = 0;
        for (; ch + 8 <= c; ch += 8) {
          v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0;
          for (int t = 0; t < n; t++) {
            a0 = sf_madd(wasm_v128_load(src[t] + ch), wasm_v128_load(wt[t] + ch), a0);
            a1 = sf_madd(wasm_v128_load(src[t] + ch + 4), wasm_v128_load(wt[t] + ch + 4), a1);
          }
          wasm_v128_store(o + ch, a0);
          wasm_v128_store(o + ch + 4, a1);
        }
        for (; ch < c; ch++) {
          float a = 0.0f;
          for (int t = 0; t < n; t++) a += src[t][ch] * wt[t][ch];
          o[ch] = a;
        }
      }
    }
}

/* dx = sum over taps of dy * w, back at the input positions (images [b0, b1) of the batch). */
EXPORT("sf_dw_backprop_input")
void sf_dw_backprop_input(const DwGeom *g, const float *dy, const float *w, float *dx, int b0,
                          int b1) {
  int c_in = g->in_c, m = g->mult, c_out = c_in * m;
  if (m == 1 && g->k_h <= 16 && g->k_h * g->k_w <= 64) {
    dw_backprop_input_gather(g, dy, w, dx, b0, b1);
    return;
  }
  long img = (long)g->in_h * g->in_w * c_in;
  sf_zero(dx + b0 * img, (usize)((b1 - b0) * img));
  for (int b = b0; b < b1; b++)
    for (int oy = 0; oy < g->out_h; oy++)
      for (int kh = 0; kh < g->k_h; kh++) {
        int iy = oy * g->s_h - g->pad_t + kh * g->d_h;
        if (iy < 0 || iy >= g->in_h) continue;
        const float *dyrow = dy + (((long)b * g->out_h + oy) * g->out_w) * c_out;
        float *dxrow = dx + (((long)b * g->in_h + iy) * g->in_w) * c_in;
        for (int kw = 0; kw < g->k_w; kw++) {
          const float *wp = w + (long)(kh * g->k_w + kw) * c_out;
          for (int ox = 0; ox < g->out_w; ox++) {
            int ix = ox * g->s_w - g->pad_l + kw * g->d_w;
            if (ix < 0 || ix >= g->in_w) continue;
            const float *d = dyrow + (long)ox * c_out;
            float *o = dxrow + (long)ix * c_in;
            if (m == 1) {
              axpy_mul(o, d, wp, c_in);
            } else {
              for (int c = 0; c < c_in; c++) {
                float s = 0.0f;
                for (int q = 0; q < m; q++) s += d[c * m + q] * wp[c * m + q];
                o[c] += s;
              }
            }
          }
        }
      }
}

/* dw[KH, KW, C, M] (+)= sum over positions of x * dy (images [b0, b1); accumulate if acc != 0). */
EXPORT("sf_dw_backprop_filter")
void sf_dw_backprop_filter(const DwGeom *g, const float *x, const float *dy, float *dw, int b0,
                           int b1, int acc) {
  int c_in = g->in_c, m = g->mult, c_out = c_in * m;
  if (!acc) sf_zero(dw, (usize)g->k_h * g->k_w * c_out);
  for (int b = b0; b < b1; b++)
    for (int oy = 0; oy < g->out_h; oy++)
      for (int kh = 0; kh < g->k_h; kh++) {
        int iy = oy * g->s_h - g->pad_t + kh * g->d_h;
        if (iy < 0 || iy >= g->in_h) continue;
        const float *dyrow = dy + (((long)b * g->out_h + oy) * g->out_w) * c_out;
        const float *xrow = x + (((long)b * g->in_h + iy) * g->in_w) * c_in;
        for (int kw = 0; kw < g->k_w; kw++) {
          float *acc_p = dw + (long)(kh * g->k_w + kw) * c_out;
          for (int ox = 0; ox < g->out_w; ox++) {
            int ix = ox * g->s_w - g->pad_l + kw * g->d_w;
            if (ix < 0 || ix >= g->in_w) continue;
            const float *d = dyrow + (long)ox * c_out;
            const float *xp = xrow + (long)ix * c_in;
            if (m == 1) {
              axpy_mul(acc_p, d, xp, c_in);
            } else {
              for (int c = 0; c < c_in; c++)
                for (int q = 0; q < m; q++) acc_p[c * m + q] += xp[c] * d[c * m + q];
            }
          }
        }
      }
}
