#include "numerics/engine/kernels/gemm.hpp"

// GCC 12 reports false -Wmaybe-uninitialized positives inside its own AVX-512 intrinsics
// (_mm512_undefined_* operands) when Eigen's kernels are inlined at -O3 -march=native; silenced
// for this file, whose only job is to call Eigen.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <malloc.h>

#include <Eigen/Core>
#include <algorithm>
#include <stdexcept>

#include "numerics/engine/kernels/scratch.hpp"
#include "numerics/engine/threads.hpp"

namespace gradcert::engine {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using MutableMap = Eigen::Map<RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;

template <class Lhs, class Rhs>
void assign_product(MutableMap& c, const Lhs& lhs, const Rhs& rhs, float beta) {
    if (beta == 0.0f) {
        c.noalias() = lhs * rhs;
    } else {
        c.noalias() += lhs * rhs;
    }
}

// Eigen runs single-threaded (the engine's threads split the work, threads.hpp) and with fixed
// cache sizes: by default it reads them from the CPU, and its depth blocking kc (hence the order
// in which each element's sum is rounded) would then differ from machine to machine. The values
// are those Eigen read on the machine the kernels were tuned on (AMD EPYC, 48 KiB L1d, 1 MiB L2).
//
// Eigen allocates its packing workspace (hundreds of KiB for the zoo's shapes) on the heap at
// every product; glibc serves blocks that large with mmap and unmaps them on free, so every GEMM
// paid page faults on fresh pages (a fifth of an mlp step in a profile). Large blocks are
// therefore kept on the heap and never trimmed, as GLIBC_TUNABLES=glibc.malloc.mmap_max=0:
// glibc.malloc.trim_threshold=… does for PyTorch in tests/bench/sgd_vs_torch.py. Process-wide;
// it changes memory reuse only, never a result.
void configure_eigen() {
    Eigen::setNbThreads(1);
    Eigen::setCpuCacheSizes(48 * 1024, 1024 * 1024, 32 * 1024 * 1024);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace

template <>
void gemm<float>(bool trans_a, bool trans_b, int m, int n, int k, const float* a, long lda,
                 const float* b, long ldb, float beta, float* c, long ldc) {
    if (beta != 0.0f && beta != 1.0f) throw std::invalid_argument("gemm: beta must be 0 or 1");
    static const bool fixed_eigen = (configure_eigen(), true);
    (void)fixed_eigen;
    MutableMap cm(c, m, n, Eigen::OuterStride<>(ldc));
    if (k == 0) {
        if (beta == 0.0f) cm.setZero();
        return;
    }
    ConstMap am(a, trans_a ? k : m, trans_a ? m : k, Eigen::OuterStride<>(lda));
    ConstMap bm(b, trans_b ? n : k, trans_b ? k : n, Eigen::OuterStride<>(ldb));
    if (!trans_a && !trans_b) assign_product(cm, am, bm, beta);
    if (!trans_a && trans_b) assign_product(cm, am, bm.transpose(), beta);
    if (trans_a && !trans_b) assign_product(cm, am.transpose(), bm, beta);
    if (trans_a && trans_b) assign_product(cm, am.transpose(), bm.transpose(), beta);
}

template <>
void gemm<double>(bool trans_a, bool trans_b, int m, int n, int k, const double* a, long lda,
                  const double* b, long ldb, double beta, double* c, long ldc) {
    if (beta != 0.0 && beta != 1.0) throw std::invalid_argument("gemm: beta must be 0 or 1");
    for (int i = 0; i < m; ++i) {
        double* row = c + i * ldc;
        if (beta == 0.0) {
            for (int j = 0; j < n; ++j) row[j] = 0.0;
        }
        for (int p = 0; p < k; ++p) {
            double aip = trans_a ? a[p * lda + i] : a[i * lda + p];
            for (int j = 0; j < n; ++j) row[j] += aip * (trans_b ? b[j * ldb + p] : b[p * ldb + j]);
        }
    }
}

namespace {
constexpr int tile = 128;
constexpr int slice = 512;
}  // namespace

template <class T>
void gemm_parallel(bool trans_a, bool trans_b, int m, int n, int k, const T* a, long lda,
                   const T* b, long ldb, T beta, T* c, long ldc) {
    const int tiles_m = (m + tile - 1) / tile, tiles_n = (n + tile - 1) / tile;
    const long work = long(m) * n * k;
    if (tiles_m * tiles_n >= 2) {
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 64))
        for (int t = 0; t < tiles_m * tiles_n; ++t) {
            const int i0 = (t / tiles_n) * tile, j0 = (t % tiles_n) * tile;
            const int tm = std::min(tile, m - i0), tn = std::min(tile, n - j0);
            gemm<T>(trans_a, trans_b, tm, tn, k, trans_a ? a + i0 : a + i0 * lda, lda,
                    trans_b ? b + j0 * ldb : b + j0, ldb, beta, c + i0 * ldc + j0, ldc);
        }
        return;
    }
    const int slices = (k + slice - 1) / slice;
    if (slices < 2) {
        gemm<T>(trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    const long size = long(m) * n;
    T* partial = thread_scratch<T>().gemm_slices.reserve(std::size_t(slices) * size);
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 64))
    for (int s = 0; s < slices; ++s) {
        const int k0 = s * slice, tk = std::min(slice, k - k0);
        gemm<T>(trans_a, trans_b, m, n, tk, trans_a ? a + k0 * lda : a + k0, lda,
                trans_b ? b + k0 : b + k0 * ldb, ldb, T(0), partial + s * size, n);
    }
    for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
            double sum = beta == T(0) ? 0.0 : double(c[i * ldc + j]);
            for (int s = 0; s < slices; ++s) sum += double(partial[s * size + long(i) * n + j]);
            c[i * ldc + j] = T(sum);
        }
    }
}

template void gemm_parallel<float>(bool, bool, int, int, int, const float*, long, const float*,
                                   long, float, float*, long);
template void gemm_parallel<double>(bool, bool, int, int, int, const double*, long, const double*,
                                    long, double, double*, long);

}  // namespace gradcert::engine
