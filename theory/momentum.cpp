#include "theory/momentum.hpp"

#include <stdexcept>

#include "numerics/util/error.hpp"
#include "theory/exact.hpp"

namespace gradcert::theory {

namespace {

void require_momentum_inputs(const IntervalM& batch, const IntervalM& beta, const char* what) {
    if (!certainly_positive(batch))
        throw InternalError(std::string(what) + ": batch size must be positive");
    if (!certainly_ge(beta, IntervalM(0)) || !certainly_lt(beta, IntervalM(1)))
        throw InternalError(std::string(what) + ": beta must lie in [0, 1)");
}

}  // namespace

IntervalM shb_beta_hat(const IntervalM& beta) {
    if (!certainly_lt(beta, IntervalM(1))) throw InternalError("shb_beta_hat: beta must be < 1");
    return beta * (sqr(beta) - beta + 1) / sqr(IntervalM(1) - beta);
}

IntervalM shb_smoothing_degree(const IntervalM& eta, const IntervalM& noise_variance,
                               const IntervalM& batch, const IntervalM& beta,
                               const IntervalM& grad_bound) {
    require_momentum_inputs(batch, beta, "shb_smoothing_degree");
    const IntervalM per_batch = noise_variance / batch;
    return eta * sqrt(per_batch + shb_beta_hat(beta) * (per_batch + sqr(grad_bound)));
}

IntervalM nshb_smoothing_degree(const IntervalM& eta, const IntervalM& noise_variance,
                                const IntervalM& batch, const IntervalM& beta,
                                const IntervalM& grad_bound) {
    require_momentum_inputs(batch, beta, "nshb_smoothing_degree");
    const IntervalM per_batch = noise_variance / batch;
    return eta * sqrt(per_batch + 4 * sqr(beta) * (per_batch + sqr(grad_bound)));
}

IntervalM shb_lr_batch_poly_next_lr(const IntervalM& gamma, const IntervalM& eta,
                                    const IntervalM& batch, const IntervalM& next_batch,
                                    const IntervalM& noise_variance, const IntervalM& beta,
                                    const IntervalM& grad_bound) {
    return gamma * shb_smoothing_degree(eta, noise_variance, batch, beta, grad_bound) /
           shb_smoothing_degree(IntervalM(1), noise_variance, next_batch, beta, grad_bound);
}

IntervalM nshb_lr_batch_poly_next_lr(const IntervalM& gamma, const IntervalM& eta,
                                     const IntervalM& batch, const IntervalM& next_batch) {
    if (!certainly_positive(batch) || !certainly_positive(next_batch))
        throw InternalError("nshb_lr_batch_poly_next_lr: batch sizes must be positive");
    return gamma * eta * sqrt(next_batch / batch);
}

std::vector<ReportedNoiseConstants> reported_noise_constants() {
    const auto entry = [](const char* model, const char* opt, const char* c2, const char* k) {
        return ReportedNoiseConstants{model, opt, c2, k, decimal(c2), decimal(k)};
    };
    return {entry("ResNet-18", "SHB", "25.318", "1.77"), entry("ResNet-18", "NSHB", "128", "4.5"),
            entry("WRN-28-10", "SHB", "0.79", "1.66"), entry("WRN-28-10", "NSHB", "1", "4.262")};
}

}  // namespace gradcert::theory
