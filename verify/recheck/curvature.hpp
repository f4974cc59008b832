#pragma once
// The CURVATURE block of one cluster (docs/certificate.md): the bound tree over the cluster box
// inflated by 3δ (every `bound` leaf by the checker's own λ_min test, every `far` leaf by
// distance), certified_lower against the leaves, and the witness of a `fails` claim.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "verify/recheck/family.hpp"

namespace gradcert::recheck {

// Confirms the block's claim and returns it. `sigma` empty: σ_m mode (holds needs λ_min > 0,
// fails needs a Rayleigh quotient ≤ 0). Throws Unconfirmed or Malformed.
Verdict check_curvature(const nlohmann::json& block, const Box& cluster, const Smoothed& f,
                        const Ball& delta, const std::optional<Ball>& sigma, bool separable,
                        const std::string& where);

}  // namespace gradcert::recheck
