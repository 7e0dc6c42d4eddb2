/* Packed SIMD GEMM (GotoBLAS-style blocking, 4x8 or 6x8 micro-kernel on 128-bit vectors). */
#include "kernels.h"

#define MR 6
#define NR 8
#define KC 256
#define MC 120
#define NC 1024

static float pack_a[2][MC * KC] __attribute__((aligned(16)));
static float pack_b[2][KC * NC] __attribute__((aligned(16)));

/* Six rows of a row-major A (4 consecutive k each) transposed into the packed order
 * dst[p * 6 + r] for p = 0..3: one load per row and 6 stores instead of 24 scalar moves. */
static inline void pack_6x4(const float *src, int rsa, float *dst) {
  v128_t r0 = wasm_v128_load(src), r1 = wasm_v128_load(src + rsa);
  v128_t r2 = wasm_v128_load(src + 2 * rsa), r3 = wasm_v128_load(src + 3 * rsa);
  v128_t r4 = wasm_v128_load(src + 4 * rsa), r5 = wasm_v128_load(src + 5 * rsa);
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  v128_t c0 = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5), c1 = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
  v128_t c2 = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5), c3 = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
  v128_t u0 = wasm_i32x4_shuffle(r4, r5, 0, 4, 1, 5), u1 = wasm_i32x4_shuffle(r4, r5, 2, 6, 3, 7);
  wasm_v128_store(dst, c0);
  wasm_v128_store(dst + 4, wasm_i32x4_shuffle(u0, c1, 0, 1, 4, 5));
  wasm_v128_store(dst + 8, wasm_i32x4_shuffle(c1, u0, 2, 3, 6, 7));
  wasm_v128_store(dst + 12, c2);
  wasm_v128_store(dst + 16, wasm_i32x4_shuffle(u1, c3, 0, 1, 4, 5));
  wasm_v128_store(dst + 20, wasm_i32x4_shuffle(c3, u1, 2, 3, 6, 7));
}

static void pack_a_block(int mc, int kc, const float *a, int rsa, int csa, float *dst) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    int mr = mc - i0 < MR ? mc - i0 : MR;
    const float *src = a + (long)i0 * rsa;
    if (mr == MR && csa == 1 && rsa != 1) {
      /* row-major A (the conv forward's x and backward's dy): SIMD transpose, 4 k at a time */
      int p = 0;
      for (; p + 4 <= kc; p += 4, dst += 4 * MR) pack_6x4(src + p, rsa, dst);
      for (; p < kc; p++, dst += MR)
        for (int r = 0; r < MR; r++) dst[r] = src[(long)r * rsa + p];
    } else if (mr == MR && rsa == 1) {
      for (int p = 0; p < kc; p++) {
        const float *s = src + (long)p * csa;
        for (int r = 0; r < MR; r++) dst[r] = s[r];
        dst += MR;
      }
    } else {
      for (int p = 0; p < kc; p++) {
        const float *s = src + (long)p * csa;
        int r = 0;
        for (; r < mr; r++) dst[r] = s[(long)r * rsa];
        for (; r < MR; r++) dst[r] = 0.0f;
        dst += MR;
      }
    }
  }
}

static void pack_b_block(int kc, int nc, const float *b, int rsb, int csb, float *dst) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    int nr = nc - j0 < NR ? nc - j0 : NR;
    const float *src = b + (long)j0 * csb;
    if (nr == NR && csb == 1) {
      for (int p = 0; p < kc; p++) {
        const float *s = src + (long)p * rsb;
        wasm_v128_store(dst, wasm_v128_load(s));
        wasm_v128_store(dst + 4, wasm_v128_load(s + 4));
        dst += NR;
      }
    } else {
      for (int p = 0; p < kc; p++) {
        const float *s = src + (long)p * rsb;
        int j = 0;
        for (; j < nr; j++) dst[j] = s[(long)j * csb];
        for (; j < NR; j++) dst[j] = 0.0f;
        dst += NR;
      }
    }
  }
}

#define ROW(r)                                                                 \
  {                                                                            \
    v128_t av = wasm_v128_load32_splat(a + r);                                 \
    c##r##0 = sf_madd(av, b0, c##r##0);                                        \
    c##r##1 = sf_madd(av, b1, c##r##1);                                        \
  }

#define STORE_ROW(r)                                                           \
  if (r < mr) {                                                                \
    float *cr = c + (long)r * ldc;                                             \
    if (nr == NR) {                                                            \
      if (accumulate) {                                                        \
        c##r##0 = wasm_f32x4_add(c##r##0, wasm_v128_load(cr));                 \
        c##r##1 = wasm_f32x4_add(c##r##1, wasm_v128_load(cr + 4));             \
      }                                                                        \
      wasm_v128_store(cr, c##r##0);                                            \
      wasm_v128_store(cr + 4, c##r##1);                                        \
    } else {                                                                   \
      float t[8] __attribute__((aligned(16)));                                 \
      wasm_v128_store(t, c##r##0);                                             \
      wasm_v128_store(t + 4, c##r##1);                                         \
      for (int j = 0; j < nr; j++) cr[j] = accumulate ? cr[j] + t[j] : t[j];   \
    }                                                                          \
  }

static void micro_kernel(int kc, const float *a, const float *b, float *c, int ldc, int accumulate,
                         int mr, int nr) {
  v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  v128_t c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int p = 0; p < kc; p++) {
    v128_t b0 = wasm_v128_load(b);
    v128_t b1 = wasm_v128_load(b + 4);
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
    a += MR;
    b += NR;
  }
  STORE_ROW(0) STORE_ROW(1) STORE_ROW(2) STORE_ROW(3) STORE_ROW(4) STORE_ROW(5)
}

void sf_gemm_impl(int m, int n, int k, const float *a, int rsa, int csa, const float *b, int rsb,
                  int csb, float *c, int ldc, int accumulate, int tid) {
  float *pa = pack_a[tid];
  float *pb = pack_b[tid];
  if (k == 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++) sf_zero(c + (long)i * ldc, (usize)n);
    return;
  }
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      int acc = accumulate || pc > 0;
      pack_b_block(kc, nc, b + (long)pc * rsb + (long)jc * csb, rsb, csb, pb);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        pack_a_block(mc, kc, a + (long)ic * rsa + (long)pc * csa, rsa, csa, pa);
        for (int jr = 0; jr < nc; jr += NR) {
          int nr = nc - jr < NR ? nc - jr : NR;
          for (int ir = 0; ir < mc; ir += MR) {
            int mr = mc - ir < MR ? mc - ir : MR;
            micro_kernel(kc, pa + (long)ir * kc, pb + (long)jr * kc,
                         c + (long)(ic + ir) * ldc + jc + jr, ldc, acc, mr, nr);
          }
        }
      }
    }
  }
}

EXPORT("sf_gemm")
void sf_gemm(int m, int n, int k, const float *a, int rsa, int csa, const float *b, int rsb, int csb,
             float *c, int ldc, int accumulate, int tid) {
  sf_gemm_impl(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc, accumulate, tid);
}
