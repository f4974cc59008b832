#include "verify/go/explicit_go.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>

#include "numerics/util/error.hpp"
#include "numerics/util/stopwatch.hpp"
#include "theory/schedule.hpp"
#include "verify/empirical/statistics.hpp"
#include "verify/go/fast_function.hpp"
#include "verify/go/kernel_sampler.hpp"

namespace gradcert::verify::go {

namespace {

void require(bool ok, const std::string& what) {
    if (!ok) throw InternalError("explicit GO settings: " + what);
}

// The per-run state shared (read-only) by all starts.
struct Problem {
    const CertifiedTarget& target;
    const std::vector<CertifiedTarget>& stage_targets;
    const GoSettings& settings;
    const theory::Kernel& kernel;
    FastFunction f;
    std::vector<FastFunction> smoothed;  // closed form per stage (empty for Monte Carlo)
    double min_value;
};

void record(const Problem& p, const FastFunction& f, const Eigen::VectorXd& x, Trajectory& t) {
    t.distance.push_back(p.target.distance(x));
    t.max_distance.push_back(p.target.max_norm_distance(x));
    t.gap.push_back(f.value(x) - p.min_value);
}

void finish(const Problem& p, const Eigen::VectorXd& x, Trajectory& t) {
    t.final_point = x;
    t.reached = t.max_distance.back() < p.settings.success_radius;
}

Trajectory run_go(const Problem& p, const Eigen::VectorXd& start, std::uint64_t mc_seed) {
    const GoSettings& s = p.settings;
    KernelSampler sampler(p.kernel, mc_seed);
    Trajectory t;
    Eigen::VectorXd x = start, g(x.size()), acc(x.size()), u, shifted;
    record(p, p.f, x, t);
    for (int m = 1; m <= static_cast<int>(s.deltas.size()); ++m) {
        const double delta = s.deltas[m - 1];
        const double eta = stage_step(s, m);
        for (int step = 0; step < s.steps_per_stage; ++step) {
            if (s.gradient == GradientMode::closed_form) {
                p.smoothed[m - 1].gradient(x, g);
            } else {
                acc.setZero();
                for (int k = 0; k < s.samples; ++k) {
                    sampler.sample(u);
                    shifted = x - delta * u;
                    p.f.gradient(shifted, g);
                    acc += g;
                }
                g = acc / s.samples;
            }
            x -= eta * g;
        }
        record(p, p.f, x, t);
        if (!p.stage_targets.empty())
            t.stage_distance.push_back(p.stage_targets[m - 1].distance(x));
    }
    finish(p, x, t);
    return t;
}

// Plain GD on f between GO's stage ends (cumulative calls); during GO's stage m the step is
// `follow_schedule ? η_m : gd_step`.
Trajectory run_gd(const Problem& p, const Eigen::VectorXd& start, const std::vector<long>& calls,
                  bool follow_schedule) {
    Trajectory t;
    Eigen::VectorXd x = start, g(x.size());
    record(p, p.f, x, t);
    long done = 0;
    for (std::size_t m = 1; m < calls.size(); ++m) {
        const double eta =
            follow_schedule ? stage_step(p.settings, static_cast<int>(m)) : gd_step(p.settings);
        for (; done < calls[m]; ++done) {
            p.f.gradient(x, g);
            x -= eta * g;
        }
        record(p, p.f, x, t);
    }
    finish(p, x, t);
    return t;
}

Eigen::VectorXd uniform_start(const std::vector<std::pair<double, double>>& domain,
                              std::uint64_t seed, const theory::Kernel& kernel) {
    KernelSampler rng(kernel, seed);
    Eigen::VectorXd x(static_cast<Eigen::Index>(domain.size()));
    for (std::size_t i = 0; i < domain.size(); ++i)
        x[static_cast<Eigen::Index>(i)] =
            domain[i].first + (domain[i].second - domain[i].first) * rng.uniform();
    return x;
}

}  // namespace

void validate(const GoSettings& s) {
    require(!s.deltas.empty(), "the schedule has no stages");
    for (std::size_t m = 0; m < s.deltas.size(); ++m) {
        require(std::isfinite(s.deltas[m]) && s.deltas[m] > 0, "delta must be finite and > 0");
        if (m > 0) require(s.deltas[m] < s.deltas[m - 1], "deltas must decrease strictly");
    }
    require(s.steps_per_stage >= 1, "steps per stage must be >= 1");
    require(s.starts >= 1, "starts must be >= 1");
    require(s.gradient == GradientMode::closed_form || s.samples >= 1, "samples must be >= 1");
    if (s.step_rule == StepRule::proportional)
        require(std::isfinite(s.l0) && s.l0 > 0, "l0 must be finite and > 0");
    else
        require(std::isfinite(s.fixed_step) && s.fixed_step > 0, "step must be finite and > 0");
    if (s.gd_step) require(std::isfinite(*s.gd_step) && *s.gd_step > 0, "gd_step must be > 0");
    require(s.success_radius > 0, "success_radius must be > 0");
}

double stage_step(const GoSettings& s, int m) {
    return s.step_rule == StepRule::proportional ? s.l0 * s.deltas[m - 1] : s.fixed_step;
}

double gd_step(const GoSettings& s) {
    return s.gd_step ? *s.gd_step : stage_step(s, static_cast<int>(s.deltas.size()));
}

long calls_per_step(const GoSettings& s) {
    return s.gradient == GradientMode::monte_carlo ? s.samples : 1;
}

GoRunResult run_explicit_go(const expr::Decomposition& f, const theory::Kernel& kernel,
                            const std::vector<std::pair<double, double>>& domain,
                            const CertifiedTarget& target, const GoSettings& settings,
                            const std::vector<CertifiedTarget>& stage_targets) {
    validate(settings);
    if (static_cast<int>(domain.size()) != f.dim)
        throw InternalError("explicit GO: domain dimension differs from f");
    if (!stage_targets.empty() && stage_targets.size() != settings.deltas.size())
        throw InternalError("explicit GO: one stage target per stage required");
    const auto t0 = std::chrono::steady_clock::now();
    Problem p{target,
              stage_targets,
              settings,
              kernel,
              FastFunction(f),
              {},
              static_cast<double>(target.min_value.mid())};
    if (settings.gradient == GradientMode::closed_form)
        for (double d : settings.deltas) p.smoothed.push_back(FastFunction::smoothed(f, kernel, d));

    GoRunResult out;
    out.settings = settings;
    out.calls.push_back(0);
    for (int m = 1; m <= static_cast<int>(settings.deltas.size()); ++m) {
        out.steps.push_back(stage_step(settings, m));
        out.calls.push_back(out.calls.back() + settings.steps_per_stage * calls_per_step(settings));
    }
    const int n = settings.starts;
    for (int i = 0; i < n; ++i)
        out.starts.push_back(uniform_start(domain, stream_seed(settings.seed, 2 * i), kernel));
    out.go.resize(n);
    out.gd.resize(n);
    if (settings.gd_schedule_baseline) out.gd_schedule.resize(n);

    std::atomic<int> next{0};
    auto worker = [&] {
        for (int i = next++; i < n; i = next++) {
            out.go[i] = run_go(p, out.starts[i], stream_seed(settings.seed, 2 * i + 1));
            out.gd[i] = run_gd(p, out.starts[i], out.calls, false);
            if (settings.gd_schedule_baseline)
                out.gd_schedule[i] = run_gd(p, out.starts[i], out.calls, true);
        }
    };
    const int threads = std::max(1, std::min(settings.threads, n));
    std::vector<std::thread> pool;
    for (int k = 1; k < threads; ++k) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    out.seconds = seconds_since(t0);
    return out;
}

double fraction_reached(const std::vector<Trajectory>& runs) {
    if (runs.empty()) return 0.0;
    long k = std::count_if(runs.begin(), runs.end(), [](const Trajectory& t) { return t.reached; });
    return static_cast<double>(k) / static_cast<double>(runs.size());
}

std::vector<double> quantile_by_stage(const std::vector<Trajectory>& runs,
                                      std::vector<double> Trajectory::*field, double q) {
    std::vector<double> out;
    if (runs.empty()) return out;
    const std::size_t len = (runs.front().*field).size();
    for (std::size_t m = 0; m < len; ++m) {
        std::vector<double> col;
        for (const auto& t : runs) col.push_back((t.*field)[m]);
        out.push_back(verify::quantile(col, q));
    }
    return out;
}

std::vector<double> median_by_stage(const std::vector<Trajectory>& runs,
                                    std::vector<double> Trajectory::*field) {
    return quantile_by_stage(runs, field, 0.5);
}

std::vector<double> polynomial_deltas(double delta1, int stages, double power) {
    if (stages < 1 || !(delta1 > 0) || !(power > 0))
        throw InternalError("polynomial schedule needs delta1 > 0, stages >= 1, power > 0");
    const IntervalM p = IntervalM::from_string(fmt::format("{}", power));
    std::vector<double> out;
    for (int m = 1; m <= stages; ++m)
        out.push_back(delta1 * static_cast<double>(theory::poly_delta_ratio(stages, m, p).mid()));
    return out;
}

}  // namespace gradcert::verify::go
