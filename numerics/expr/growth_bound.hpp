#pragma once
// A polynomial growth bound of a one-variable expression, derived from its structure, for the
// tail bound of the verified cubature (numerics/quadrature/gaussian_cubature.hpp,
// docs/mathematics.md §2 "Terms without closed-form smoothing").
//
// Contract: when polynomial_growth(e) returns a bound with coefficients c_0..c_K, then for EVERY
// real y the expression is defined (no domain error: every division has a denominator bounded
// away from 0 on all of R, every sqrt a certainly non-negative argument) and continuous, and
//
//     |f(y)| <= c_0 + c_1 |y| + ... + c_K |y|^K.
//
// The coefficients are upper bounds computed in outward-rounded interval arithmetic. Otherwise
// it returns a refusal naming the first sub-expression (as written) for which no bound was
// derived and why; the caller refuses the family (exit 2), never guesses a bound.
//
// Rules (by induction over the tree; P_a is the bound of the operand a):
//   constant c: |c| (upper end of its enclosure);  variable y: |y|;
//   a ± b: P_a + P_b;  a·b: P_a·P_b;  -a: P_a;  a^k (integer k in 0..64): P_a^k;
//   a / b: P_a / m_b, where b decomposes (numerics/expr/decompose.hpp) into a polynomial of
//       degree 0 or 2 (leading coefficient certainly > 0) plus cos/sin ridge terms and
//       m_b = min over R of the polynomial − Σ|ridge coefficients| is certainly > 0;
//   cos, sin, tanh: 1;  softplus(a) <= log 2 + |a| <= 1 + P_a;  abs(a): P_a;
//   sqrt(a) <= 1 + |a| (requires a certainly >= 0 everywhere: abs(.), sqrt(.), even integer
//       powers, non-negative constants, and sums/products of those);
//   exp, log, non-integer or negative powers of a non-constant, sum(...) with variables:
//       refused; so is a bound with a coefficient above the largest double (1e-300·(2x + 2)^576)
//       and a divisor whose positive lower bound underflows to 0.
#include <optional>
#include <string>
#include <vector>

#include "numerics/expr/expr.hpp"

namespace gradcert::expr {

struct PolynomialGrowth {
    std::vector<double> coefficients;  // c_k >= 0 (upper bounds), |f(y)| <= Σ c_k |y|^k
    int degree() const { return static_cast<int>(coefficients.size()) - 1; }
};

struct GrowthRefusal {
    std::string term;    // the sub-expression as printed back, e.g. "exp(x)"
    std::string reason;  // e.g. "exp of a non-constant has no polynomial growth bound"
};

struct GrowthResult {
    std::optional<PolynomialGrowth> bound;  // set on success
    GrowthRefusal refusal;                  // set when bound is empty
};

// The bound for a one-dimensional expression (e.dim() == 1); InternalError for dim != 1.
GrowthResult polynomial_growth(const Expr& e);

}  // namespace gradcert::expr
