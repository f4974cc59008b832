#include "verify/claims/explicit_go_claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "verify/claims/power.hpp"
#include "verify/claims/stability.hpp"
#include "verify/empirical/statistics.hpp"

namespace gradcert::verify::go {

namespace {

constexpr const char* kName = "explicit_go";

constexpr double kZOneSided05 = 1.644854;

double median_or_nan(const std::vector<double>& v) {
    return v.empty() ? std::nan("") : verify::quantile(v, 0.5);
}

std::string sci(double v) {
    return std::isnan(v) ? std::string("—") : fmt::format("{:.3g}", v);
}

}  // namespace

int reached_count(const std::vector<Trajectory>& runs) {
    return static_cast<int>(
        std::count_if(runs.begin(), runs.end(), [](const Trajectory& t) { return t.reached; }));
}

double final_median(const std::vector<Trajectory>& runs, std::vector<double> Trajectory::*field) {
    return verify::go::median_by_stage(runs, field).back();
}

// Median final distance over the starts that reached the target (NaN if none did).
double median_reached_distance(const std::vector<Trajectory>& runs) {
    std::vector<double> d;
    for (const auto& t : runs)
        if (t.reached) d.push_back(t.distance.back());
    return median_or_nan(d);
}

// Median over GO's starts of the final distance to the last stage's certified minimizer x*_{δ_M}.
double median_final_target_distance(const GoFamilyResult& f) {
    std::vector<double> d;
    for (const auto& t : f.run.go) d.push_back(f.final_target.distance(t.final_point));
    return median_or_nan(d);
}

namespace {

ClaimFinding beats_gd_finding(const ExplicitGoResult& r) {
    ClaimFinding f{"go-beats-gd", Evidence::inconclusive, ""};
    if (r.families.empty()) {
        f.evidence = Evidence::not_testable;
        f.summary = "no families configured";
        return f;
    }
    std::vector<std::string> parts, closer, worse;
    bool any_better = false, any_worse = false, aaai_better = false, aaai_present = false;
    for (const auto& fam : r.families) {
        const int n = static_cast<int>(fam.run.go.size());
        const int a = reached_count(fam.run.go), b = reached_count(fam.run.gd);
        const double p_go = fisher_one_sided(a, b, n), p_gd = fisher_one_sided(b, a, n);
        std::string part = fmt::format("{} GO {}/{} vs GD {}/{} (Fisher p = {})", fam.spec.name, a,
                                       n, b, n, sci(a > b ? p_go : p_gd));
        if (!fam.run.gd_schedule.empty())
            part +=
                fmt::format(", GD with GO's steps {}/{}", reached_count(fam.run.gd_schedule), n);
        parts.push_back(part);
        if (a > b && p_go < 0.05) any_better = true;
        if (b > a && p_gd < 0.05) {
            any_worse = true;
            worse.push_back(fam.spec.name);
        }
        if (a > 0 && b > 0)
            closer.push_back(fmt::format("{} {} vs {}", fam.spec.name,
                                         sci(median_reached_distance(fam.run.go)),
                                         sci(median_reached_distance(fam.run.gd))));
        if (fam.spec.name == "rastrigin-50d") {
            aaai_present = true;
            aaai_better = a > b && p_go < 0.05;
        }
    }
    // The claim is about the AAAI benchmark: when it is configured, it decides; the other
    // families are reported beside it (GO is not better everywhere). Without it, a family where
    // GD is significantly better contradicts, and one where GO is significantly better supports.
    if (aaai_present) {
        if (aaai_better)
            f.evidence = Evidence::supported;
        else if (any_worse)
            f.evidence = Evidence::contradicted;
    } else if (any_worse) {
        f.evidence = Evidence::contradicted;
    } else if (any_better) {
        f.evidence = Evidence::supported;
    }
    const GoFamilyResult* deciding = &r.families.front();
    for (const auto& fam : r.families)
        if (fam.spec.name == "rastrigin-50d") deciding = &fam;
    {
        const int n = static_cast<int>(deciding->run.go.size());
        const double pbar = std::clamp(
            (reached_count(deciding->run.go) + reached_count(deciding->run.gd)) / (2.0 * n),
            0.5 / n, 1.0 - 0.5 / n);
        f.power = power_text(std::sqrt(2 * pbar * (1 - pbar) / n), kZOneSided05, n, "starts",
                             "the difference in success fraction on " + deciding->spec.name +
                                 " (normal approximation to Fisher's test)",
                             nullptr);
    }
    f.summary =
        "starts reaching the certified global minimizer's neighbourhood (max-norm < "
        "success_radius), same starts, same ∇f calls: " +
        fmt::format("{}", fmt::join(parts, "; ")) + "; one-sided Fisher exact test at 0.05";
    if (any_worse)
        f.summary += "; NOT universal: plain GD is significantly better on " +
                     fmt::format("{}", fmt::join(worse, ", ")) +
                     (aaai_present ? " (the verdict is the AAAI benchmark's)" : "");
    if (!closer.empty())
        f.summary +=
            "; where GD also reaches x*, median final distance of the successful starts (GO vs "
            "GD): " +
            fmt::format("{}", fmt::join(closer, ", ")) +
            " (GO stops at δ_M > 0, with sampled gradients)";
    return f;
}

ClaimFinding rate_finding(const ExplicitGoResult& r) {
    ClaimFinding f{"go-rate", Evidence::inconclusive, ""};
    // "Reaches x*" is judged only where the configured last stage allows it: if the last
    // stage's certified minimizer x*_{δ_M} is itself outside the success radius of x*, even an
    // exact inner solver would fail at this M (the rate's constants are unknown), so that family
    // is named but does not count.
    std::vector<std::string> parts, excluded, failed;
    bool all_reach = true;
    for (const auto& fam : r.families) {
        const double frac = verify::go::fraction_reached(fam.run.go);
        const double bias = fam.target.max_norm_distance(fam.final_target.centers.front());
        if (bias >= fam.spec.settings.success_radius) {
            excluded.push_back(fmt::format("{} (x*_δM is {} from x* in max-norm at δ_M = {})",
                                           fam.spec.name, sci(bias),
                                           sci(fam.spec.settings.deltas.back())));
        } else if (frac < 0.9) {
            all_reach = false;
            failed.push_back(fmt::format(
                "{}: x*_δM is {} from x* but GO's median distance to x*_δM is {}, so its inner "
                "solver did not track x*_δ",
                fam.spec.name, sci(fam.target.distance(fam.final_target.centers.front())),
                sci(median_final_target_distance(fam))));
        }
        parts.push_back(fmt::format("{} {:.0f}%", fam.spec.name, 100 * frac));
    }
    std::string reach = "GO reached x* from: " + fmt::format("{}", fmt::join(parts, ", "));
    if (!failed.empty()) reach += " (failures: " + fmt::format("{}", fmt::join(failed, "; ")) + ")";
    if (!excluded.empty())
        reach += " (not counted, the configured M stops too early for any solver: " +
                 fmt::format("{}", fmt::join(excluded, "; ")) + ")";
    if (!r.sweep) {
        f.summary = reach + "; no power sweep configured, the rate is not tested";
        return f;
    }
    bool within = true, violated = false;
    std::vector<std::string> slopes;
    for (const auto& fit : r.sweep->fits) {
        const double allowed = -fit.power + 2 * fit.gap.stderr_ + 0.05;
        if (fit.gap.slope > allowed) within = false;
        if (fit.gap.slope > -fit.power + 3 * fit.gap.stderr_ + 0.1) violated = true;
        slopes.push_back(fmt::format("p = {}: {:.2f} ± {:.2f} (certified exact-solver gap {:.2f})",
                                     fit.power, fit.gap.slope, fit.gap.stderr_,
                                     fit.ideal_gap.slope));
    }
    double max_se = 0.0;
    for (const auto& fit : r.sweep->fits) max_se = std::max(max_se, fit.gap.stderr_);
    f.power = power_text(max_se, 2.0, r.sweep->fits.empty() ? 0 : r.sweep->fits.front().gap.points,
                         "swept M", "the excess of a fitted gap slope over −p", nullptr);
    if (violated)
        f.evidence = Evidence::contradicted;
    else if (within && all_reach)
        f.evidence = Evidence::supported;
    f.summary = reach + "; " + r.sweep->spec.family.name +
                " log-log slope of the median final gap against M, proven bound O(M^−p): " +
                fmt::format("{}", fmt::join(slopes, "; ")) +
                ". Every slope is at or below −p, so the data do not contradict M = O(ε^−1/p); "
                "they are much steeper (≈ −4p) because f is smooth (x*_δ − x* = O(δ²)), so this "
                "tests the bound, not its tightness";
    return f;
}

std::vector<ToleranceCheck> tolerance_checks(const ExplicitGoResult& r) {
    std::vector<ToleranceCheck> out;
    for (const auto& fam : r.families) {
        const int n = static_cast<int>(fam.run.go.size());
        const double band = 2.0 / n;
        const std::string why = fmt::format(
            "deterministic given the seed; 2 of {} starts may flip on another machine (libm "
            "differences in sampled or chaotic paths)",
            n);
        out.push_back(
            {fam.spec.name + ".go_reached", verify::go::fraction_reached(fam.run.go), band, why});
        out.push_back(
            {fam.spec.name + ".gd_reached", verify::go::fraction_reached(fam.run.gd), band, why});
        if (!fam.run.gd_schedule.empty())
            out.push_back({fam.spec.name + ".gd_schedule_reached",
                           verify::go::fraction_reached(fam.run.gd_schedule), band, why});
        const double d = final_median(fam.run.go, &Trajectory::distance);
        out.push_back({fam.spec.name + ".log10_go_median_final_distance",
                       std::log10(std::max(d, 1e-300)), 0.3,
                       "median over starts of a contracting iteration; a factor 2 covers "
                       "floating-point and libm differences in the sampled gradients"});
    }
    if (r.sweep)
        for (const auto& fit : r.sweep->fits) {
            out.push_back({fmt::format("sweep.gap_slope_p{}", fit.power), fit.gap.slope, 0.1,
                           "closed-form gradients, no sampling: only floating-point differences; "
                           "0.1 is far below the margin to the bound −p"});
            out.push_back({fmt::format("sweep.distance_slope_p{}", fit.power), fit.distance.slope,
                           0.1, "as the gap slope"});
        }
    return out;
}

// The starts units[k] of every family (index modulo the family's number of starts; repeats
// allowed), GO and both GD baselines resampled together (they share their starts).
ExplicitGoResult resample_starts(const ExplicitGoResult& r, std::span<const int> units) {
    ExplicitGoResult out;
    out.config = r.config;
    out.sweep = r.sweep;
    for (const auto& fam : r.families) {
        GoFamilyResult g;
        g.spec = fam.spec;
        g.method = fam.method;
        g.target = fam.target;
        g.final_target = fam.final_target;
        const std::size_t n = fam.run.go.size();
        for (int i : units) {
            const std::size_t k = static_cast<std::size_t>(i) % std::max<std::size_t>(n, 1);
            if (k < fam.run.go.size()) g.run.go.push_back(fam.run.go[k]);
            if (k < fam.run.gd.size()) g.run.gd.push_back(fam.run.gd[k]);
            if (k < fam.run.gd_schedule.size()) g.run.gd_schedule.push_back(fam.run.gd_schedule[k]);
        }
        out.families.push_back(std::move(g));
    }
    return out;
}

}  // namespace

ExperimentOutcome explicit_go_outcome(const ExplicitGoResult& r) {
    ExperimentOutcome o;
    o.name = kName;
    o.title = "Experiment 4: explicit graduated optimization against its proven rate";
    o.findings = {rate_finding(r), beats_gd_finding(r)};
    std::size_t starts = 0;
    for (const auto& f : r.families) starts = std::max(starts, f.run.go.size());
    assess_stability(
        o.findings, static_cast<int>(starts), "starts", [&](std::span<const int> units) {
            const ExplicitGoResult s = resample_starts(r, units);
            return std::vector<Evidence>{rate_finding(s).evidence, beats_gd_finding(s).evidence};
        });
    o.checks = tolerance_checks(r);
    o.wall_seconds = r.seconds;
    std::vector<std::string> parts;
    for (const auto& f : r.families) {
        const int n = static_cast<int>(f.run.go.size());
        parts.push_back(fmt::format("{} GO {}/{} vs GD {}/{}", f.spec.name, reached_count(f.run.go),
                                    n, reached_count(f.run.gd), n));
    }
    o.one_line = "starts reaching the certified global minimizer: " +
                 fmt::format("{}", fmt::join(parts, ", "));
    if (r.sweep) {
        std::vector<std::string> slopes;
        for (const auto& fit : r.sweep->fits)
            slopes.push_back(fmt::format("{:.2f} (p={})", fit.gap.slope, fit.power));
        o.one_line += "; final-gap slope vs M " + fmt::format("{}", fmt::join(slopes, ", ")) +
                      " (proven ≤ −p)";
    }
    o.scale = fmt::format(
        "{} mode: {} starts per family, S = {} Monte-Carlo samples, seed {}; AAAI setting "
        "rastrigin-50d as in igo-aaai25 ego.py (which runs one start; the paper's benchmark table "
        "is not reproduced)",
        r.config.mode, r.config.starts, r.config.samples, r.config.seed);
    return o;
}

}  // namespace gradcert::verify::go
