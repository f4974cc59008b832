#include "numerics/linalg/lambda_min.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "numerics/util/error.hpp"

namespace gradcert {
namespace {

// Bisection steps after the first certified and the first failing shift are known.
constexpr int kBisectionSteps = 30;
// Power-iteration steps for the Perron vector of the radius matrix.
constexpr int kPowerSteps = 50;

template <class T>
Interval<T> point(const T& v) {
    return Interval<T>(v, v);
}

// Proposal shifts tried below the eigenvalue estimate before bisection (margins × 8 each).
constexpr int kMarginSteps = 40;

double to_double_nearest(const double& v) {
    return v;
}
double to_double_nearest(const Mpfr& v) {
    return v.convert_to<double>();
}

template <class T>
double upper_double_of(const T& v) {
    return Interval<T>(v, v).upper_double();
}

// B_ij = B_ji ∈ A_ij ∩ A_ji.
template <class T>
MatrixI<T> symmetric_part(const MatrixI<T>& A) {
    const Eigen::Index n = A.rows();
    if (A.cols() != n)
        throw InputError("certified_lambda_min: matrix is " + std::to_string(A.rows()) + "x" +
                         std::to_string(A.cols()) + ", not square");
    MatrixI<T> S(n, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index i = 0; i <= j; ++i) {
            const std::optional<Interval<T>> x = intersect(A(i, j), A(j, i));
            if (!x)
                throw InputError("certified_lambda_min: entries (" + std::to_string(i) + "," +
                                 std::to_string(j) + ") and (" + std::to_string(j) + "," +
                                 std::to_string(i) + ") are disjoint: no symmetric member");
            S(i, j) = *x;
            S(j, i) = *x;
        }
    return S;
}

template <class T>
double gershgorin(const MatrixI<T>& S) {
    double best = HUGE_VAL;
    for (Eigen::Index i = 0; i < S.rows(); ++i) {
        Interval<T> r = point(S(i, i).lower());
        for (Eigen::Index j = 0; j < S.cols(); ++j)
            if (j != i) r -= point(S(i, j).mag());
        best = std::min(best, r.lower_double());
    }
    return best;
}

// Interval Cholesky of S − shift·I, reading the lower triangle of the symmetric S.
template <class T>
bool cholesky_succeeds(const MatrixI<T>& S, const Interval<T>& shift) {
    const Eigen::Index n = S.rows();
    MatrixI<T> L(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
        Interval<T> d = S(j, j) - shift;
        for (Eigen::Index k = 0; k < j; ++k) d -= sqr(L(j, k));
        if (!certainly_positive(d)) return false;
        L(j, j) = sqrt(d);
        for (Eigen::Index i = j + 1; i < n; ++i) {
            Interval<T> v = S(i, j);
            for (Eigen::Index k = 0; k < j; ++k) v -= L(i, k) * L(j, k);
            L(i, j) = v / L(j, j);
        }
    }
    return true;
}

template <class T>
Eigen::MatrixXd midpoint_double(const MatrixI<T>& S) {
    Eigen::MatrixXd M(S.rows(), S.cols());
    for (Eigen::Index i = 0; i < S.rows(); ++i)
        for (Eigen::Index j = 0; j < S.cols(); ++j) M(i, j) = to_double_nearest(S(i, j).mid());
    return M;
}

double smallest_eigenvalue_estimate(const Eigen::MatrixXd& M) {
    if (!M.allFinite()) return NAN;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(M, Eigen::EigenvaluesOnly);
    if (solver.info() != Eigen::Success) return NAN;
    return solver.eigenvalues()(0);
}

// The largest σ (within the search) for which the Cholesky of S − σI succeeds: try
// σ = estimate − margin with a growing margin, then bisect between success and failure.
// Returns −inf when even σ = floor fails.
template <class T>
double cholesky_search(const MatrixI<T>& S, double estimate, double floor, double scale) {
    if (!std::isfinite(estimate)) return -HUGE_VAL;
    auto ok = [&](double sigma) { return cholesky_succeeds(S, Interval<T>(sigma)); };
    double failed = HUGE_VAL, certified = -HUGE_VAL;
    double margin = 1e-14 * scale;
    for (int step = 0; step < kMarginSteps; ++step, margin *= 8) {
        const double sigma = estimate - margin;
        if (sigma <= floor || !std::isfinite(sigma)) break;
        if (ok(sigma)) {
            certified = sigma;
            break;
        }
        failed = sigma;
    }
    if (certified == -HUGE_VAL) {
        if (!std::isfinite(floor) || !ok(floor)) return -HUGE_VAL;
        certified = floor;
    }
    if (failed == HUGE_VAL) return certified;
    for (int step = 0; step < kBisectionSteps; ++step) {
        const double sigma = certified + (failed - certified) / 2;
        if (!(sigma > certified && sigma < failed)) break;
        (ok(sigma) ? certified : failed) = sigma;
    }
    return certified;
}

// Upper bound of ‖B − M‖₂ over the symmetric members B, M = mid S: ρ(R) <= max_i (R x)_i/x_i.
template <class T>
double radius_norm_bound(const MatrixI<T>& S, const MatrixI<T>& M) {
    const Eigen::Index n = S.rows();
    MatrixI<T> R(n, n);
    Eigen::MatrixXd Rd(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) {
            const Interval<T> lo = M(i, j) - point(S(i, j).lower());
            const Interval<T> hi = point(S(i, j).upper()) - M(i, j);
            R(i, j) = point(max(lo, hi).upper());
            Rd(i, j) = R(i, j).upper_double();
        }
    if (!Rd.allFinite()) return HUGE_VAL;
    Eigen::VectorXd x = Eigen::VectorXd::Ones(n);
    for (int k = 0; k < kPowerSteps; ++k) {
        Eigen::VectorXd y = Rd * x;
        const double m = y.maxCoeff();
        if (!(m > 0)) break;
        x = y / m;
    }
    x = x.cwiseMax(1e-8);  // strictly positive test vector
    Interval<T> bound(0);
    for (Eigen::Index i = 0; i < n; ++i) {
        Interval<T> rx(0);
        for (Eigen::Index j = 0; j < n; ++j) rx += R(i, j) * Interval<T>(x[j]);
        bound = max(bound, rx / Interval<T>(x[i]));
    }
    return bound.upper_double();
}

template <class T>
double perturbation(const MatrixI<T>& S, double scale) {
    const Eigen::Index n = S.rows();
    MatrixI<T> M(n, n);
    for (Eigen::Index i = 0; i < n; ++i)
        for (Eigen::Index j = 0; j < n; ++j) M(i, j) = point(S(i, j).mid());
    const double lambda_m =
        cholesky_search(M, smallest_eigenvalue_estimate(midpoint_double(M)), -HUGE_VAL, scale);
    const double radius = radius_norm_bound(S, M);
    if (lambda_m == -HUGE_VAL || !std::isfinite(radius)) return -HUGE_VAL;
    const Interval<T> bound = Interval<T>(lambda_m) - Interval<T>(radius);
    return bound.lower_double();
}

template <class T>
double matrix_scale(const MatrixI<T>& S) {
    double s = 1;
    for (Eigen::Index i = 0; i < S.rows(); ++i)
        for (Eigen::Index j = 0; j < S.cols(); ++j) s = std::max(s, upper_double_of(S(i, j).mag()));
    return s;
}

template <class T>
bool all_finite(const MatrixI<T>& S) {
    for (Eigen::Index i = 0; i < S.rows(); ++i)
        for (Eigen::Index j = 0; j < S.cols(); ++j)
            if (!S(i, j).is_finite()) return false;
    return true;
}

}  // namespace

template <class T>
LambdaMinBounds all_lambda_min_bounds(const MatrixI<T>& A) {
    const MatrixI<T> S = symmetric_part(A);
    LambdaMinBounds b;
    if (S.rows() == 0 || !all_finite(S)) return b;
    const double scale = matrix_scale(S);
    b.gershgorin = gershgorin(S);
    b.cholesky =
        cholesky_search(S, smallest_eigenvalue_estimate(midpoint_double(S)), b.gershgorin, scale);
    b.perturbation = perturbation(S, scale);
    return b;
}

template <class T>
LambdaMinBound certified_lambda_min(const MatrixI<T>& A) {
    if (A.rows() == 1 && A.cols() == 1) return {A(0, 0).lower_double(), "exact"};
    const LambdaMinBounds b = all_lambda_min_bounds(A);
    LambdaMinBound best{b.gershgorin, "gershgorin"};
    if (b.cholesky > best.lower) best = {b.cholesky, "cholesky"};
    if (b.perturbation > best.lower) best = {b.perturbation, "perturbation"};
    return best;
}

template <class T>
bool certainly_positive_definite(const MatrixI<T>& A) {
    return cholesky_succeeds(symmetric_part(A), Interval<T>(0));
}

template <class T>
bool interval_cholesky_succeeds(const MatrixI<T>& A, double shift) {
    return cholesky_succeeds(symmetric_part(A), Interval<T>(shift));
}

template <class T>
bool certainly_lambda_min_at_least(const MatrixI<T>& A, const Interval<T>& sigma) {
    const MatrixI<T> S = symmetric_part(A);
    if (!all_finite(S) || !sigma.is_finite()) return false;
    const Interval<T> target = point(sigma.upper());
    auto proves = [&target](double bound) {
        return std::isfinite(bound) && certainly_ge(Interval<T>(bound), target);
    };
    if (proves(gershgorin(S))) return true;
    if (cholesky_succeeds(S, target)) return true;
    return proves(perturbation(S, matrix_scale(S)));
}

#define GRADCERT_LAMBDA_MIN_INSTANTIATE(T)                                                 \
    template LambdaMinBound certified_lambda_min<T>(const MatrixI<T>&);                    \
    template LambdaMinBounds all_lambda_min_bounds<T>(const MatrixI<T>&);                  \
    template bool certainly_positive_definite<T>(const MatrixI<T>&);                       \
    template bool certainly_lambda_min_at_least<T>(const MatrixI<T>&, const Interval<T>&); \
    template bool interval_cholesky_succeeds<T>(const MatrixI<T>&, double);
GRADCERT_LAMBDA_MIN_INSTANTIATE(double)
GRADCERT_LAMBDA_MIN_INSTANTIATE(Mpfr)
#undef GRADCERT_LAMBDA_MIN_INSTANTIATE

}  // namespace gradcert
