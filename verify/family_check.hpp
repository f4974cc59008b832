#pragma once
// `gradcert check`: per-stage certificates of a family's σ-nice conditions (docs/mathematics.md
// §4).
//
// For each stage δ_m of the family's schedule: an enclosure of every global minimizer of f̂_{δ_m}
// on the domain; a certified lower bound on λ_min(∇²f̂_{δ_m}) on B(x*; 3δ_m) and the
// strong-convexity verdict for σ (or the certified σ_m); the centering distance to the next
// stage against R_m for each variant; the derived quantities (L_f, the sufficient-condition
// bound, the start-radius invariant ρ_m). Verdicts are three-valued (verdict.hpp).
//
// Several candidate minimizer clusters: a condition holds when it holds for every cluster
// (each may hold the global minimizer) and fails when it fails for every cluster.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "theory/kernel.hpp"
#include "verify/curvature.hpp"
#include "verify/family_file.hpp"
#include "verify/global_minimizer.hpp"
#include "verify/lipschitz.hpp"
#include "verify/verdict.hpp"

namespace gradcert::verify {

// The radius one centering check compares against: the single-radius readings of new σ-nice
// (theory::Centering `next`, R_m = δ_{m+1}, and `gap`, R_m = δ_m − δ_{m+1}) or Hazan's δ_m/2 of
// σ-nice (`half`).
enum class CenteringVariant { next, gap, half };
std::string_view centering_variant_name(CenteringVariant v);  // "next", "gap", "half"
// The variant of a single-radius theory::Centering (next or gap); std::logic_error for `both`.
CenteringVariant centering_variant(Centering c);

struct CenteringCheck {
    CenteringVariant variant = CenteringVariant::next;
    IntervalM radius;    // R_m
    IntervalM distance;  // [min, max] of ‖x*_m − x*'‖ over candidate clusters
    Finding finding;
};

struct ClusterCurvature {
    CurvatureResult curvature;
    Verdict verdict = Verdict::inconclusive;
};

struct StageResult {
    int m = 0;  // 1-based stage index
    IntervalM delta;
    MinimizerResult minimizers;
    std::vector<ClusterCurvature> curvature;  // one per minimizer cluster
    double certified_sigma = -HUGE_VAL;       // min over clusters of the certified λ_min bound
    std::optional<double> witness_sigma;      // smallest certified counterexample curvature
    Finding convexity;
    std::optional<MinimizerResult> half_minimizers;  // sigma-nice: minimizers of f̂_{δ_m/2}
    std::vector<CenteringCheck> centering;           // empty for the last stage of new σ-nice
    std::optional<IntervalM> gamma;                  // δ_{m+1}/δ_m
    std::optional<Finding> gamma_condition;          // new σ-nice: γ_m ∈ [1/2, 1)
    std::optional<IntervalM> sufficient_bound;       // 2√(L_f E‖u‖(δ_m − δ_{m+1})/σ)
    std::vector<std::pair<CenteringVariant, IntervalM>> start_radius;  // ρ_m per variant
    Verdict verdict = Verdict::inconclusive;
    double seconds = 0;
};

// Where check_family is: stage m of M (1-based; M + 1 while the stages are linked), boxes
// processed by the branch and bound so far.
struct CheckProgress {
    int stage = 0;
    int stages = 0;
    long boxes = 0;
};

struct CheckOptions {
    // Called before each stage and before the stages are linked (gradcert check prints it to
    // stderr after a few seconds). Empty: no calls.
    std::function<void(const CheckProgress&)> progress;
    MinimizerOptions minimizer;
    CurvatureOptions curvature;
    LipschitzOptions lipschitz;
    bool use_separability = true;  // solve separable families one coordinate at a time
    long precision_bits = 128;     // MPFR working precision of every enclosure
};

// The options a family's check runs with: its precision_bits and max_boxes as load_family settled
// them (command line over file over default, docs/precision.md), everything else defaulted.
CheckOptions check_options(const FamilySpec& family);

struct FamilyCheckResult {
    FamilySpec family;
    std::string method;          // "branch and bound in d dimensions" or "separable: …"
    IntervalM lipschitz;         // max ‖∇f‖ on the domain (unsmoothed f)
    IntervalM kernel_mean_norm;  // E‖u‖
    std::vector<StageResult> stages;
    Verdict overall = Verdict::inconclusive;
    double seconds = 0;
    long precision_bits = 0;
};

FamilyCheckResult check_family(const FamilySpec& family, const CheckOptions& options);
// With check_options(family): the precision and budget rule of docs/precision.md.
FamilyCheckResult check_family(const FamilySpec& family);

// The smoothing kernel a family names, in the family's dimension.
theory::Kernel family_kernel(const FamilySpec& family);

}  // namespace gradcert::verify
