#include "verify/go/explicit_go_experiment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "numerics/util/stopwatch.hpp"
#include "theory/kernel.hpp"
#include "theory/schedule.hpp"
#include "verify/box.hpp"
#include "verify/family_check.hpp"
#include "verify/stage_geometry.hpp"

namespace gradcert::verify::go {

namespace {

std::vector<std::pair<double, double>> start_box(const FamilySpec& f) {
    std::vector<std::pair<double, double>> out;
    for (const auto& [lo, hi] : f.domain)
        out.emplace_back(static_cast<double>(lo.mid()), static_cast<double>(hi.mid()));
    return out;
}

// Encloses f(x) − min f for every x in the target's clusters: the hull of the clusters' value
// enclosures (endpoints widened outward to doubles) minus the enclosure of min f.
IntervalM gap_enclosure(const Objective& f, const CertifiedTarget& at, const IntervalM& min_f) {
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (const Box& b : at.boxes) {
        const IntervalM v = f.value(b);
        lo = std::min(lo, v.lower_double());
        hi = std::max(hi, v.upper_double());
    }
    return IntervalM(IntervalM(lo).lower(), IntervalM(hi).upper()) - min_f;
}

}  // namespace

SlopeFit fit_log_log(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> lx, ly;
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
        if (x[i] > 0 && y[i] > 0 && std::isfinite(y[i])) {
            lx.push_back(std::log(x[i]));
            ly.push_back(std::log(y[i]));
        }
    SlopeFit fit;
    fit.points = static_cast<int>(lx.size());
    if (fit.points < 2) return fit;
    const double n = fit.points;
    double mx = 0, my = 0;
    for (int i = 0; i < fit.points; ++i) mx += lx[i] / n, my += ly[i] / n;
    double sxx = 0, sxy = 0;
    for (int i = 0; i < fit.points; ++i) {
        sxx += (lx[i] - mx) * (lx[i] - mx);
        sxy += (lx[i] - mx) * (ly[i] - my);
    }
    fit.slope = sxy / sxx;
    if (fit.points > 2) {
        double sse = 0;
        for (int i = 0; i < fit.points; ++i) {
            const double r = ly[i] - (my + fit.slope * (lx[i] - mx));
            sse += r * r;
        }
        fit.stderr_ = std::sqrt(sse / (n - 2) / sxx);
    }
    return fit;
}

GoFamilyResult run_family(const GoRunSpec& spec, int threads) {
    GoFamilyResult out;
    out.spec = spec;
    const auto t0 = std::chrono::steady_clock::now();
    TargetCertifier certifier(spec.family);
    out.method = certifier.method();
    out.target = certifier.at(IntervalM(0));
    if (spec.stage_targets)
        for (double d : spec.settings.deltas) out.stage_targets.push_back(certifier.at(d));
    out.final_target =
        spec.stage_targets ? out.stage_targets.back() : certifier.at(spec.settings.deltas.back());
    out.lipschitz = certifier.lipschitz();
    out.kernel_mean_norm = theory::kernel_mean_norm(certifier.kernel());
    out.certify_seconds = seconds_since(t0);
    GoSettings settings = spec.settings;
    settings.threads = threads;
    out.run = run_explicit_go(spec.family.decomposition, certifier.kernel(), start_box(spec.family),
                              out.target, settings, out.stage_targets);
    return out;
}

SweepResult run_sweep(const GoSweepSpec& spec, int threads) {
    SweepResult out;
    out.spec = spec;
    const auto t0 = std::chrono::steady_clock::now();
    TargetCertifier certifier(spec.family);
    out.target = certifier.at(IntervalM(0));
    const Objective f =
        smoothed_objective(spec.family.decomposition, certifier.kernel(), IntervalM(0));
    const auto box = start_box(spec.family);
    for (double p : spec.powers) {
        SweepFit fit;
        fit.power = p;
        std::vector<double> ms, dist, gap, ideal;
        for (int M : spec.stages) {
            GoSettings s = spec.base;
            s.threads = threads;
            s.deltas = polynomial_deltas(spec.delta1, M, p);
            const GoRunResult run =
                run_explicit_go(spec.family.decomposition, certifier.kernel(), box, out.target, s);
            SweepPoint pt;
            pt.power = p;
            pt.stages = M;
            pt.delta_last = s.deltas.back();
            pt.calls = run.calls.back();
            pt.work_count = theory::work_count(M, IntervalM::from_string(fmt::format("{}", p)));
            pt.median_distance = median_by_stage(run.go, &Trajectory::distance).back();
            pt.median_gap = median_by_stage(run.go, &Trajectory::gap).back();
            pt.gap_q10 = quantile_by_stage(run.go, &Trajectory::gap, 0.1).back();
            pt.gap_q90 = quantile_by_stage(run.go, &Trajectory::gap, 0.9).back();
            pt.go_reached = fraction_reached(run.go);
            pt.ideal = certifier.at(pt.delta_last);
            // Certified: f(x) − min f for every x in the clusters holding x*_{δ_M}.
            pt.ideal_gap = gap_enclosure(f, pt.ideal, out.target.min_value);
            pt.ideal_distance = out.target.distance(pt.ideal.centers.front());
            out.points.push_back(pt);
            ms.push_back(M);
            dist.push_back(pt.median_distance);
            gap.push_back(pt.median_gap);
            ideal.push_back(pt.ideal_gap.upper_double());
        }
        fit.distance = fit_log_log(ms, dist);
        fit.gap = fit_log_log(ms, gap);
        fit.ideal_gap = fit_log_log(ms, ideal);
        out.fits.push_back(fit);
    }
    out.seconds = seconds_since(t0);
    return out;
}

ExplicitGoResult run_explicit_go_experiment(const ExplicitGoConfig& config, int threads) {
    ExplicitGoResult out;
    out.config = config;
    out.threads = threads;
    const auto t0 = std::chrono::steady_clock::now();
    for (const GoRunSpec& spec : config.runs) out.families.push_back(run_family(spec, threads));
    if (config.sweep) out.sweep = run_sweep(*config.sweep, threads);
    out.seconds = seconds_since(t0);
    return out;
}

}  // namespace gradcert::verify::go
