#include "numerics/special/ball.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "numerics/util/error.hpp"

namespace gradcert {
namespace {

constexpr long kGuardBits = 32;
constexpr long kMaxSeriesTerms = 100000000;
// Depth of the mean-value recursion Λ_d → Λ_{d+2} → … for wide arguments.
constexpr int kMeanValueDepth = 2;
// Bisection levels for wide arguments (at most 2^kMaxSplits pieces).
constexpr int kMaxSplits = 7;

void require_dimension(const char* who, int d) {
    if (d < 1)
        throw InputError(std::string(who) + ": dimension d = " + std::to_string(d) +
                         " must be >= 1");
}

IntervalM unit_interval() {
    return hull(IntervalM(-1), IntervalM(1));
}

// 2^{-bits} as an exact MPFR number.
Mpfr power_of_two(long exponent) {
    Mpfr r = mpfr_with_precision(32);
    mpfr_set_ui_2exp(raw(r), 1, exponent, MPFR_RNDN);
    return r;
}

// Σ_k t_k with t_0 = 1, t_{k+1} = t_k · z / ((k+1)(k+1+d/2)) at the working precision, for a
// (thin) interval z, plus the rigorous tail bound. `relative_stop`: stop once |t_K| is below
// 2^{-target_bits-10} times the partial sum (positive series) instead of absolutely.
IntervalM hyp0f1_series(int d, const IntervalM& z, long target_bits, bool relative_stop) {
    const Mpfr threshold = power_of_two(-(target_bits + 10));
    const IntervalM z_mag(z.mag());
    IntervalM sum(0);
    IntervalM term(1);
    for (long k = 0; k < kMaxSeriesTerms; ++k) {
        // (k+1)(k+1+d/2) = (k+1)(2k+2+d)/2; the integer below is exact in the interval type.
        const IntervalM denominator(static_cast<long long>(k + 1) * (2 * k + 2 + d));
        const Mpfr q = (2 * z_mag / denominator).upper();
        const Mpfr limit = relative_stop ? Mpfr(threshold * sum.lower()) : threshold;
        if (q < 0.5 && term.mag() < limit) {
            const IntervalM tail = IntervalM(term.mag()) / (1 - IntervalM(q));
            return sum + hull(-tail, tail);
        }
        sum += term;
        term = term * z * 2 / denominator;
    }
    throw std::runtime_error("hyp0f1_series: no convergence (argument too large)");
}

// Beyond this |s| the alternating series would need more than ~8000 extra bits and ~|s| terms
// (δ = 1e5 took minutes, δ = 2^31 asked for 2·10^10 bits); Λ_d is then enclosed by its decay
// bound instead.
constexpr double kMaxSeriesArgument = 5000;
// Landau's constant: |J_ν(x)| ≤ c·x^{-1/3} for every ν > 0, x > 0, c = 0.7857468704…
// (L. J. Landau, "Bessel functions: monotonicity and bounds", J. London Math. Soc. 61 (2000)
// 197–215); rounded up.
constexpr double kLandauBound = 0.78575;

// Γ(d/2 + 1), enclosed: Γ(1) = 1, Γ(3/2) = √π/2, Γ(x + 1) = x·Γ(x).
IntervalM gamma_half_dim_plus_one(int d) {
    IntervalM g = d % 2 == 0 ? IntervalM(1) : sqrt(IntervalM::pi()) / 2;
    for (int twice_x = d % 2 == 0 ? 2 : 3; twice_x <= d; twice_x += 2) g *= IntervalM(twice_x) / 2;
    return g;
}

// |Λ_d(s)| ≤ Γ(d/2+1)·(2/|s|)^{d/2}·c·|s|^{-1/3} for |s| ≥ m > 0, from
// Λ_d(s) = Γ(d/2+1)(2/s)^{d/2} J_{d/2}(s) and Landau's bound; clipped to |Λ_d| ≤ 1.
IntervalM lambda_decay_bound(int d, const Mpfr& m) {
    const IntervalM s(m, m);
    const IntervalM exponent = IntervalM(d) / 2 + IntervalM(1) / 3;
    const IntervalM bound = gamma_half_dim_plus_one(d) * pow(IntervalM(2), IntervalM(d) / 2) *
                            IntervalM(kLandauBound) / pow(s, exponent);
    const IntervalM b(std::min(bound.upper(), Mpfr(1)));
    return hull(-b, b);
}

// 0F1(; b; s²/4) ~ e^{|s|}: a series of ~|s| terms and values far beyond any useful bound.
constexpr double kMaxExpSeriesArgument = 100000;

bool beyond_series(const Mpfr& magnitude) {
    return magnitude > kMaxSeriesArgument;
}

// Extra bits for the cancellation of the alternating series at the point s (about 1.44·|s|).
long cancellation_bits(const IntervalM& s) {
    return static_cast<long>(std::ceil(1.45 * abs(s).upper_double())) + 1;
}

IntervalM lambda_at_point(int d, const IntervalM& s) {
    if (beyond_series(s.mig())) return lambda_decay_bound(d, s.mig());
    const long target = working_precision();
    IntervalM r;
    {
        PrecisionScope raised(target + cancellation_bits(s) + kGuardBits);
        const IntervalM z = -sqr(s) / 4;
        r = hyp0f1_series(d, z, target, false);
    }
    return round_out_to_working_precision(r);
}

IntervalM exp_series_at_point(int d, const IntervalM& s) {
    if (s.mag() > kMaxExpSeriesArgument)
        throw InputError("uniform-ball smoothing of an exponential: the argument |s| = " +
                         std::to_string(s.upper_double()) + " (weight times δ) is beyond " +
                         std::to_string(static_cast<long>(kMaxExpSeriesArgument)) +
                         ", where e^|s| leaves the supported range");
    const long target = working_precision();
    IntervalM r;
    {
        PrecisionScope raised(target + kGuardBits);
        const IntervalM z = sqr(s) / 4;
        r = hyp0f1_series(d, z, target, true);
    }
    return round_out_to_working_precision(r);
}

IntervalM point_of(const Mpfr& v) {
    return IntervalM(v, v);
}

// Λ_d over an interval: point series, or the mean-value form around the midpoint with the slope
// −S/(d+2)·Λ_{d+2}(S) enclosed recursively (|Λ| <= 1 at the last level).
IntervalM lambda_mean_value(int d, const IntervalM& s, int depth) {
    if (s.is_point()) return lambda_at_point(d, s);
    const IntervalM m = point_of(s.mid());
    const IntervalM next = depth > 0 ? lambda_mean_value(d + 2, s, depth - 1) : unit_interval();
    const IntervalM slope = -(s / (d + 2)) * next;
    const IntervalM r = lambda_at_point(d, m) + slope * (s - m);
    const std::optional<IntervalM> clipped = intersect(r, unit_interval());
    if (!clipped) throw InternalError("ball_characteristic: enclosure outside [-1, 1]");
    return *clipped;
}

// Splits S (at most `splits` times in each branch) until the crude slope bound sup|S|/(d+2)
// times the width is below 1/16, then uses the mean-value form on each piece.
IntervalM lambda_enclosure(int d, const IntervalM& s, int splits) {
    if (s.is_point() || beyond_series(s.mig())) return lambda_at_point(d, s);
    if (!s.is_finite()) return unit_interval();
    const bool wide = certainly_gt(s.width() * IntervalM(s.mag()) / (d + 2), 1.0 / 16);
    if (!wide || splits == 0) return lambda_mean_value(d, s, kMeanValueDepth);
    const Mpfr m = s.mid();
    return hull(lambda_enclosure(d, IntervalM(s.lower(), m), splits - 1),
                lambda_enclosure(d, IntervalM(m, s.upper()), splits - 1));
}

IntervalM exp_enclosure(int d, const IntervalM& s) {
    if (s.is_point()) return exp_series_at_point(d, s);
    if (!s.is_finite()) return hull(IntervalM(1), IntervalM::entire());
    // ₀F₁(; b; s²/4) is increasing in |s|.
    return hull(exp_series_at_point(d, point_of(s.mig())),
                exp_series_at_point(d, point_of(s.mag())));
}

template <class F>
IntervalD at_128_bits(F&& f, const IntervalD& s) {
    PrecisionScope scope(128);
    return to_double(f(to_mpfr(s)));
}

}  // namespace

IntervalM round_out_to_working_precision(const IntervalM& x) {
    const long p = working_precision();
    Mpfr lo = mpfr_with_precision(p);
    Mpfr hi = mpfr_with_precision(p);
    mpfr_set(raw(lo), raw(x.lower()), MPFR_RNDD);
    mpfr_set(raw(hi), raw(x.upper()), MPFR_RNDU);
    return IntervalM(lo, hi);
}

IntervalM ball_characteristic(int d, const IntervalM& s) {
    require_dimension("ball_characteristic", d);
    return lambda_enclosure(d, s, kMaxSplits);
}

IntervalM hyp0f1_ball_exp(int d, const IntervalM& s) {
    require_dimension("hyp0f1_ball_exp", d);
    return exp_enclosure(d, s);
}

IntervalM ball_characteristic_derivative(int d, const IntervalM& s) {
    require_dimension("ball_characteristic_derivative", d);
    return -(s / (d + 2)) * lambda_enclosure(d + 2, s, kMaxSplits);
}

IntervalM hyp0f1_ball_exp_derivative(int d, const IntervalM& s) {
    require_dimension("hyp0f1_ball_exp_derivative", d);
    return s / (d + 2) * exp_enclosure(d + 2, s);
}

IntervalD ball_characteristic(int d, const IntervalD& s) {
    return at_128_bits([d](const IntervalM& x) { return ball_characteristic(d, x); }, s);
}

IntervalD hyp0f1_ball_exp(int d, const IntervalD& s) {
    return at_128_bits([d](const IntervalM& x) { return hyp0f1_ball_exp(d, x); }, s);
}

IntervalD ball_characteristic_derivative(int d, const IntervalD& s) {
    return at_128_bits([d](const IntervalM& x) { return ball_characteristic_derivative(d, x); }, s);
}

IntervalD hyp0f1_ball_exp_derivative(int d, const IntervalD& s) {
    return at_128_bits([d](const IntervalM& x) { return hyp0f1_ball_exp_derivative(d, x); }, s);
}

}  // namespace gradcert
