#pragma once
// The known example of docs/mathematics.md §4 [D]: the 1-D Rastrigin function f(x) = x² −
// 10cos(2πx) + 10 smoothed with u ~ N(0, 1) (kernel `gaussian`, d = 1). Its smoothed curvature is
//   f̂_δ''(x) = 2 + 40π² e^{−2π²δ²} cos(2πx),   x*_δ = 0,
// so on the strong-convexity ball B(0; 3δ) the smallest curvature is
//   κ(δ) = 2 + 40π² e^{−2π²δ²} cos(6πδ)   for δ ≤ 1/6,   2 − 40π² e^{−2π²δ²}   for δ ≥ 1/6.
// Hence κ(δ) ≥ 2 ⇔ δ ≤ 1/12, and κ(δ) < 0 exactly on an interval (δ_a, δ_b) ≈ (0.08364, 0.51745):
// the AAAI paper's "new 2-nice" claim holds only where κ ≥ 2.
#include "numerics/interval/interval.hpp"

namespace gradcert::theory {

// f̂_δ''(x) = 2 + 40π² e^{−2π²δ²} cos(2πx), enclosed over intervals δ and x.
IntervalM rastrigin_smoothed_curvature(const IntervalM& delta, const IntervalM& x);

// κ(δ) = min_{|x| ≤ 3δ} f̂_δ''(x), enclosed over an interval δ ≥ 0 (formula above).
IntervalM rastrigin_min_curvature_on_ball(const IntervalM& delta);

// 1/12: κ(δ) ≥ 2 ⇔ δ ≤ 1/12 (cos(6πδ) ≥ 0 ⇔ 6δ ≤ 1/2).
IntervalM rastrigin_curvature_two_threshold();

// The endpoints of {δ : κ(δ) < 0}. `lower` encloses every zero of κ in [1/12, 1/6] (found by
// interval bisection: κ > 0 certainly left of it, κ < 0 certainly right of it up to 1/6);
// `upper` = sqrt(ln(20π²)/(2π²)), the zero of 2 − 40π² e^{−2π²δ²}.
struct NonconvexityInterval {
    IntervalM lower;
    IntervalM upper;
};
// The bisection's budget (docs/precision.md, "Budgets"): `lower` encloses the zeros whatever
// these are; they decide its width.
struct NonconvexityOptions {
    int max_rounds = 200;                // bisection rounds at most
    double inverse_target_width = 1e30;  // stop once every box is narrower than 1/this
};
NonconvexityInterval rastrigin_nonconvexity_interval(const NonconvexityOptions& options = {});

}  // namespace gradcert::theory
