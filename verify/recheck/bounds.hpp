#pragma once
// Enclosures of f̂ and its derivatives over boxes (naive ball evaluation intersected with the
// mean-value form), bisection of boxes the checker performs itself, and box geometry.
#include <functional>
#include <vector>

#include "verify/recheck/smoothing.hpp"

namespace gradcert::recheck {

// f̂ restricted to some coordinates: tree coordinate j is coordinate coords[j] of f̂, the others
// are 0 (used for the separable geometry, where the piece does not depend on them).
struct View {
    const Smoothed* f = nullptr;
    std::vector<int> coords;
    Box embed(const Box& x) const;
};

Ball value_on(const View& v, const Box& box);
Ball value_at(const View& v, const Vec& point);
Vec gradient_on(const View& v, const Box& box);
std::vector<Vec> hessian_on(const View& v, const Box& box);
std::vector<Vec> hessian_at(const Smoothed& f, const Vec& point);

// True when `test` holds on the box or, recursively, on both halves (widest coordinate bisected)
// down to `depth` levels. Sound for any test that is a property of every point of the box.
bool on_pieces(const Box& box, int depth, const std::function<bool(const Box&)>& test);

// Krawczyk's exclusion test: true when K(X) = m − Y∇f̂(m) + (I − Y∇²f̂(X))(X − m), with m the
// midpoint and Y ≈ ∇²f̂(m)⁻¹ (any Y is valid), misses X in some coordinate: then ∇f̂ has no zero in
// X.
bool krawczyk_excludes(const View& v, const Box& box);

bool contains(const Box& outer, const Box& inner);
// Squared distances between boxes as balls: the least (0 where they overlap) and the greatest
// over pairs of points.
Ball min_distance2(const Box& a, const Box& b);
Ball max_distance2(const Box& a, const Box& b);
// The box widened by r on each side, rounded outward.
Box inflate(const Box& box, const Dyadic& r);
// λ_min(H) ≥ b for every symmetric matrix in the ball matrix H (Gershgorin or LDLᵀ of H − bI).
bool certainly_lambda_min_ge(const std::vector<Vec>& hess, const Ball& b);

}  // namespace gradcert::recheck
