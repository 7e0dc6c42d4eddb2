/* Packed SIMD GEMM (GotoBLAS-style blocking, MR x NR register-blocked micro-kernel on 128-bit
 * vectors). 4x8 measured best of 6x8, 5x8, 4x8, 3x8, 8x8, 6x12, 4x12, 3x12, 2x12, 4x16, 3x16,
 * 2x16 on MobileNetV2's shapes (V8 x64 keeps 15 xmm registers free: 6x8's 12 accumulators + 2 B
 * vectors + the A splat, + a product temporary without FMA, spill; 4x8 leaves room): CPU time
 * -20% (relaxed, FMA) and -20% (plain) against 6x8; 3x12 ties 4x8 with FMA and loses without. */
#include "kernels.h"

#ifndef MR /* -DMR=.. -DNR=.. (NR a multiple of 4) build other tiles for measuring */
#define MR 4
#endif
#ifndef NR
#define NR 8
#endif
#define NV (NR / 4)
#define KC 256
#define MC 120
#define NC 1024

static float pack_a[2][MC * KC] __attribute__((aligned(16)));
static float pack_b[2][KC * NC] __attribute__((aligned(16)));

/* Four rows of a row-major A (4 consecutive k each) transposed into the packed order
 * dst[p * 4 + r] for p = 0..3: 4 loads, 8 shuffles, 4 stores instead of 16 scalar moves. */
static inline void pack_4x4(const float *src, int rsa, float *dst) {
  v128_t r0 = wasm_v128_load(src), r1 = wasm_v128_load(src + rsa);
  v128_t r2 = wasm_v128_load(src + 2 * rsa), r3 = wasm_v128_load(src + 3 * rsa);
  v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(dst, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
  wasm_v128_store(dst + 4, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
  wasm_v128_store(dst + 8, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
  wasm_v128_store(dst + 12, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
}

static void pack_a_block(int mc, int kc, const float *a, int rsa, int csa, float *dst) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    int mr = mc - i0 < MR ? mc - i0 : MR;
    const float *src = a + (long)i0 * rsa;
    if (MR == 4 && mr == MR && csa == 1 && rsa != 1) {
      /* row-major A (the conv forward's x and backward's dy): SIMD transpose, 4 k at a time */
      int p = 0;
      for (; p + 4 <= kc; p += 4, dst += 4 * MR) pack_4x4(src + p, rsa, dst);
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
        for (int v = 0; v < NV; v++) wasm_v128_store(dst + 4 * v, wasm_v128_load(s + 4 * v));
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

/* C[mr x nr] (+)= A-panel * B-panel; accumulators stay in registers across the k loop. */
static void micro_kernel(int kc, const float *a, const float *b, float *c, int ldc, int accumulate,
                         int mr, int nr) {
  v128_t acc[MR][NV];
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++)
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) acc[i][v] = wasm_f32x4_splat(0.0f);
  for (int p = 0; p < kc; p++) {
    v128_t bv[NV];
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; v++) bv[v] = wasm_v128_load(b + 4 * v);
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; i++) {
      v128_t av = wasm_v128_load32_splat(a + i);
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) acc[i][v] = sf_madd(av, bv[v], acc[i][v]);
    }
    a += MR;
    b += NR;
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < MR; i++) {
    float *cr = c + (long)i * ldc;
    if (i < mr && nr == NR) {
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) {
        v128_t r = acc[i][v];
        if (accumulate) r = wasm_f32x4_add(r, wasm_v128_load(cr + 4 * v));
        wasm_v128_store(cr + 4 * v, r);
      }
    } else if (i < mr) {
      float t[NR] __attribute__((aligned(16)));
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; v++) wasm_v128_store(t + 4 * v, acc[i][v]);
      for (int j = 0; j < nr; j++) cr[j] = accumulate ? cr[j] + t[j] : t[j];
    }
  }
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
