#include "numerics/sgd/gemm.hpp"

// GCC 12 reports false -Wmaybe-uninitialized positives inside its own AVX-512 intrinsics
// (_mm512_undefined_* operands) when Eigen's kernels are inlined at -O3 -march=native; silenced
// for this file, whose only job is to call Eigen.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <Eigen/Core>
#include <stdexcept>

namespace gradcert::sgd {

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

}  // namespace

template <>
void gemm<float>(bool trans_a, bool trans_b, int m, int n, int k, const float* a, long lda,
                 const float* b, long ldb, float beta, float* c, long ldc) {
    if (beta != 0.0f && beta != 1.0f) throw std::invalid_argument("gemm: beta must be 0 or 1");
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

}  // namespace gradcert::sgd
