#pragma once
// The smoothed objective of a one-dimensional family whose f has no closed-form smoothing
// (FamilySpec::cubature): f̂_δ, f̂_δ' and f̂_δ'' enclosed by verified Gaussian cubature
// (numerics/quadrature/gaussian_cubature.hpp, docs/mathematics.md §2 "Terms without closed-form
// smoothing"), and f itself for δ = 0 (the Lipschitz report).
//
// Contracts:
//   - cubature_objective requires f of dimension 1, a kernel whose 1-D law is N(0, s²)
//     (theory::gaussian_standard_deviation), δ certainly > 0 and `growth` a polynomial growth
//     bound of f valid on all of R (expr::polynomial_growth); then every enclosure it returns
//     contains the exact f̂_δ, f̂_δ', f̂_δ'' at every point of the box. A box on which f cannot be
//     evaluated gives unbounded enclosures (never a throw, never a narrower interval).
//   - expression_objective(f) encloses f, f', f'' through jets; where a jet is undefined (|x| at
//     its kink, sqrt at 0) the gradient and Hessian are entire() (unbounded, so no verdict rests
//     on them).
// The estimates are floating point (trapezoid rule) and are NOT rigorous.
#include <vector>

#include "numerics/expr/expr.hpp"
#include "numerics/quadrature/gaussian_cubature.hpp"
#include "theory/kernel.hpp"
#include "verify/objective.hpp"

namespace gradcert::verify {

Objective cubature_objective(const expr::Expr& f, const std::vector<double>& growth,
                             const theory::Kernel& kernel, const IntervalM& delta,
                             const IntervalD& domain, GaussianCubatureOptions options = {});

Objective expression_objective(const expr::Expr& f);

// The integrand the cubature reads from f (value, slope through first-order jets, estimate).
CubatureIntegrand expression_integrand(const expr::Expr& f, const std::vector<double>& growth);

}  // namespace gradcert::verify
