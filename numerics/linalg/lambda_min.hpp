#pragma once
// Certified lower bounds on the smallest eigenvalue over every symmetric matrix in an interval
// matrix A (entries Interval<T>; only the upper triangle is read, A is taken as symmetric).
//
// Contract: for every symmetric B with B_ij ∈ A_ij (i ≤ j), λ_min(B) ≥ result.lower. Three
// methods, each rigorous, the best is returned:
//   gershgorin   min_i (inf A_ii − Σ_{j≠i} mag A_ij);
//   cholesky     interval Cholesky of A − σI succeeds (every pivot certainly positive) ⇒ every
//                symmetric member of A − σI is positive definite ⇒ λ_min ≥ σ; σ found by bisection
//                between the Gershgorin bound and λ_min(mid A) (a floating-point proposal);
//   perturbation λ_min(M) (M ≈ mid A, double) certified by Cholesky of M − sI, minus an upper
//                bound of ‖B − M‖_F ≥ ‖B − M‖₂ (Weyl).
// 1 × 1 matrices are answered exactly (inf A_00).
#include <string>

#include "numerics/interval/interval.hpp"

namespace gradcert {

struct LambdaMinBound {
    double lower = -HUGE_VAL;  // rounded down to double
    std::string method;        // "exact", "gershgorin", "cholesky", "perturbation"
};

template <class T>
LambdaMinBound certified_lambda_min(const MatrixI<T>& A);

// Interval Cholesky of A succeeds: every symmetric member of A is positive definite.
template <class T>
bool certainly_positive_definite(const MatrixI<T>& A);

extern template LambdaMinBound certified_lambda_min<double>(const MatrixI<double>&);
extern template LambdaMinBound certified_lambda_min<Mpfr>(const MatrixI<Mpfr>&);
extern template bool certainly_positive_definite<double>(const MatrixI<double>&);
extern template bool certainly_positive_definite<Mpfr>(const MatrixI<Mpfr>&);

}  // namespace gradcert
