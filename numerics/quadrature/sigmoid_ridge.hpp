#pragma once
// Fast verified Gaussian smoothing of the sigmoid-type ridge functions softplus and tanh:
//
//   F_k(z) = E[g^{(k)}(z + sT)],  k = 0, 1, 2,  T ~ N(0, 1),  for every z ∈ Z and s ∈ S,
//
// in double-endpoint interval arithmetic (IntervalD: directed rounding, transcendental functions
// through MPFR at 53 bits, never libm), with every box-independent quantity precomputed once per
// (g, S): a fixed partition of the t-axis, the exact Gaussian moments of each piece and the
// factors e^{−s·m} at the piece centres. The box enters only through Z.
//
// Contract: each returned interval contains F_k(z) for every z ∈ Z and every s ∈ S (S ≥ 0).
//
// Method. Both functions have derivatives that are polynomials in one bounded monotone function
// p: softplus' = p = σ (sigmoid) with p' = p(1 − p); tanh = p with p' = 1 − p². So
// g^{(j)}(y) = Q_j(p(y)) with Q_{j+1} = Q_j'·p' (exact integer coefficients), and
// |g^{(j)}| ≤ M_j = sup |Q_j| over p's range, bounded rigorously once by subdivision. On a piece
// P = [a, b] with centre m and y_m = z + s·m, Taylor's theorem with an even order n gives
//   ∫_P g^{(k)}(z + st) φ(t) dt ∈ Σ_{i<n} g^{(k+i)}(y_m) s^i μ_i / i!  +  [−M_{k+n}, M_{k+n}] s^n
//   μ_n / n!,
// μ_i = ∫_P (t − m)^i φ(t) dt (μ_n ≥ 0 as n is even: the mean-value theorem for integrals). The
// μ_i are computed at 256 bits from erfc and the recurrence of the Gaussian moments, then rounded
// outward. p(y_m) = 1/(1 + e^{−z}·e^{−sm}) (tanh: 2/(1 + e^{−2z}·e^{−2sm}) − 1) costs one product
// per piece once e^{−z} is known, and every variable occurs once, so a wide Z costs no
// overestimation there; softplus itself is log(1 + e^{y_m}). Outside [−L, L] the growth bounds
// |softplus^{(k)}(y)| ≤ 1 + |y|, |tanh^{(k)}| ≤ 1 give the tail
//   2(A·Q(L) + B·φ(L)),  A = 1 + |z| (tanh: 1), B = s (tanh: 0),  Q(L) = erfc(L/√2)/2.
// Pieces have width h(t) = h_0·e^{t²/(2(n+1))} (h_0 = spread_per_piece / sup S for softplus, half
// that for tanh, whose derivatives grow twice as fast; at most 2), so the
// remainder, ∝ (s·h)^n·φ(m)·h, is spread evenly; L ≥ 9 (tail below 1e−17·(A + B)).
// Accuracy for a thin Z at the defaults (order 10, s·h_0 = 0.5), measured for s ≤ 1.6: widths
// 1e−15..1e−12 for E[g], up to 2e−11 (softplus) / 3e−10 (tanh) for E[g''], against 1e−7..1e−5
// for ridge_expectations with 64 pieces at 128 bits; it does not improve with the MPFR working
// precision. Cost: 30..300 µs per call (8..30 pieces), against ~75 ms.
#include <array>
#include <optional>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert {

enum class SigmoidRidge { softplus, tanh };

struct SigmoidRidgeOptions {
    // Taylor order n of each piece (even, 2..12).
    int order = 10;
    // s·h_0: the width of the central pieces in units of the ridge argument (softplus; tanh uses
    // half of it).
    double spread_per_piece = 0.5;
};

class GaussianSigmoidRidge {
  public:
    // Throws InputError unless S is finite and certainly >= 0 and the options are valid.
    GaussianSigmoidRidge(SigmoidRidge g, const IntervalM& S, SigmoidRidgeOptions options = {});

    // Enclosures of (F_0, F_1, F_2) over Z, or nothing when Z is not within [−max_argument,
    // max_argument] or an exponential of the rule, e^{±(z + s·t)} for |t| ≤ cutoff (tanh:
    // e^{±2(z + s·t)}), could leave [e^{−max_exponent}, e^{max_exponent}] (double overflow or
    // underflow): use the MPFR quadrature instead.
    std::optional<std::array<IntervalD, 3>> expectations(const IntervalD& Z) const;

    static constexpr double max_argument = 200;
    static constexpr double max_exponent = 600;
    int pieces() const { return static_cast<int>(pieces_.size()); }
    double cutoff() const { return cutoff_; }

  private:
    struct Piece {
        IntervalD growth;                // e^{−s·m} (tanh: e^{−2s·m}) over s ∈ S
        std::vector<IntervalD> weights;  // s^i μ_i / i!, i < n
        IntervalD remainder;             // s^n μ_n / n! (>= 0)
    };
    std::array<IntervalD, 3> zero_spread(const IntervalD& Z) const;
    // Q_j over p (exact range up to rounding for j <= 3, Horner above) ∩ [−M_j, M_j].
    IntervalD derivative(int j, const IntervalD& p) const;

    SigmoidRidge g_;
    IntervalD S_;
    int order_;
    bool zero_spread_;
    double cutoff_ = 0;
    std::vector<std::vector<double>> q_;            // Q_j coefficients (index = power), j = 0..n+2
    std::vector<IntervalD> bound_;                  // [−M_j, M_j]
    std::vector<std::vector<IntervalD>> critical_;  // critical points of Q_j, j <= 3
    std::vector<Piece> pieces_;
    IntervalD tail_q_, tail_phi_;  // Q(L), φ(L)
};

}  // namespace gradcert
