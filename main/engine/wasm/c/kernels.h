/* Shared declarations for the SonoFuse WebAssembly SIMD kernels (wasm32, no libc). */
#ifndef SONOFUSE_KERNELS_H
#define SONOFUSE_KERNELS_H
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

typedef unsigned long usize;

/* a * b + c. The relaxed build (-mrelaxed-simd -DSF_RELAXED_SIMD) emits f32x4.relaxed_madd (one
 * FMA on x64/arm64); clang 14 knows it only under its prototype name and opcode (f32x4.fma,
 * 0xfd 0xaf 0x01), which build-kernels.ts rewrites to the standard one (0xfd 0x85 0x02, same
 * operand order: a * b + c). The plain build multiplies then adds (two roundings). */
#ifdef SF_RELAXED_SIMD
#define sf_madd(a, b, c) __builtin_wasm_fma_f32x4((a), (b), (c))
#else
#define sf_madd(a, b, c) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (c))
#endif

/* C(M x N, row stride ldc) = op(A) * op(B) (+ C when accumulate != 0).
 * A(i,k) = a[i*rsa + k*csa]; B(k,j) = b[k*rsb + j*csb]. tid selects packing buffers (0 or 1). */
void sf_gemm_impl(int m, int n, int k, const float *a, int rsa, int csa, const float *b, int rsb,
                  int csb, float *c, int ldc, int accumulate, int tid);

static inline void sf_zero(float *p, usize n) {
  usize i = 0;
  v128_t z = wasm_f32x4_splat(0.0f);
  for (; i + 4 <= n; i += 4) wasm_v128_store(p + i, z);
  for (; i < n; i++) p[i] = 0.0f;
}

#endif
