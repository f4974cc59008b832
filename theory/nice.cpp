#include "theory/nice.hpp"

#include <stdexcept>
#include <string>

#include "numerics/util/error.hpp"
#include "theory/exact.hpp"

namespace gradcert::theory {

std::string_view definition_name(Definition d) {
    switch (d) {
        case Definition::sigma_nice:
            return "sigma-nice";
        case Definition::new_sigma_nice:
            return "new-sigma-nice";
        case Definition::sigma_m_nice:
            return "sigma-m-nice";
    }
    throw InternalError("definition_name: invalid definition");
}

std::string_view centering_name(Centering c) {
    switch (c) {
        case Centering::next:
            return "next";
        case Centering::gap:
            return "gap";
        case Centering::both:
            return "both";
    }
    throw InternalError("centering_name: invalid centering");
}

std::vector<Centering> centering_variants(Centering c) {
    if (c == Centering::both) return {Centering::next, Centering::gap};
    return {c};
}

Definition parse_definition(std::string_view text) {
    for (Definition d :
         {Definition::sigma_nice, Definition::new_sigma_nice, Definition::sigma_m_nice})
        if (definition_name(d) == text) return d;
    throw InputError("unknown definition '" + std::string(text) +
                     "' (known: sigma-nice, new-sigma-nice, sigma-m-nice)");
}

Centering parse_centering(std::string_view text) {
    for (Centering c : {Centering::next, Centering::gap, Centering::both})
        if (centering_name(c) == text) return c;
    throw InputError("unknown centering '" + std::string(text) + "' (known: next, gap, both)");
}

std::string_view definition_statement(Definition d) {
    switch (d) {
        case Definition::sigma_nice:
            return "[P] for every delta > 0 some minimizer x*_delta of f_delta has "
                   "|x*_delta - x*_{delta/2}| <= delta/2, and f_delta is sigma-strongly convex "
                   "on B(x*_delta; 3 delta)";
        case Definition::new_sigma_nice:
            return "[R] for every stage m, global minimizers with |x*_{delta_m} - "
                   "x*_{delta_{m+1}}| <= R_m (next: delta_{m+1}; gap: delta_m - delta_{m+1}), "
                   "and f_{delta_m} sigma-strongly convex on B(x*_{delta_m}; 3 delta_m)";
        case Definition::sigma_m_nice:
            return "[R] as new sigma-nice, with a stage-dependent modulus sigma_m in the "
                   "strong convexity condition";
    }
    throw InternalError("definition_statement: invalid definition");
}

IntervalM hazan_centering_radius(const IntervalM& delta) {
    return delta / 2;
}

IntervalM centering_radius(Centering c, const IntervalM& delta_m, const IntervalM& delta_next) {
    switch (c) {
        case Centering::next:
            return delta_next;
        case Centering::gap:
            return delta_m - delta_next;
        case Centering::both:
            throw InternalError("centering_radius: 'both' names two radii (next, gap)");
    }
    throw InternalError("centering_radius: invalid centering");
}

IntervalM convexity_radius(const IntervalM& delta) {
    return 3 * delta;
}

namespace {

void require_decreasing_positive(const std::vector<IntervalM>& deltas) {
    if (deltas.empty()) throw InternalError("stage_conditions: empty schedule");
    for (std::size_t i = 0; i < deltas.size(); ++i) {
        if (!certainly_positive(deltas[i]))
            throw InternalError("stage_conditions: delta_" + std::to_string(i + 1) +
                                " is not certainly positive");
        if (i > 0 && !certainly_lt(deltas[i], deltas[i - 1]))
            throw InternalError("stage_conditions: deltas not strictly decreasing at " +
                                std::to_string(i + 1));
    }
}

std::optional<IntervalM> stage_sigma(Definition d, const std::vector<IntervalM>& sigma,
                                     std::size_t stages, std::size_t i) {
    if (sigma.empty()) return std::nullopt;
    if (sigma.size() == 1) return sigma[0];
    if (d == Definition::sigma_m_nice && sigma.size() == stages) return sigma[i];
    throw InternalError(
        "stage_conditions: sigma must be empty, one value, or one value per stage (sigma-m-nice)");
}

}  // namespace

std::vector<StageCondition> stage_conditions(Definition d, Centering centering,
                                             const std::vector<IntervalM>& deltas,
                                             const std::vector<IntervalM>& sigma) {
    require_decreasing_positive(deltas);
    if (d != Definition::sigma_nice && centering == Centering::both)
        throw InternalError("stage_conditions: 'both' names two radii (next, gap)");
    std::vector<StageCondition> out;
    out.reserve(deltas.size());
    for (std::size_t i = 0; i < deltas.size(); ++i) {
        StageCondition s{static_cast<int>(i + 1),
                         deltas[i],
                         std::nullopt,
                         std::nullopt,
                         convexity_radius(deltas[i]),
                         stage_sigma(d, sigma, deltas.size(), i)};
        if (d == Definition::sigma_nice) {
            s.partner = deltas[i] / 2;
            s.centering = hazan_centering_radius(deltas[i]);
        } else if (i + 1 < deltas.size()) {
            s.partner = deltas[i + 1];
            s.centering = centering_radius(centering, deltas[i], deltas[i + 1]);
        }
        out.push_back(std::move(s));
    }
    return out;
}

IntervalM centering_shift_bound(const IntervalM& lipschitz, const IntervalM& mean_norm,
                                const IntervalM& delta_m, const IntervalM& delta_next,
                                const IntervalM& sigma) {
    if (!certainly_positive(sigma))
        throw InternalError("centering_shift_bound: sigma must be positive");
    const IntervalM gap = max(delta_m - delta_next, IntervalM(0));
    if (certainly_lt(delta_m, delta_next))
        throw InternalError("centering_shift_bound: need delta_m >= delta_{m+1}");
    return 2 * sqrt(lipschitz * mean_norm * gap / sigma);
}

IntervalM start_radius_factor(Centering c, const IntervalM& gamma) {
    if (!certainly_positive(gamma))
        throw InternalError("start_radius_factor: gamma must be positive");
    const IntervalM quarter = IntervalM(1) / 4;
    switch (c) {
        case Centering::next:
            return quarter / gamma + 1;
        case Centering::gap:
            return (quarter + 1 - gamma) / gamma;
        case Centering::both:
            throw InternalError("start_radius_factor: 'both' names two radii (next, gap)");
    }
    throw InternalError("start_radius_factor: invalid centering");
}

IntervalM start_radius_limit() {
    return IntervalM(3) / IntervalM(2);
}

IntervalM gamma_threshold() {
    return IntervalM(1) / IntervalM(2);
}

std::string_view gradopt_rounding_name(GradOptRounding r) {
    switch (r) {
        case GradOptRounding::ceil:
            return "ceil";
        case GradOptRounding::floor:
            return "floor";
    }
    throw InternalError("gradopt_rounding_name: invalid rounding");
}

namespace {

// ⌈log2 x⌉ (smallest M with 2^M ≥ x) or ⌊log2 x⌋ (largest M with 2^M ≤ x) for x > 1, as the
// candidates left after exact power-of-two tests.
StageCount log2_rounded(const IntervalM& x, GradOptRounding rounding) {
    const IntervalM l = log(x) / IntervalM::ln2();
    const bool up = rounding == GradOptRounding::ceil;
    long lo = (up ? ceil(l.lower()) : floor(l.lower())).convert_to<long>();
    long hi = (up ? ceil(l.upper()) : floor(l.upper())).convert_to<long>();
    const auto power = [](long k) { return pow(IntervalM(2), static_cast<int>(k)); };
    if (up) {
        while (lo < hi && certainly_lt(power(lo), x)) ++lo;
        while (hi > lo && certainly_ge(power(hi - 1), x)) --hi;
    } else {
        while (lo < hi && certainly_le(power(lo + 1), x)) ++lo;
        while (hi > lo && certainly_gt(power(hi), x)) --hi;
    }
    return {lo, hi};
}

}  // namespace

GradOptSchedule hazan_gradopt_schedule(const IntervalM& diameter, const IntervalM& alpha0,
                                       const IntervalM& epsilon, const IntervalM& sigma,
                                       GradOptRounding rounding) {
    if (!certainly_positive(diameter) || !certainly_positive(sigma))
        throw InternalError("hazan_gradopt_schedule: diameter and sigma must be > 0");
    const IntervalM product = alpha0 * epsilon;
    if (!certainly_positive(product) || !certainly_lt(product, IntervalM(1)))
        throw InternalError("hazan_gradopt_schedule: need 0 < alpha0*eps < 1");
    GradOptSchedule s{diameter / 2, log2_rounded(IntervalM(1) / product, rounding), {}, {}, {}};
    IntervalM delta = s.delta1;
    for (long m = 1; m <= s.stages.hi; ++m) {
        s.deltas.push_back(delta);
        s.accuracies.push_back(sigma * sqr(delta) / 32);
        s.domain_radii.push_back(IntervalM(3) / IntervalM(2) * delta);
        delta = delta / 2;
    }
    return s;
}

IntervalM hazan_inner_step(const IntervalM& sigma, long t) {
    if (t < 1) throw InternalError("hazan_inner_step: t must be >= 1");
    if (!certainly_positive(sigma)) throw InternalError("hazan_inner_step: sigma must be positive");
    return IntervalM(1) / (sigma * exact_integer(t));
}

}  // namespace gradcert::theory
