#pragma once
// Smoothing degree of SGD with momentum (docs/mathematics.md §3, the AAAI paper and its code
// igo-aaai25). The code's constant named C is the variance C²; K bounds ‖∇f‖. All enclosures are
// rigorous.
#include <string>
#include <vector>

#include "numerics/interval/interval.hpp"

namespace gradcert::theory {

// β̂ = β(β² − β + 1)/(1 − β)² [P]. Requires β < 1 (certainly).
IntervalM shb_beta_hat(const IntervalM& beta);

// Stochastic heavy ball: δ = η·sqrt(C²/b + β̂(C²/b + K²)) [P]. Reduces to ηC/√b at β = 0.
IntervalM shb_smoothing_degree(const IntervalM& eta, const IntervalM& noise_variance,
                               const IntervalM& batch, const IntervalM& beta,
                               const IntervalM& grad_bound);

// Normalized stochastic heavy ball: δ = η·sqrt(C²/b + 4β²(C²/b + K²)) [P]. Reduces to ηC/√b
// at β = 0.
IntervalM nshb_smoothing_degree(const IntervalM& eta, const IntervalM& noise_variance,
                                const IntervalM& batch, const IntervalM& beta,
                                const IntervalM& grad_bound);

// The code's lr-batch-poly rules (β fixed) [P]: the learning rate of the next stage given the
// old (η, b), the new b and γ_m.
//   SHB:  η' = γ·δ_SHB(η, b) / δ_SHB(1, b'), so δ_SHB(η', b') = γ·δ_SHB(η, b) exactly;
//   NSHB: η' = γ·η·sqrt(b'/b), the SGD rule. It makes δ_NSHB shrink by exactly γ only when
//         β = 0 or K = 0: with b' > b the ratio δ_NSHB(η', b')/δ_NSHB(η, b) exceeds γ [D].
IntervalM shb_lr_batch_poly_next_lr(const IntervalM& gamma, const IntervalM& eta,
                                    const IntervalM& batch, const IntervalM& next_batch,
                                    const IntervalM& noise_variance, const IntervalM& beta,
                                    const IntervalM& grad_bound);
IntervalM nshb_lr_batch_poly_next_lr(const IntervalM& gamma, const IntervalM& eta,
                                     const IntervalM& batch, const IntervalM& next_batch);

// A pair (C², K) reported by the paper/code for one model and optimizer [P]; the decimal texts
// are kept so that reports can quote them exactly as printed.
struct ReportedNoiseConstants {
    std::string model;            // "ResNet-18" or "WRN-28-10" (CIFAR-100)
    std::string optimizer;        // "SHB" or "NSHB"
    std::string variance_text;    // C² as printed
    std::string grad_bound_text;  // K as printed
    IntervalM noise_variance;     // enclosure of C²
    IntervalM grad_bound;         // enclosure of K
};
// ResNet-18 SHB (25.318, 1.77), NSHB (128, 4.5); WRN-28-10 SHB (0.79, 1.66), NSHB (1, 4.262).
std::vector<ReportedNoiseConstants> reported_noise_constants();

}  // namespace gradcert::theory
