#pragma once
// Exact moments and normalising constants, enclosed at the working precision.
//
// Every result is an interval computed from exact integers by outward-rounded interval
// arithmetic, so it contains the exact (rational, or rational × π, or rational × √π) value; its
// width is a few ulp at the working precision.
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert {

// E[u^α] for u uniform on the unit d-ball: Π_i (α_i − 1)!! / ((d+2)(d+4)…(d+|α|)) when every α_i
// is even, 0 otherwise. alpha has at most d entries (missing ones are 0), all >= 0; d >= 1.
// Throws InputError otherwise.
IntervalM ball_moment(int d, const std::vector<int>& alpha);

// E[g^α] for g ~ N(0, s² I): s^{|α|} Π_i (α_i − 1)!! when every α_i is even, 0 otherwise.
// alpha entries >= 0 (InputError otherwise); s is any interval.
IntervalM gaussian_moment(const IntervalM& s, const std::vector<int>& alpha);

// ∫_0^π sin^d θ dθ = π (d−1)!!/d!! (d even) or 2 (d−1)!!/d!! (d odd), d >= 0. It is the
// normalising constant of the ball marginal: ∫_{−1}^{1} (1 − t²)^{(d−1)/2} dt.
IntervalM sine_power_integral(int d);

// Γ(m/2) for an integer m >= 1: (m/2 − 1)! for even m, (m−2)!!/2^{(m−1)/2} · √π for odd m.
IntervalM gamma_half_integer(int m);

}  // namespace gradcert
