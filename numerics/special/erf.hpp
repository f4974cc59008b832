#pragma once
// Error function enclosures through MPFR's correctly rounded erf/erfc with directed rounding
// (never libm), and the standard normal probability of an interval without cancellation.
#include "numerics/interval/interval.hpp"

namespace gradcert {

// erf(x) for every x in the interval (erf is increasing), at the working precision.
IntervalM erf_enclosure(const IntervalM& x);
// erfc(x) = 1 − erf(x) (decreasing).
IntervalM erfc_enclosure(const IntervalM& x);
// Φ(b) − Φ(a) = P(a <= N(0,1) <= b) for a <= b, computed from erfc in the tails so that the
// relative accuracy is kept far from 0; encloses the value for every a ∈ A, b ∈ B.
IntervalM normal_probability(const IntervalM& a, const IntervalM& b);
// φ(x) = e^{−x²/2}/√(2π).
IntervalM normal_density(const IntervalM& x);

}  // namespace gradcert
