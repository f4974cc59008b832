#pragma once
// The checker's own expansion of f into the term classes it smooths in closed form
// (docs/certificate.md): c·x^α and c·g(w·x + b) with g ∈ {cos, sin, exp}. Constants (numbers,
// parameters, π, e, dim, sum indices and functions of them) are Arb balls around their exact
// values; products of cos/sin ridges are expanded by product-to-sum, exp·exp merged. Anything
// else (a variable inside log, a polynomial times a ridge, exp times cos, ...) is refused.
#include <map>
#include <string>
#include <vector>

#include "numerics/expr/expr.hpp"
#include "verify/recheck/ball.hpp"

namespace gradcert::recheck {

enum class Ridge { none, cos, sin, exp };

struct Term {
    Ball c;
    std::vector<int> alpha;  // exponents of the monomial (all 0 for a ridge term)
    Ridge g = Ridge::none;
    Vec w;   // ridge direction (size dim; empty for a monomial)
    Ball b;  // ridge offset
};

// f as a sum of terms. Throws NotSupported("not supported: <sub-expression>").
std::vector<Term> expand(const expr::Expr& f, const std::map<std::string, Ball>& params);

}  // namespace gradcert::recheck
