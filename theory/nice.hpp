#pragma once
// The niceness definitions of docs/mathematics.md §4 as data, their sufficient condition and
// start-radius invariant, and the constants of Hazan et al.'s GradOpt (docs/mathematics.md §5). All
// quantities are interval functions; the checks that use them live in verify/.
#include <optional>
#include <string_view>
#include <vector>

#include "numerics/interval/interval.hpp"
#include "theory/schedule.hpp"

namespace gradcert::theory {

// σ-nice (Hazan et al.) [P]: for every δ > 0 some x*_δ ∈ argmin f̂_δ has
// ‖x*_δ − x*_{δ/2}‖ ≤ δ/2, and f̂_δ is σ-strongly convex on B(x*_δ; 3δ).
// new σ-nice [R]: for a schedule δ_1 > … > δ_M, δ_{m+1} = γ_m δ_m, γ_m ∈ [1/2, 1), there are
// global minimizers with (i) ‖x*_{δ_m} − x*_{δ_{m+1}}‖ ≤ R_m and (ii) f̂_{δ_m} σ-strongly convex
// on B(x*_{δ_m}; 3δ_m). σ_m-nice (v5/v6) [R]: as new σ-nice with a stage-dependent σ_m in (ii).
enum class Definition { sigma_nice, new_sigma_nice, sigma_m_nice };
// The uncertain centering radius of new σ-nice [R]: `next` R_m = δ_{m+1}; `gap`
// R_m = δ_m − δ_{m+1}. Both equal δ_m/2 when γ_m = 1/2 (Hazan's case). `both` asks for both
// readings at once (a family file's default): the centering condition holds under `both` iff it
// holds under `next` and under `gap`, and it fails iff it fails under either. It names two
// radii, so the functions below that need one radius (centering_radius, start_radius_factor,
// stage_conditions) take `next` or `gap` only; centering_variants expands `both`.
enum class Centering { next, gap, both };

std::string_view definition_name(Definition d);  // "sigma-nice", "new-sigma-nice", "sigma-m-nice"
std::string_view centering_name(Centering c);    // "next", "gap", "both"
// The single-radius readings a centering stands for: {c} for next/gap, {next, gap} for both.
std::vector<Centering> centering_variants(Centering c);
// Inverses of the names above, the one parser of each name (family files use them); throw
// gradcert::InputError "unknown definition|centering '<text>' (known: <the names>)".
Definition parse_definition(std::string_view text);
Centering parse_centering(std::string_view text);
// The definition's statement in one line, with its tag, for reports.
std::string_view definition_statement(Definition d);

// Hazan's centering radius δ/2 between x*_δ and x*_{δ/2} [P].
IntervalM hazan_centering_radius(const IntervalM& delta);
// R_m of new σ-nice [R]: δ_{m+1} (`next`) or δ_m − δ_{m+1} (`gap`); std::invalid_argument for
// `both`.
IntervalM centering_radius(Centering c, const IntervalM& delta_m, const IntervalM& delta_next);
// Radius of the ball on which f̂_δ must be σ-strongly convex: 3δ [P].
IntervalM convexity_radius(const IntervalM& delta);

// What definition `d` requires at stage m of a schedule (m = 1, …, deltas.size()):
//   σ-nice:        Hazan's pair (δ_m, δ_m/2) at every δ_m of the schedule: partner δ_m/2, radius
//   δ_m/2; new σ-nice, σ_m-nice: partner δ_{m+1}, radius R_m by `centering`; the last stage has no
//                  partner (no centering condition).
// sigma: the strong-convexity modulus required at stage m: empty vector = not fixed (to be
// certified), one value = the same σ for every stage (σ-nice, new σ-nice), deltas.size() values
// = σ_m (σ_m-nice only). Throws std::invalid_argument if the δ's are not strictly decreasing and
// positive, if sigma has a size the definition does not allow, or for Centering::both with a
// definition that has a centering radius (new σ-nice, σ_m-nice).
struct StageCondition {
    int stage;                           // m, from 1
    IntervalM delta;                     // δ_m
    std::optional<IntervalM> partner;    // δ the minimizer must stay close to (see above)
    std::optional<IntervalM> centering;  // radius of condition (i)
    IntervalM convexity_ball;            // 3δ_m, radius of condition (ii)
    std::optional<IntervalM> sigma;      // σ or σ_m, when fixed
};
std::vector<StageCondition> stage_conditions(Definition d, Centering centering,
                                             const std::vector<IntervalM>& deltas,
                                             const std::vector<IntervalM>& sigma = {});

// Sufficient condition for centering [D]: if x*_{δ_m} ∈ B(x*_{δ_{m+1}}; 3δ_{m+1}) and f̂_{δ_{m+1}}
// is σ-strongly convex there, then quadratic growth and |f̂_δ − f̂_δ'| ≤ |δ−δ'| L_f E‖u‖ give
//   ‖x*_{δ_m} − x*_{δ_{m+1}}‖ ≤ 2·sqrt(L_f E‖u‖ (δ_m − δ_{m+1}) / σ).
// Requires σ > 0 and δ_m ≥ δ_{m+1}.
IntervalM centering_shift_bound(const IntervalM& lipschitz, const IntervalM& mean_norm,
                                const IntervalM& delta_m, const IntervalM& delta_next,
                                const IntervalM& sigma);

// Start-radius invariant [D]: an inner solver ending within δ_m/4 of x*_{δ_m}, plus centering,
// starts stage m+1 inside B(x*_{δ_{m+1}}; ρ_m δ_{m+1}) with
//   ρ_m = 1/(4γ_m) + 1 (`next`),   ρ_m = (1/4 + 1 − γ_m)/γ_m (`gap`).
// Requires γ_m > 0 and a single-radius centering (std::invalid_argument otherwise).
IntervalM start_radius_factor(Centering c, const IntervalM& gamma);
// The limit 3/2: ρ_m ≤ 3/2 ⇔ γ_m ≥ 1/2 in both variants [D], so the start ball of radius
// ρ_m δ_{m+1} ≤ 1.5 δ_{m+1} and the inner domain B(x̄; 1.5δ_{m+1}) lie in B(x*; 3δ_{m+1}).
IntervalM start_radius_limit();
// The γ threshold 1/2 of the equivalence above.
IntervalM gamma_threshold();

// ---- Hazan et al.'s GradOpt [P structure, R constants] --------------------------------------
// δ_1 = diam(K)/2, δ_{m+1} = δ_m/2, M = log2(1/(α_0 ε)), stage m runs projected SGD with
// η_t = 1/(σt) and suffix averaging on f̂_{δ_m} over K ∩ B(x̄_m; 1.5δ_m) to accuracy
// ε_m = σδ_m²/32. Whether M is rounded up or down is not stated where we could check it: both
// are offered as named variants [R]. α_0 is an input (its formula is uncertain [R]).
enum class GradOptRounding { ceil, floor };
std::string_view gradopt_rounding_name(GradOptRounding r);  // "ceil", "floor"
struct GradOptSchedule {
    IntervalM delta1;               // diam(K)/2
    StageCount stages;              // M = ⌈log2(1/(α_0 ε))⌉ or ⌊…⌋, candidates [lo, hi]
    std::vector<IntervalM> deltas;  // δ_1, …, δ_M (M = stages.hi)
    std::vector<IntervalM> accuracies;    // ε_m = σ δ_m² / 32 [R]
    std::vector<IntervalM> domain_radii;  // 1.5 δ_m [P]
};
// Throws std::invalid_argument unless diam > 0, σ > 0 and α_0 ε ∈ (0, 1).
GradOptSchedule hazan_gradopt_schedule(const IntervalM& diameter, const IntervalM& alpha0,
                                       const IntervalM& epsilon, const IntervalM& sigma,
                                       GradOptRounding rounding);
// η_t = 1/(σ t), t ≥ 1 [P].
IntervalM hazan_inner_step(const IntervalM& sigma, long t);

}  // namespace gradcert::theory
