#pragma once
// Sharpness probes at fixed weights: the top Hessian eigenvalue λ_max (power iteration on
// finite-difference Hessian-vector products), the Hessian trace (Hutchinson), Keskar et al.'s
// ε-sharpness and the adaptive ℓ∞ sharpness the paper measures (Kwon et al. 2021; Andriushchenko et
// al. 2023). All evaluate the training-mode loss on a fixed subset without updating batch-norm
// buffers, restore the parameters bit for bit, and are sampled estimates (not bounds).
#include <cstdint>
#include <span>

#include "numerics/engine/probe.hpp"

namespace gradcert::engine {

struct PowerIterationResult {
    double lambda_max = 0.0;       // Rayleigh quotient vᵀHv at the last iterate
    double relative_change = 0.0;  // |λ_last − λ_previous| / |λ_last| (convergence indicator)
    int iterations = 0;
    double fd_step = 0.0;  // h used in Hv ≈ (∇f(x + hv) − ∇f(x − hv)) / 2h, ‖v‖ = 1
};

// Top Hessian eigenvalue (largest in magnitude, with its sign) of the training-mode loss over
// `indices` by power iteration on central finite-difference Hessian-vector products, with
// h = fd_step·(1 + ‖x‖) and a start vector drawn from `key`. Parameters are restored exactly.
PowerIterationResult hessian_top_eigenvalue(Model& model, const Dataset& data,
                                            std::span<const int> indices, int chunk, int iterations,
                                            double fd_step, std::uint64_t key,
                                            BatchAssembler& batch);

struct HessianTraceResult {
    double trace = 0.0, lo = 0.0, hi = 0.0;  // mean of the samples vᵀHv, Student-t interval
    int samples = 0;
    double confidence = 0.95;
    double fd_step = 0.0;  // h of the central differences along v (‖h·v‖ = fd_step·(1 + ‖x‖))
};

// Hutchinson's estimate of tr H of the training-mode loss over `indices`, with the definition and
// defaults of gradcert_probe.hutchinson_trace (python/gradcert_probe/hessian.py, PyHessian's
// trace(): max_iter 100, tol 1e-3): Rademacher vectors v (from `key`), samples vᵀHv until the
// running mean m_k satisfies |m_k − m_{k−1}|/(|m_{k−1}| + 1e-6) < tol or max_iter samples (at
// least 2), a Student-t interval at `confidence` over the samples (valid for tol = 0, a fixed
// sample count; after the data-dependent early stop its coverage is not guaranteed). Hv is a central finite
// difference of gradients (as hessian_top_eigenvalue; the probe package uses exact products), so
// at kinks of ReLU / max-pool it measures a smoothed curvature. An estimate, never a bound.
// Parameters are restored exactly.
HessianTraceResult hessian_trace(Model& model, const Dataset& data, std::span<const int> indices,
                                 int chunk, int max_iter, double tol, double fd_step,
                                 double confidence, std::uint64_t key, BatchAssembler& batch);

struct SharpnessResult {
    double base_loss = 0.0;  // f(x)
    double max_loss = 0.0;   // the largest f(x + z) seen, z in the box
    double increase = 0.0;   // max_loss − base_loss
    double keskar = 0.0;     // 100·increase/(1 + base_loss) (Keskar et al. 2017)
    double epsilon = 0.0;
    int steps = 0;
};

// Keskar et al.'s ε-sharpness: max f(x + z) over the box |z_i| ≤ ε(|x_i| + 1), approximated from
// below by `steps` projected sign-gradient ascent steps of size half the box radius from z = 0
// (the best loss seen is kept). A lower estimate of the true maximum. Parameters are restored.
SharpnessResult epsilon_sharpness(Model& model, const Dataset& data, std::span<const int> indices,
                                  int chunk, double epsilon, int steps, BatchAssembler& batch);

// Adaptive ℓ∞ sharpness: max f(x + z) − f(x) over the box |z_i| ≤ ρ|x_i| (scale-invariant: the
// box follows each weight's magnitude; a zero weight is not perturbed), from below by the same
// projected sign-gradient ascent as epsilon_sharpness, over the whole index set at once. The
// measure is `increase`; `epsilon` holds ρ and `keskar` is 100·increase/(1 + f(x)) for
// comparison. Parameters are restored.
SharpnessResult adaptive_sharpness(Model& model, const Dataset& data, std::span<const int> indices,
                                   int chunk, double rho, int steps, BatchAssembler& batch);

}  // namespace gradcert::engine
