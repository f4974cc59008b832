#include "verify/family_check.hpp"

#include <fmt/format.h>

#include <chrono>
#include <stdexcept>

#include "numerics/expr/rational.hpp"
#include "numerics/util/error.hpp"
#include "numerics/util/stopwatch.hpp"
#include "theory/kernel.hpp"
#include "theory/kernel_laws.hpp"
#include "theory/nice.hpp"
#include "verify/stage_geometry.hpp"

namespace gradcert::verify {

namespace {

using Clock = std::chrono::steady_clock;

std::string point_text(const Eigen::VectorXd& p) {
    if (p.size() > 4)
        return fmt::format("({:.6g}, {:.6g}, … [{} coordinates])", p[0], p[1], p.size());
    std::string s = "(";
    for (Eigen::Index i = 0; i < p.size(); ++i) s += fmt::format("{}{:.9g}", i ? ", " : "", p[i]);
    return s + ")";
}

// Strong-convexity verdict of one cluster: σ given, or σ_m mode (σ_m > 0 must be certified).
// σ is the enclosure of its decimal text: `holds` needs the certified lower bound ≥ the upper end
// of σ, `fails` needs the witness's upper bound < the lower end (both exact comparisons), so a
// curvature closer to σ than σ's enclosure is wide is never decided.
Verdict cluster_convexity(const CurvatureResult& c, const std::optional<IntervalM>& sigma) {
    if (sigma ? certified_at_least(c.certified_lower, *sigma) : c.certified_lower > 0)
        return Verdict::holds;
    if (c.witness_quotient && (sigma ? witnessed_below(*c.witness_quotient, *sigma)
                                     : !(c.witness_quotient->upper() > 0)))  // σ_m mode: ≤ 0
        return Verdict::fails;
    return Verdict::inconclusive;
}

// σ for messages only (never for a decision).
std::string sigma_text(const std::optional<IntervalM>& sigma) {
    return sigma ? fmt::format("σ = {:g}", sigma->mid().convert_to<double>())
                 : std::string("some σ_m > 0");
}

// Over several candidate clusters: holds if all hold, fails if all fail.
Verdict over_clusters(const std::vector<Verdict>& v) {
    bool all_hold = true, all_fail = true;
    for (Verdict x : v) {
        all_hold = all_hold && x == Verdict::holds;
        all_fail = all_fail && x == Verdict::fails;
    }
    if (v.empty()) return Verdict::inconclusive;
    return all_hold ? Verdict::holds : all_fail ? Verdict::fails : Verdict::inconclusive;
}

Finding convexity_finding(const StageResult& s, const std::optional<IntervalM>& sigma) {
    std::vector<Verdict> v;
    for (const ClusterCurvature& c : s.curvature) v.push_back(c.verdict);
    Finding f{over_clusters(v), ""};
    const std::string what = sigma_text(sigma);
    if (f.verdict == Verdict::holds) {
        f.reason = fmt::format("λ_min(∇²f̂) ≥ {:.9g} on B(x*; 3δ), certified", s.certified_sigma);
    } else if (f.verdict == Verdict::fails) {
        const CurvatureResult& c = s.curvature.front().curvature;
        f.reason = fmt::format(
            "counterexample: at x = {} (within 3δ of x*), direction {}: vᵀ∇²f̂v/‖v‖² ≤ {:.9g}, "
            "below {}",
            point_text(c.witness_point), point_text(c.witness_direction), *c.witness_upper, what);
    } else {
        bool budget = false;
        for (const ClusterCurvature& c : s.curvature)
            budget = budget || c.curvature.budget_exhausted;
        f.reason = fmt::format(
            "certified λ_min ≥ {:.9g}{}; no certified counterexample below {}{}", s.certified_sigma,
            s.witness_sigma ? fmt::format(", best witness {:.9g}", *s.witness_sigma) : "", what,
            budget ? " (box budget exhausted)" : "");
        if (s.minimizers.clusters.size() > 1)
            f.reason +=
                fmt::format("; {} candidate minimizer clusters", s.minimizers.clusters.size());
    }
    return f;
}

CenteringCheck centering_between(CenteringVariant variant, const IntervalM& radius,
                                 const MinimizerResult& a, const MinimizerResult& b) {
    CenteringCheck c{variant, radius, IntervalM(0), {}};
    bool all_hold = true, all_fail = true, first = true;
    for (const MinimizerCluster& x : a.clusters)
        for (const MinimizerCluster& y : b.clusters) {
            IntervalM lo = min_distance(x.box, y.box), hi = max_distance(x.box, y.box);
            IntervalM span(lo.lower(), hi.upper());
            c.distance = first ? span : gradcert::hull(c.distance, span);
            first = false;
            all_hold = all_hold && certainly_le(hi, radius);
            all_fail = all_fail && certainly_gt(lo, radius);
        }
    if (first) all_hold = all_fail = false;
    c.finding.verdict = all_hold   ? Verdict::holds
                        : all_fail ? Verdict::fails
                                   : Verdict::inconclusive;
    const std::string d = fmt::format("‖x*_m − x*'‖ ∈ [{:.6g}, {:.6g}]", c.distance.lower_double(),
                                      c.distance.upper_double());
    const std::string r = fmt::format("R = {:.9g}", radius.mid().convert_to<double>());
    switch (c.finding.verdict) {
        case Verdict::holds:
            c.finding.reason = d + " ≤ " + r;
            break;
        case Verdict::fails:
            c.finding.reason = "counterexample: " + d + " > " + r;
            break;
        default:
            c.finding.reason = d + " is not separated from " + r;
    }
    return c;
}

// γ_m ∈ [1/2, 1): decided exactly from the decimals of the schedule when it was written as a
// list (so that halving, γ = 1/2, is not lost to rounding), else from the enclosure.
Finding gamma_finding(const FamilySpec& f, size_t m, const IntervalM& gamma) {
    const std::string text = to_string(gamma, 10);
    if (m + 1 < f.delta_texts.size()) {
        auto a = expr::parse_decimal(f.delta_texts[m]),
             b = expr::parse_decimal(f.delta_texts[m + 1]);
        if (a && b && *a > 0) {
            expr::Rational q = *b / *a;
            bool ok = q >= expr::Rational(1, 2) && q < 1;
            return {
                ok ? Verdict::holds : Verdict::fails,
                fmt::format("γ_m = {} (exact) {} [1/2, 1)", expr::to_string(q), ok ? "∈" : "∉")};
        }
    }
    // Polynomial schedule: γ_m = (k/(k+1))^p with k = M − m ≥ 1; for an exact p ∈ (0, 1],
    // γ_m ≥ k/(k+1) ≥ 1/2 and γ_m < 1 (docs/mathematics.md §5: min γ_m = 2^{−p} ≥ 1/2 ⇔ p ≤ 1).
    if (const auto& poly = f.polynomial_schedule; poly && poly->power.is_point() &&
                                                  certainly_positive(poly->power) &&
                                                  certainly_le(poly->power, 1.0))
        return {Verdict::holds,
                fmt::format("γ_m = {} ∈ [1/2, 1) (polynomial schedule with p ≤ 1)", text)};
    if (certainly_ge(gamma, 0.5) && certainly_lt(gamma, 1.0))
        return {Verdict::holds, fmt::format("γ_m = {} ∈ [1/2, 1)", text)};
    if (certainly_lt(gamma, 0.5) || certainly_ge(gamma, 1.0))
        return {Verdict::fails, fmt::format("γ_m = {} ∉ [1/2, 1)", text)};
    return {Verdict::inconclusive, fmt::format("γ_m = {} straddles 1/2", text)};
}

void check_curvature(StageGeometry& g, StageResult& s, const std::optional<IntervalM>& sigma) {
    s.certified_sigma = HUGE_VAL;
    for (const MinimizerCluster& cluster : s.minimizers.clusters) {
        ClusterCurvature cc;
        cc.curvature = g.curvature(s.delta, cluster.box, IntervalM(3) * s.delta, sigma);
        cc.verdict = cluster_convexity(cc.curvature, sigma);
        s.certified_sigma = std::min(s.certified_sigma, cc.curvature.certified_lower);
        if (cc.curvature.witness_upper &&
            (!s.witness_sigma || *cc.curvature.witness_upper < *s.witness_sigma))
            s.witness_sigma = cc.curvature.witness_upper;
        s.curvature.push_back(std::move(cc));
    }
    s.convexity = convexity_finding(s, sigma);
}

void add_stage_links(StageGeometry& g, const FamilySpec& f, const FamilyCheckResult& r,
                     StageResult& s, const StageResult* next) {
    if (f.definition == Definition::sigma_nice) {
        IntervalM half = s.delta / 2;
        s.half_minimizers = g.minimizers(half);
        s.centering.push_back(centering_between(CenteringVariant::half,
                                                theory::hazan_centering_radius(s.delta),
                                                s.minimizers, *s.half_minimizers));
        return;
    }
    if (!next) return;
    s.gamma = next->delta / s.delta;
    s.gamma_condition = gamma_finding(f, static_cast<size_t>(s.m - 1), *s.gamma);
    for (Centering c : theory::centering_variants(f.centering)) {
        const CenteringVariant v = centering_variant(c);
        IntervalM radius = theory::centering_radius(c, s.delta, next->delta);
        s.centering.push_back(centering_between(v, radius, s.minimizers, next->minimizers));
        s.start_radius.push_back({v, theory::start_radius_factor(c, *s.gamma)});
    }
    // σ's enclosure itself (σ_m mode: the certified lower bound of σ_{m+1}, a double taken
    // exactly); the bound decreases in σ, so the interval result encloses it for every σ.
    std::optional<IntervalM> sigma_for_bound;
    if (f.sigma) sigma_for_bound = *f.sigma;
    if (f.definition == Definition::sigma_m_nice && next->certified_sigma > 0)
        sigma_for_bound = IntervalM(next->certified_sigma);
    // E‖u‖ = ∞ (cauchy, stable α ≤ 1): no sufficient bound.
    if (sigma_for_bound && certainly_positive(*sigma_for_bound) && r.kernel_mean_norm.is_finite())
        s.sufficient_bound = theory::centering_shift_bound(r.lipschitz, r.kernel_mean_norm, s.delta,
                                                           next->delta, *sigma_for_bound);
}

Verdict stage_verdict(const StageResult& s) {
    std::vector<Verdict> parts{s.convexity.verdict};
    for (const CenteringCheck& c : s.centering) parts.push_back(c.finding.verdict);
    if (s.gamma_condition) parts.push_back(s.gamma_condition->verdict);
    return conjunction(parts);
}

}  // namespace

std::string_view centering_variant_name(CenteringVariant v) {
    switch (v) {
        case CenteringVariant::next:
            return "next";
        case CenteringVariant::gap:
            return "gap";
        case CenteringVariant::half:
            return "half";
    }
    throw InternalError("centering_variant_name: invalid variant");
}

CenteringVariant centering_variant(Centering c) {
    switch (c) {
        case Centering::next:
            return CenteringVariant::next;
        case Centering::gap:
            return CenteringVariant::gap;
        case Centering::both:
            break;
    }
    throw InternalError("centering_variant: `both` names two radii");
}

theory::Kernel family_kernel(const FamilySpec& f) {
    return spec_kernel(f);
}

CheckOptions check_options(const FamilySpec& family) {
    CheckOptions options;
    options.precision_bits = family.precision_bits;
    options.minimizer.max_boxes = static_cast<int>(family.max_boxes);
    return options;
}

FamilyCheckResult check_family(const FamilySpec& family, const CheckOptions& options) {
    const auto t0 = Clock::now();
    PrecisionScope precision(options.precision_bits);
    FamilyCheckResult r;
    r.family = family;
    r.precision_bits = options.precision_bits;
    theory::Kernel kernel = family_kernel(family);
    const int stages = static_cast<int>(family.deltas.size());
    int stage = 0;
    long boxes = 0;  // of the finished stages
    const auto report_progress = [&](long more_boxes) {
        if (options.progress) options.progress({stage, stages, boxes + more_boxes});
    };
    MinimizerOptions minimizer = options.minimizer;
    if (options.progress) minimizer.progress = [&](int b) { report_progress(b); };
    std::unique_ptr<StageGeometry> g = make_stage_geometry(
        family, kernel, minimizer, options.curvature, options.use_separability, options.lipschitz);
    r.method = g->method();
    r.lipschitz = g->lipschitz();
    r.kernel_mean_norm =
        theory::kernel_has_moment(kernel, 1)
            ? theory::kernel_mean_norm(kernel)
            : IntervalM(IntervalM(0).lower(), IntervalM::entire().upper());  // E‖u‖ = ∞

    std::optional<IntervalM> sigma;  // the enclosure, never rounded to a double
    if (family.definition != Definition::sigma_m_nice && family.sigma) sigma = *family.sigma;
    for (size_t m = 0; m < family.deltas.size(); ++m) {
        const auto ts = Clock::now();
        StageResult s;
        s.m = static_cast<int>(m) + 1;
        s.delta = family.deltas[m];
        stage = s.m;
        report_progress(0);
        s.minimizers = g->minimizers(s.delta);
        boxes += s.minimizers.boxes_processed;
        check_curvature(*g, s, sigma);
        s.seconds = seconds_since(ts);
        r.stages.push_back(std::move(s));
    }
    stage = stages + 1;
    report_progress(0);
    for (size_t m = 0; m < r.stages.size(); ++m) {
        const auto ts = Clock::now();
        StageResult* next = m + 1 < r.stages.size() ? &r.stages[m + 1] : nullptr;
        add_stage_links(*g, family, r, r.stages[m], next);
        r.stages[m].verdict = stage_verdict(r.stages[m]);
        r.stages[m].seconds += seconds_since(ts);
    }
    std::vector<Verdict> all;
    for (const StageResult& s : r.stages) all.push_back(s.verdict);
    r.overall = conjunction(all);
    r.seconds = seconds_since(t0);
    return r;
}

FamilyCheckResult check_family(const FamilySpec& family) {
    return check_family(family, check_options(family));
}

}  // namespace gradcert::verify
