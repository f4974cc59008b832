#pragma once
// Dense matrix product on row-major strided storage, the one kernel behind convolutions and
// linear layers.
//
//   C[m × n] = op(A) · op(B) + beta · C,   op(X) = X or Xᵀ,   beta ∈ {0, 1}
//
// A is stored row-major as [m × k] (or [k × m] when trans_a) with leading dimension lda; B as
// [k × n] (or [n × k] when trans_b) with ldb; C as [m × n] with ldc. Sums run over k in the
// working precision T. float goes through Eigen's blocked, vectorised GEMM, parallel on the
// engine's OpenMP threads when called outside a parallel region (one thread inside one). Each
// element of C is computed by one thread in a fixed blocking, so results are bit-identical for a
// fixed thread count, and Eigen's cache-dependent blocking is pinned to fixed cache sizes so
// that it is the same on every machine (docs/engine.md). double (used only by the gradient checks)
// is a plain triple loop in double, kept free of Eigen so that no Eigen double kernel of this
// -march=native library can collide at link time with the rigorous library's differently compiled
// Eigen code.
namespace gradcert::engine {

template <class T>
void gemm(bool trans_a, bool trans_b, int m, int n, int k, const T* a, long lda, const T* b,
          long ldb, T beta, T* c, long ldc);

// The same product on the engine's threads: C is cut into fixed 128 × 128 tiles computed
// independently; when C has a single tile and k is long, k is cut into fixed slices whose
// products are summed in slice order in double. The cut depends on the shape only, so the result
// is identical for every thread count.
template <class T>
void gemm_parallel(bool trans_a, bool trans_b, int m, int n, int k, const T* a, long lda,
                   const T* b, long ldb, T beta, T* c, long ldc);

}  // namespace gradcert::engine
