#pragma once
// Decomposition of f into a polynomial plus ridge terms:
//
//   f(x) = Σ_α c_α x^α  +  Σ_k c_k g_k(w_k·x + b_k),   g_k ∈ {cos, sin, exp, softplus, tanh},
//
// an identity between real functions in which every coefficient, weight and offset is given by a
// rigorous enclosure (IntervalM) of an exactly known real number. The smoothing of §2 of
// docs/mathematics.md then acts term by term: polynomials via moments, cos/sin/exp in closed form,
// any other ridge term through a one-dimensional integral.
//
// How f is brought into this form (all steps exact; coefficients are ExactConstants until the
// final enclosure):
//   - sums, differences, products by constants, quotients by nonzero constants;
//   - products and non-negative integer powers of polynomials are multiplied out;
//   - cos, sin, exp, softplus, tanh of an affine expression become ridge terms;
//   - products of ridge terms are rewritten as sums (product-to-sum):
//       cos a·cos b = ½cos(a−b) + ½cos(a+b),   sin a·sin b = ½cos(a−b) − ½cos(a+b),
//       sin a·cos b = ½sin(a+b) + ½sin(a−b),   exp a·exp b = exp(a+b),
//     so that powers such as cos(u)² become ½ + ½cos(2u) (cos 0 = 1 is folded);
//   - c^u with a constant c > 0 is exp(u·log c) (e^u = exp(u));
//   - sum(i, ...) is expanded over its index range;
//   - ridge terms with the same function and the same linear form (exactly) are merged, with
//     cos(−L) = cos(L) and sin(−L) = −sin(L) used when the sign of the leading weight is certain;
//     terms whose coefficient is exactly zero are dropped.
// Anything else is refused with UnsupportedExpression naming the sub-expression and the reason:
// a polynomial times a ridge term, exp times cos/sin, softplus/tanh times a non-constant,
// cos/sin/exp/softplus/tanh of a non-affine argument, sqrt/log of a non-constant, abs of a
// non-constant (not twice differentiable), division by a non-constant, negative or
// non-integer powers of a non-constant, and expansions with more than 200000 terms.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "numerics/expr/expr.hpp"
#include "numerics/quadrature/ridge_integral.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::expr {

// f is outside the class of decomposable functions. what(): "file:line: f, column c: '<sub>'
// is outside the supported class: <reason>".
class UnsupportedExpression : public InputError {
  public:
    using InputError::InputError;
};

struct Monomial {
    std::vector<int> exponents;  // length dim
    IntervalM coeff;
    int degree() const;
};

struct Polynomial {
    int dim = 0;
    std::vector<Monomial> terms;  // like terms merged, exact zeros dropped, sorted by exponents
    int degree() const;           // 0 for the zero polynomial
};

enum class RidgeKind { cos, sin, exp, general };
enum class RidgeFunction { none, softplus, tanh };  // g for RidgeKind::general

struct RidgeTerm {
    RidgeKind kind = RidgeKind::cos;
    RidgeFunction g = RidgeFunction::none;
    IntervalM coeff;           // term = coeff · g(w·x + offset)
    std::vector<IntervalM> w;  // length dim (enclosures, e.g. of 2π)
    IntervalM offset;
    // Coordinates whose weight is not exactly zero.
    std::vector<int> support() const;
};

struct Decomposition {
    int dim = 0;
    Polynomial poly;
    std::vector<RidgeTerm> ridges;  // in order of first appearance in f
    // Every ridge touches at most one coordinate and no monomial mixes coordinates, so f is a
    // sum of one-dimensional functions of x_1, ..., x_d (plus a constant).
    bool separable() const;
};

// f = poly + Σ ridges (see above). ctx gives the file and line for messages.
Decomposition decompose(const Expr& e, const ParseContext& ctx);

// The global growth bound |g^{(k)}(y)| <= a + b|y| for all real y, k = 0, 1, 2, of a general
// ridge function: softplus {a = 1, b = 1} (softplus(y) <= log 2 + max(y, 0), 0 < g' < 1,
// 0 < g'' <= 1/4); tanh {a = 1, b = 0} (|tanh|, sech² <= 1, |tanh''| <= 4/(3√3) < 0.77).
// Throws std::invalid_argument for RidgeFunction::none.
GrowthBound growth_bound(RidgeFunction g);

// Additions to the contract:

// g on 1-D jets (value, g', g''), as ridge_expectations wants it.
RidgeFunctionJet ridge_function_jet(RidgeFunction g);
std::string_view ridge_kind_name(RidgeKind k);          // "cos", "sin", "exp", "general"
std::string_view ridge_function_name(RidgeFunction g);  // "none", "softplus", "tanh"
// A readable rendering, coefficients rounded to 6 significant digits (display only).
std::string to_string(const Decomposition& d);

// poly(x) + Σ ridges(x), for S as in expr::evaluate (double: coefficients rounded to nearest).
template <class S>
S evaluate(const Decomposition& d, std::span<const S> x);

// ---- implementation of evaluate ---------------------------------------------------------------

namespace eval_detail {

template <class S>
S ridge_value(RidgeKind kind, RidgeFunction g, const S& y) {
    using std::cos;
    using std::exp;
    using std::sin;
    using std::tanh;
    switch (kind) {
        case RidgeKind::cos:
            return cos(y);
        case RidgeKind::sin:
            return sin(y);
        case RidgeKind::exp:
            return exp(y);
        case RidgeKind::general:
            if (g == RidgeFunction::softplus) return softplus(y);
            if (g == RidgeFunction::tanh) return tanh(y);
            break;
    }
    throw InternalError("evaluate: ridge term without a function");
}

template <class S>
scalar_of<S> coefficient(const IntervalM& c) {
    return scalar_constant<scalar_of<S>>(c, approximate(c));
}

}  // namespace eval_detail

template <class S>
S evaluate(const Decomposition& d, std::span<const S> x) {
    using namespace eval_detail;
    using std::pow;
    if (static_cast<int>(x.size()) != d.dim)
        throw InternalError("evaluate: " + std::to_string(x.size()) +
                            " coordinates for a decomposition of dimension " +
                            std::to_string(d.dim));
    auto lift = [&](const scalar_of<S>& c) -> S {
        if constexpr (is_jet_v<S>)
            return S::constant(c, d.dim);
        else
            return c;
    };
    S total = lift(scalar_of<S>(0));
    for (const Monomial& m : d.poly.terms) {
        S term = lift(coefficient<S>(m.coeff));
        for (int i = 0; i < d.dim; ++i) {
            const int k = m.exponents[static_cast<std::size_t>(i)];
            if (k == 1)
                term = term * x[static_cast<std::size_t>(i)];
            else if (k > 1)
                term = term * pow(x[static_cast<std::size_t>(i)], k);
        }
        total += term;
    }
    for (const RidgeTerm& r : d.ridges) {
        S y = lift(coefficient<S>(r.offset));
        for (int i = 0; i < d.dim; ++i) {
            const IntervalM& w = r.w[static_cast<std::size_t>(i)];
            if (!(w.is_point() && contains(w, Mpfr(0))))
                y += coefficient<S>(w) * x[static_cast<std::size_t>(i)];
        }
        total += coefficient<S>(r.coeff) * ridge_value(r.kind, r.g, y);
    }
    return total;
}

}  // namespace gradcert::expr
