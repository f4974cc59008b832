#include "numerics/linalg/lambda_min.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>

namespace gradcert {

namespace {

template <class T>
double gershgorin_bound(const MatrixI<T>& A) {
    double best = HUGE_VAL;
    for (Eigen::Index i = 0; i < A.rows(); ++i) {
        Interval<T> r = Interval<T>(A(i, i).lower());
        for (Eigen::Index j = 0; j < A.cols(); ++j)
            if (j != i) r -= Interval<T>((i < j ? A(i, j) : A(j, i)).mag());
        best = std::min(best, r.lower_double());
    }
    return best;
}

// Interval Cholesky (upper triangle read): true when every pivot is certainly positive.
template <class T>
bool interval_cholesky_succeeds(const MatrixI<T>& A) {
    const Eigen::Index n = A.rows();
    MatrixI<T> L = MatrixI<T>::Zero(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        Interval<T> d = A(j, j);
        for (Eigen::Index k = 0; k < j; ++k) d -= sqr(L(j, k));
        if (!certainly_positive(d)) return false;
        L(j, j) = sqrt(d);
        for (Eigen::Index i = j + 1; i < n; ++i) {
            Interval<T> s = A(j, i);
            for (Eigen::Index k = 0; k < j; ++k) s -= L(i, k) * L(j, k);
            L(i, j) = s / L(j, j);
        }
    }
    return true;
}

template <class T>
MatrixI<T> shifted(const MatrixI<T>& A, double sigma) {
    MatrixI<T> B = A;
    for (Eigen::Index i = 0; i < A.rows(); ++i) B(i, i) -= Interval<T>(sigma);
    return B;
}

template <class T>
Eigen::MatrixXd midpoint_matrix(const MatrixI<T>& A) {
    Eigen::MatrixXd M(A.rows(), A.cols());
    for (Eigen::Index i = 0; i < A.rows(); ++i)
        for (Eigen::Index j = 0; j < A.cols(); ++j) {
            const Interval<T>& a = i <= j ? A(i, j) : A(j, i);
            M(i, j) = 0.5 * (a.lower_double() + a.upper_double());
        }
    return M;
}

// The largest σ in [lo, hi] (to ~2^-40 relative) for which Cholesky of A − σI succeeds, or lo.
template <class T>
double cholesky_bisection(const MatrixI<T>& A, double lo, double hi) {
    if (interval_cholesky_succeeds(shifted(A, hi))) return hi;
    for (int it = 0; it < 48 && hi - lo > 1e-13 * std::max(1.0, std::abs(hi)); ++it) {
        double mid = 0.5 * (lo + hi);
        if (interval_cholesky_succeeds(shifted(A, mid)))
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

// Upper bound of ‖B − M‖_F over every symmetric member B of A (M need not be the exact midpoint).
template <class T>
double frobenius_deviation_upper(const MatrixI<T>& A, const Eigen::MatrixXd& M) {
    Interval<T> s(0);
    for (Eigen::Index i = 0; i < A.rows(); ++i)
        for (Eigen::Index j = 0; j < A.cols(); ++j) {
            const Interval<T>& a = i <= j ? A(i, j) : A(j, i);
            s += sqr(Interval<T>((a - Interval<T>(M(i, j))).mag()));
        }
    return sqrt(s).upper_double();
}

template <class T>
MatrixI<T> thin_matrix(const Eigen::MatrixXd& M) {
    MatrixI<T> B(M.rows(), M.cols());
    for (Eigen::Index i = 0; i < M.rows(); ++i)
        for (Eigen::Index j = 0; j < M.cols(); ++j) B(i, j) = Interval<T>(M(i, j));
    return B;
}

}  // namespace

template <class T>
bool certainly_positive_definite(const MatrixI<T>& A) {
    return interval_cholesky_succeeds(A);
}

template <class T>
LambdaMinBound certified_lambda_min(const MatrixI<T>& A) {
    if (A.rows() == 1) return {A(0, 0).lower_double(), "exact"};
    LambdaMinBound best{gershgorin_bound(A), "gershgorin"};
    Eigen::MatrixXd M = midpoint_matrix(A);
    if (!M.allFinite()) return best;
    double proposal = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(M).eigenvalues()[0];
    if (!(proposal > best.lower)) return best;
    double chol = cholesky_bisection(A, best.lower, proposal);
    if (chol > best.lower) best = {chol, "cholesky"};
    // Weyl: λ_min(B) ≥ λ_min(M) − ‖B − M‖₂ ≥ (certified λ_min(M)) − ‖B − M‖_F.
    MatrixI<T> mid = thin_matrix<T>(M);
    double mid_lower = cholesky_bisection(mid, gershgorin_bound(mid), proposal);
    double perturbation =
        (Interval<T>(mid_lower) - Interval<T>(frobenius_deviation_upper(A, M))).lower_double();
    if (perturbation > best.lower) best = {perturbation, "perturbation"};
    return best;
}

template LambdaMinBound certified_lambda_min<double>(const MatrixI<double>&);
template LambdaMinBound certified_lambda_min<Mpfr>(const MatrixI<Mpfr>&);
template bool certainly_positive_definite<double>(const MatrixI<double>&);
template bool certainly_positive_definite<Mpfr>(const MatrixI<Mpfr>&);

}  // namespace gradcert
