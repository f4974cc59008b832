#pragma once
// A float GEMM whose bits do not depend on the CPU (issue 15; not yet the engine's GEMM, which is
// Eigen's, kernels/gemm.hpp — see docs/engine.md, "Speed"): every element of C is one fixed chain
// of fused multiply-adds,
//
//     acc = beta == 1 ? C[i][j] : +0;   for p = 0 .. k−1 in order: acc = fma(A[i][p], B[p][j], acc)
//
// (op(A), op(B) as in gemm.hpp; one rounding per step), so the result is a function of the operands
// alone: register tiles, cache blocks (a depth block continues the chain from C), packing and the
// split over threads (output blocks only, never k) change the speed, never a bit. Two tile sets run
// that chain, chosen at run time by the CPU: x86-64-v3 (AVX2, 6 × 16 tiles) on every supported
// CPU, x86-64-v4 (AVX-512, 8 × 48 tiles) on CPUs with AVX-512F/BW/DQ/VL; a scalar loop with
// std::fma is the reference both are tested against bit for bit
// (tests/engine/gemm_ordered_test.cpp). docs/engine.md, "Same bits on every machine".
namespace gradcert::engine {

// One enum for the code that runs the chain.
enum class GemmPath { reference, v3, v4 };

// "reference", "x86-64-v3", "x86-64-v4".
const char* gemm_path_name(GemmPath path);

// True when this CPU can run `path` (reference and v3 always: the engine requires x86-64-v3).
bool gemm_path_available(GemmPath path);

// The default path: v4 when available, else v3. The environment
// variable GRADCERT_GEMM_PATH (reference, v3 or v4) overrides the choice, read once at the first
// GEMM; an unknown or unavailable value throws gradcert::InputError naming it.
GemmPath gemm_path();

// Test hook: makes `path` the one gemm_path() returns from now on and returns the previous one;
// throws gradcert::InputError if this CPU cannot run it. Not for use while GEMMs run.
GemmPath set_gemm_path(GemmPath path);

// C[m × n] = op(A)·op(B) (beta = 0) or C + op(A)·op(B) (beta = 1), every element by the chain
// above, on the calling thread, with `path`. Throws std::invalid_argument for another beta.
void gemm_ordered(GemmPath path, bool trans_a, bool trans_b, int m, int n, int k, const float* a,
                  long lda, const float* b, long ldb, float beta, float* c, long ldc);

// The same product with C cut into blocks computed on the engine's threads (one thread inside a
// parallel region): the same bits as gemm_ordered for every thread count.
void gemm_ordered_parallel(GemmPath path, bool trans_a, bool trans_b, int m, int n, int k,
                           const float* a, long lda, const float* b, long ldb, float beta, float* c,
                           long ldc);

}  // namespace gradcert::engine
