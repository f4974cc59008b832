#pragma once
// The characteristic function of the unit d-ball and its exponential counterpart:
//
//   Λ_d(s) = ₀F₁(; d/2+1; −s²/4) = Γ(d/2+1) (2/s)^{d/2} J_{d/2}(s) = E[cos(s u_1)]
//   E_d(s) = ₀F₁(; d/2+1; +s²/4) = E[exp(s u_1)]      (u uniform on the unit d-ball)
//
// Contract: for every s in the argument interval the exact value lies in the result. Point
// arguments are summed as power series t_{k+1} = t_k (∓s²/4)/((k+1)(k+1+d/2)) until the ratio
// bound q = (sup s²/4)/((K+1)(K+1+d/2)) < 1/2 and |t_K| < 2^{−p−10} (Λ) or 2^{−p−10}·sum (E),
// then the tail [−1, 1]·|t_K|/(1 − q) is added. The alternating series for Λ loses about
// 1.44·s bits to cancellation, so it runs at p + ⌈1.45·s⌉ + 32 bits (E at p + 32 bits); the
// result is rounded outward to the caller's working precision p. Wide arguments use the
// mean-value form with Λ_d' = −s/(d+2)·Λ_{d+2}, intersected with [−1, 1] (Λ), or monotonicity
// in |s| (E). The width is a few ulp at precision p for point arguments.
#include "numerics/interval/interval.hpp"
#include "numerics/special/moments.hpp"

namespace gradcert {

// Λ_d(s), d >= 1 (InputError otherwise).
IntervalM ball_characteristic(int d, const IntervalM& s);
// ₀F₁(; d/2+1; +s²/4), d >= 1.
IntervalM hyp0f1_ball_exp(int d, const IntervalM& s);
// d/ds Λ_d(s) = −s/(d+2) · Λ_{d+2}(s).
IntervalM ball_characteristic_derivative(int d, const IntervalM& s);
// d/ds ₀F₁(; d/2+1; s²/4) = s/(d+2) · ₀F₁(; d/2+2; s²/4).
IntervalM hyp0f1_ball_exp_derivative(int d, const IntervalM& s);

// The same at double endpoints: computed at 128 bits, rounded outward.
IntervalD ball_characteristic(int d, const IntervalD& s);
IntervalD hyp0f1_ball_exp(int d, const IntervalD& s);
IntervalD ball_characteristic_derivative(int d, const IntervalD& s);
IntervalD hyp0f1_ball_exp_derivative(int d, const IntervalD& s);

// x rounded outward to the current working precision (used to return results computed at a
// raised precision).
IntervalM round_out_to_working_precision(const IntervalM& x);

}  // namespace gradcert
