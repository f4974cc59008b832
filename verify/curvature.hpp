#pragma once
// Certified strong-convexity on the union of balls B(x; r), x ∈ C (C a minimizer cluster box):
// a rigorous lower bound on λ_min(∇²f) there, and a rigorous counterexample when one exists.
#include <memory>
#include <optional>

#include "verify/box.hpp"
#include "verify/objective.hpp"

namespace gradcert::verify {

struct CurvatureTrace;  // verify/certificate.hpp

// The budgets and tolerances of the curvature search (docs/precision.md, "Budgets"). None affects
// soundness: certified_lower is a rigorous bound and a witness is certified whatever their
// values; they decide the work spent and so how tight the bound is.
struct CurvatureOptions {
    int max_boxes = 6000;  // boxes refined before certified_lower is reported as it stands
    // Once a certified witness already shows λ_min < σ, only this many boxes are refined (the
    // verdict is settled; the bound is for display). Default 64.
    int max_boxes_after_witness = 64;
    double relative_tolerance = 1e-6;  // stop splitting boxes narrower than this × region width
    double gap_tolerance = 1e-7;  // σ_m mode: stop when certified and witness bounds are this close
    // Witness candidates (floating-point proposals; each chosen one is certified rigorously):
    // a grid of 2·witness_grid_1d + 1 points in 1-D, of (2·witness_grid_2d + 1)² points cut to
    // the disc in 2-D, witness_random_points seeded points in the ball in higher dimensions
    // (seed witness_seed), plus the 2d axis points. Defaults 200, 40, 2000, 2024.
    int witness_grid_1d = 200;
    int witness_grid_2d = 40;
    int witness_random_points = 2000;
    unsigned long long witness_seed = 2024;
    int witnesses_certified = 3;  // candidates with the lowest estimated λ_min that are certified
    // Candidates stay within (witness radius − cluster extent)·(1 − witness_margin) of the
    // cluster's midpoint, so that they lie certainly within the radius. Default 1e-9.
    double witness_margin = 1e-9;
    bool record_certificate = false;  // fill CurvatureResult::trace (docs/certificate.md)
};

struct CurvatureResult {
    // For every x within distance r of C: λ_min(∇²f(x)) ≥ certified_lower (rigorous).
    double certified_lower = -HUGE_VAL;
    // A point within distance witness_radius of every point of C and a direction v with
    // vᵀ∇²f(p)v / vᵀv ≤ witness_upper (rigorous upper bound), when a witness was found.
    std::optional<double> witness_upper;  // rounded up to double: for display
    // The enclosure of that Rayleigh quotient at the working precision: verdicts compare its
    // upper end with σ (witnessed_below), so a counterexample 1e-20 below σ is not lost to the
    // rounding of witness_upper.
    std::optional<IntervalM> witness_quotient;
    Eigen::VectorXd witness_point;
    Eigen::VectorXd witness_direction;
    int boxes = 0;
    bool budget_exhausted = false;
    std::shared_ptr<const CurvatureTrace> trace;  // with options.record_certificate
};

// Exact comparisons of a double bound (±inf allowed) with σ's enclosure [σ_lo, σ_hi]: a certified
// lower bound proves λ_min ≥ σ only when it is ≥ σ_hi; a witness's upper bound proves λ_min < σ
// only when it is < σ_lo. σ is never rounded to a double for these decisions.
bool certified_at_least(double certified_lower, const IntervalM& sigma);
bool witnessed_below(const IntervalM& witness_quotient, const IntervalM& sigma);

// With `sigma` (σ's enclosure), refinement stops once every box is certified ≥ the upper end of
// σ (or a witness below its lower end exists);
// without it (σ_m mode), refinement targets the minimum until it is bracketed within the gap
// tolerance or the budget is spent. `witness_radius` (≤ r) bounds where witnesses may lie.
CurvatureResult certify_curvature(const Objective& f, const Box& center, const IntervalM& radius,
                                  const IntervalM& witness_radius,
                                  const std::optional<IntervalM>& sigma,
                                  const CurvatureOptions& options = {});

}  // namespace gradcert::verify
