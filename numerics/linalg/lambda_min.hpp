#pragma once
// Certified lower bounds on the smallest eigenvalue of every symmetric matrix in an interval
// matrix A (entries Interval<T>, T = double or Mpfr).
//
// The symmetric members of A are the B with B_ij = B_ji ∈ A_ij ∩ A_ji; A is first replaced by
// that intersection (InputError if it is empty, i.e. A has no symmetric member).
// Contract: every returned bound σ satisfies λ_min(B) >= σ for every symmetric member B. Methods
// (each rigorous on its own; certified_lambda_min returns the best):
//   gershgorin    min_i (inf A_ii − Σ_{j≠i} mag A_ij), rounded down;
//   cholesky      interval Cholesky of A − σI succeeds (every pivot certainly positive) ⇒ every
//                 symmetric member of A − σI is positive definite ⇒ λ_min > σ; σ is proposed
//                 from λ_min(mid A) by Eigen's SelfAdjointEigenSolver (floating point) and moved
//                 down by a growing margin, then refined by bisection;
//   perturbation  λ_min(B) >= λ_min(M) − ‖B − M‖₂ (Weyl) with M = mid A, λ_min(M) certified by the
//                 interval Cholesky of the point matrix M − σI, and ‖B − M‖₂ <= ρ(R) <=
//                 max_i (R x)_i / x_i (Collatz–Wielandt, x > 0 from power iteration), R the
//                 entrywise radius of A about M, rounded up.
#include <string>

#include "numerics/interval/interval.hpp"

namespace gradcert {

struct LambdaMinBound {
    double lower = -HUGE_VAL;  // rounded down to double
    std::string method;        // "exact" (1×1), "gershgorin", "cholesky", "perturbation"
};

// Every method's bound (−inf where a method certified nothing), for diagnostics and tests.
struct LambdaMinBounds {
    double gershgorin = -HUGE_VAL;
    double cholesky = -HUGE_VAL;
    double perturbation = -HUGE_VAL;
};

template <class T>
LambdaMinBound certified_lambda_min(const MatrixI<T>& A);

template <class T>
LambdaMinBounds all_lambda_min_bounds(const MatrixI<T>& A);

// Interval Cholesky of A succeeds: every symmetric member of A is positive definite.
template <class T>
bool certainly_positive_definite(const MatrixI<T>& A);

// True when λ_min(B) >= sup sigma is proved for every symmetric member B (Gershgorin, then
// interval Cholesky of A − sup(sigma)·I, then the perturbation bound).
template <class T>
bool certainly_lambda_min_at_least(const MatrixI<T>& A, const Interval<T>& sigma);

// Interval Cholesky of A − shift·I (shift exact) succeeds.
template <class T>
bool interval_cholesky_succeeds(const MatrixI<T>& A, double shift);

}  // namespace gradcert
