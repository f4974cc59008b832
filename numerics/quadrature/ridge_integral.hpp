#pragma once
// Verified one-dimensional integration for smoothed ridge terms:
//
//   E[g^{(k)}(z + s T)],  k = 0, 1, 2,  for every z ∈ Z and s ∈ S,
//
// with T ~ N(0, 1) (`standard_normal`) or T with density ∝ (1 − t²)^{(d−1)/2} on [−1, 1]
// (`ball_marginal`: the law of w·u/|w| for u uniform on the unit d-ball).
//
// Contract: each returned interval contains the exact expectation for every z ∈ Z, s ∈ S, given
// that g evaluated on a 1-D jet encloses (g, g', g'') over the jet's value interval and, for the
// Gaussian, that `growth` bounds |g^{(k)}| on the whole real line. The width shrinks as the number
// of subintervals and the working precision grow (down to the width caused by Z and S).
//
// Method. Ball: t = cos θ turns the integral into ∫_0^π g(z + s cos θ) sin^d θ dθ / B_d with
// B_d = ∫_0^π sin^d (exact up to π). Gaussian: [−L, L] plus a rigorous tail bound ∫_{|t|>L} from
// the growth bound (erfc through MPFR, no libm). On each subinterval X with centre m the ridge
// function is expanded in y around y_m = z + s c(m) (c(x) = x or cos x) with the derivatives the
// jet of g provides, and the weight W is integrated exactly against the powers (c(x) − c(m))^i
// (Gaussian: erfc and a recurrence; ball: trigonometric reduction formulas):
//   ∫_X g^{(j)}(y(x)) W(x) dx ∈ Σ_{i<n} g^{(j+i)}(y_m) s^i μ_i / i!  +  (s^n/n!) g''(Y(X)) μ_n,
//   n = 2 − j, μ_i = ∫_X (c(x) − c(m))^i W(x) dx,
// the last term by the mean-value theorem for integrals (on halves of X where the sign needs it,
// with a magnitude bound where the sign of W is not known). The remainder width is
// O(s^{n+1} r^{n+2}) per subinterval of radius r, so E[g] converges like s³h³, E[g'] like
// s²h² and E[g''] like s·h. For S > 0 integration by parts moves derivatives from g to the weight
// (Gaussian: E[g'(z+sT)] = E[g(z+sT) T]/s, E[g''] = E[g' T]/s = E[g (T² − 1)]/s²; ball: the
// analogous identities for (1 − t²)^{(d−1)/2}, with boundary terms for d = 1, 3), which raises
// the order for k = 1, 2; all variants are rigorous and the result is their intersection. The
// partition is refined adaptively where the remainder is widest (or uniformly). The computation
// runs at the working precision + 48 guard bits and is rounded outward to the working precision.
#include <array>
#include <functional>

#include "numerics/autodiff/jet.hpp"
#include "numerics/interval/interval.hpp"

namespace gradcert {

enum class RidgeLaw { standard_normal, ball_marginal };

// ball_marginal: density ∝ (1 − t²)^{(d−1)/2} on [−1, 1], d >= 1.
struct RidgeLawSpec {
    RidgeLaw law;
    int d = 1;
};

// Growth bound of the integrand for the Gaussian tail: |g^{(k)}(y)| <= (a + b|y|)·e^{c|y|} for all
// real y and k = 0, 1, 2 (c = 0: the linear bound a + b|y|). a, b, c >= 0.
struct GrowthBound {
    double a;
    double b;
    double c = 0;
};

struct RidgeQuadratureOptions {
    // Number of subintervals of the final partition of the integration variable.
    int subintervals = 64;
    // Refine where the remainder is widest (true) or use a uniform partition (false).
    bool adaptive = true;
    // Gaussian: integrate over [−L, L], L = gaussian_cutoff; 0 chooses L so that the tail bound
    // is below 2^-p (p the working precision). Must exceed c·sup S + 1.
    double gaussian_cutoff = 0;
};

// The same expectations with the bookkeeping of the computation, for diagnostics.
struct RidgeQuadratureResult {
    std::array<IntervalM, 3> values;  // E[g], E[g'], E[g'']
    double cutoff = 0;                // Gaussian L (0 for the ball)
    IntervalM tail;                   // enclosure of the Gaussian tail of E[g] (0 for the ball)
    int subintervals = 0;
};

using RidgeFunctionJet = std::function<Jet<IntervalM>(const Jet<IntervalM>&)>;

// Encloses (E[g(z + sT)], E[g'(z + sT)], E[g''(z + sT)]) for every z ∈ Z and s ∈ S, T ~ law; g is
// given on 1-D jets (value, g', g''). Throws InputError for d < 1, a negative or non-finite growth
// constant, subintervals < 1, or a cutoff too small for the growth bound.
std::array<IntervalM, 3> ridge_expectations(const RidgeFunctionJet& g, const IntervalM& Z,
                                            const IntervalM& S, RidgeLawSpec law,
                                            GrowthBound growth, RidgeQuadratureOptions opts = {});

RidgeQuadratureResult ridge_expectations_detailed(const RidgeFunctionJet& g, const IntervalM& Z,
                                                  const IntervalM& S, RidgeLawSpec law,
                                                  GrowthBound growth,
                                                  RidgeQuadratureOptions opts = {});

// Upper bound of ∫_{|t|>L} (A + B|t|)·P(|t|)·e^{λ|t|} φ(t) dt for the standard normal density φ,
// with P(t) = 1, t or t² + 1 (poly = 0, 1, 2); requires L > sup λ. Returned as [0, bound].
// (∫_M^∞ u^m φ(u) du in closed form with Q(M) = erfc(M/√2)/2.)
IntervalM gaussian_tail_bound(const IntervalM& A, const IntervalM& B, const IntervalM& lambda,
                              double L, int poly);

}  // namespace gradcert
