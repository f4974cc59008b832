#pragma once
// Separable families f(x) = Σ_i f_i(x_i): the smoothed function stays separable under every
// kernel the suite offers (each term involves one coordinate, whose projection law is the
// marginal of the d-dimensional kernel), so its minimizers, Hessian (diagonal) and Lipschitz
// constant follow from one-dimensional problems. Identical coordinate pieces are solved once.
#include <string>
#include <vector>

#include "numerics/expr/decompose.hpp"

namespace gradcert::verify {

struct SeparablePiece {
    expr::Decomposition piece;  // dim 1: the terms of the decomposition that involve x_i
    std::string key;            // equal keys ⇔ identical pieces (coefficients' exact endpoints)
};

// One piece per coordinate; the constant part goes to coordinate 0. Requires
// decomposition.separable().
std::vector<SeparablePiece> split_separable(const expr::Decomposition& decomposition);

}  // namespace gradcert::verify
