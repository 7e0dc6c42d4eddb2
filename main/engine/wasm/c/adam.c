/* Adam update of one variable in one pass (tfjs' AdamOptimizer does ~12 element-wise ops each
 * reading and writing the whole tensor). Same float32 operations in the same order as tfjs:
 * m' = m b1 + g (1 - b1); v' = v b2 + g^2 (1 - b2);
 * value' = (m' / c1) / (sqrt(v' / c2) + eps) * (-lr) + value, with c1 = 1 - b1^t, c2 = 1 - b2^t. */
#include "kernels.h"

EXPORT("sf_adam_update")
void sf_adam_update(const float *value, const float *grad, const float *m, const float *v, int n,
                    const float *k /* b1, 1-b1, b2, 1-b2, c1, c2, eps, -lr */, float *out_value,
                    float *out_m, float *out_v) {
  v128_t b1 = wasm_f32x4_splat(k[0]), nb1 = wasm_f32x4_splat(k[1]);
  v128_t b2 = wasm_f32x4_splat(k[2]), nb2 = wasm_f32x4_splat(k[3]);
  v128_t c1 = wasm_f32x4_splat(k[4]), c2 = wasm_f32x4_splat(k[5]);
  v128_t eps = wasm_f32x4_splat(k[6]), nlr = wasm_f32x4_splat(k[7]);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t g = wasm_v128_load(grad + i);
    v128_t m1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), b1), wasm_f32x4_mul(g, nb1));
    v128_t v1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), b2),
                               wasm_f32x4_mul(wasm_f32x4_mul(g, g), nb2));
    v128_t step = wasm_f32x4_div(wasm_f32x4_div(m1, c1),
                                 wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(v1, c2)), eps));
    wasm_v128_store(out_value + i, wasm_f32x4_add(wasm_f32x4_mul(step, nlr), wasm_v128_load(value + i)));
    wasm_v128_store(out_m + i, m1);
    wasm_v128_store(out_v + i, v1);
  }
  for (; i < n; i++) {
    float g = grad[i];
    float m1 = m[i] * k[0] + g * k[1];
    float v1 = v[i] * k[2] + (g * g) * k[3];
    float step = (m1 / k[4]) / (__builtin_sqrtf(v1 / k[5]) + k[6]);
    out_value[i] = step * k[7] + value[i];
    out_m[i] = m1;
    out_v[i] = v1;
  }
}
