// Explicit graduated optimization: closed forms against theory::SmoothedFunction, Monte-Carlo
// gradients against closed forms, convergence on a convex quadratic, GO versus plain GD on 1-D
// Rastrigin, determinism under the seed, and config errors.
#include "verify/go/explicit_go.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "numerics/util/error.hpp"
#include "theory/smoothed_function.hpp"
#include "verify/family_check.hpp"
#include "verify/family_file.hpp"
#include "verify/go/fast_function.hpp"
#include "verify/go/go_config.hpp"
#include "verify/go/go_target.hpp"
#include "verify/go/kernel_sampler.hpp"

namespace fs = std::filesystem;
using namespace gradcert;
using namespace gradcert::verify;
using namespace gradcert::verify::go;

namespace {

FamilySpec family(const std::string& name) {
    return load_family(fs::path(GRADCERT_SOURCE_DIR) / "verify" / "families" / (name + ".toml"),
                       {});
}

std::vector<std::pair<double, double>> start_box(const FamilySpec& f) {
    std::vector<std::pair<double, double>> out;
    for (const auto& [lo, hi] : f.domain)
        out.emplace_back(static_cast<double>(lo.mid()), static_cast<double>(hi.mid()));
    return out;
}

GoSettings rastrigin_settings(GradientMode mode) {
    GoSettings s;
    s.deltas = polynomial_deltas(1.0, 30, 1.0);
    s.steps_per_stage = 20;
    s.step_rule = StepRule::proportional;
    s.l0 = 0.01;
    s.gradient = mode;
    s.samples = 50;
    s.starts = 12;
    s.seed = 7;
    s.success_radius = 0.5;
    s.gd_schedule_baseline = true;
    return s;
}

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() /
                 ("gradcert-explicit-go-" + name + "-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

}  // namespace

TEST_CASE("FastFunction matches the expression and theory's smoothed estimates", "[go]") {
    for (const std::string name : {"double-well-tilted", "cos-quadratic-2d", "griewank-2d",
                                   "rastrigin-1d-ball", "quadratic-2d"}) {
        INFO(name);
        const FamilySpec f = family(name);
        const theory::Kernel kernel = family_kernel(f);
        const FastFunction plain(f.decomposition);
        KernelSampler rng(kernel, 3);
        for (int trial = 0; trial < 5; ++trial) {
            Eigen::VectorXd x(f.dim);
            for (int i = 0; i < f.dim; ++i) x[i] = 4 * rng.uniform() - 2;
            const double v = expr::evaluate<double>(f.decomposition,
                                                    std::span<const double>(x.data(), x.size()));
            CHECK(plain.value(x) == Approx(v).epsilon(1e-12).margin(1e-12));
            // Gradient against central differences.
            const Eigen::VectorXd g = plain.gradient(x);
            for (int i = 0; i < f.dim; ++i) {
                Eigen::VectorXd a = x, b = x;
                a[i] += 1e-6;
                b[i] -= 1e-6;
                CHECK(g[i] ==
                      Approx((plain.value(a) - plain.value(b)) / 2e-6).epsilon(1e-5).margin(1e-5));
            }
            for (double delta : {0.05, 0.3, 1.0}) {
                const theory::SmoothedFunction sf(f.decomposition, kernel, IntervalM(delta));
                const FastFunction fast = FastFunction::smoothed(f.decomposition, kernel, delta);
                CHECK(fast.value(x) == Approx(sf.value_estimate(x)).epsilon(1e-11).margin(1e-11));
                const Eigen::VectorXd gs = sf.gradient_estimate(x), gf = fast.gradient(x);
                for (int i = 0; i < f.dim; ++i)
                    CHECK(gf[i] == Approx(gs[i]).epsilon(1e-11).margin(1e-11));
            }
        }
    }
}

TEST_CASE("the Monte-Carlo smoothed gradient agrees with the closed form within its error",
          "[go]") {
    for (const std::string name :
         {"rastrigin-1d-gaussian", "rastrigin-1d-ball", "cos-quadratic-2d"}) {
        INFO(name);
        const FamilySpec f = family(name);
        const theory::Kernel kernel = family_kernel(f);
        const FastFunction plain(f.decomposition);
        const double delta = 0.2;
        const FastFunction smooth = FastFunction::smoothed(f.decomposition, kernel, delta);
        Eigen::VectorXd x = Eigen::VectorXd::Constant(f.dim, 0.37);
        const int n = 40000;
        KernelSampler sampler(kernel, 11);
        Eigen::VectorXd u, g, sum = Eigen::VectorXd::Zero(f.dim), sq = Eigen::VectorXd::Zero(f.dim);
        for (int s = 0; s < n; ++s) {
            sampler.sample(u);
            plain.gradient(x - delta * u, g);
            sum += g;
            sq += g.cwiseProduct(g);
        }
        const Eigen::VectorXd mean = sum / n;
        const Eigen::VectorXd exact = smooth.gradient(x);
        for (int i = 0; i < f.dim; ++i) {
            const double sd = std::sqrt(sq[i] / n - mean[i] * mean[i]);
            CHECK(std::abs(mean[i] - exact[i]) <= 4.5 * sd / std::sqrt(double(n)));
        }
    }
}

TEST_CASE("kernel samples have the kernel's second moment", "[go]") {
    for (auto kind : {theory::Kernel::Kind::gaussian, theory::Kernel::Kind::gaussian_unit,
                      theory::Kernel::Kind::uniform_ball}) {
        const theory::Kernel kernel{kind, 3};
        KernelSampler sampler(kernel, 5);
        Eigen::VectorXd u;
        double sum = 0;
        const int n = 20000;
        for (int s = 0; s < n; ++s) {
            sampler.sample(u);
            REQUIRE(u.size() == 3);
            if (kind == theory::Kernel::Kind::uniform_ball) REQUIRE(u.norm() <= 1.0);
            sum += u.squaredNorm();
        }
        // E‖u‖²: 3 (N(0,I)), 1 (N(0,I/3)), 3/5 (ball).
        const double expected = kind == theory::Kernel::Kind::gaussian        ? 3.0
                                : kind == theory::Kernel::Kind::gaussian_unit ? 1.0
                                                                              : 0.6;
        CHECK(sum / n == Approx(expected).epsilon(0.03));
    }
}

TEST_CASE("φ-kernel samples match the kernel's φ and moments", "[go][phi-kernel]") {
    // E‖u‖² (d = 3) where it exists: 1 (cube), 6 (Laplace), 3·5/3 = 5 (student-t ν = 5),
    // 6 (stable α = 2); for stable α = 1.5 (no 2nd moment) E cos(u_1) = φ(1) = e^{−1}.
    struct Case {
        theory::Kernel kernel;
        double expected;
    };
    theory::Kernel t5{theory::Kernel::Kind::student_t, 3};
    t5.nu = 5;
    theory::Kernel s2{theory::Kernel::Kind::stable, 3};
    theory::Kernel s15{theory::Kernel::Kind::stable, 3};
    s15.alpha = IntervalM::from_string("1.5");
    for (const Case& c : {Case{{theory::Kernel::Kind::uniform_cube, 3}, 1.0},
                          Case{{theory::Kernel::Kind::laplace, 3}, 6.0}, Case{t5, 5.0},
                          Case{s2, 6.0}, Case{s15, std::exp(-1.0)}}) {
        KernelSampler sampler(c.kernel, 7);
        Eigen::VectorXd u;
        double sum = 0;
        const int n = 40000;
        for (int s = 0; s < n; ++s) {
            sampler.sample(u);
            REQUIRE(u.size() == 3);
            sum += c.kernel.kind == theory::Kernel::Kind::stable && c.expected < 1
                       ? std::cos(u[0])
                       : u.squaredNorm();
        }
        INFO(theory::kernel_kind_name(c.kernel.kind));
        // Heavy tails (Laplace, ν = 5) make the sample mean noisy: 10% (ν = 5 has no 4th moment).
        CHECK(sum / n == Approx(c.expected).epsilon(0.1));
    }
}

TEST_CASE("on a strongly convex quadratic GO converges to the exact minimizer", "[go]") {
    const FamilySpec f = family("quadratic-2d");
    TargetCertifier certifier(f);
    const CertifiedTarget target = certifier.at(IntervalM(0));
    REQUIRE(target.unique);
    // x* = −A⁻¹b = (−0.6, 0.8) exactly; the certified box must contain it.
    CHECK(target.distance(Eigen::Vector2d(-0.6, 0.8)) <= target.max_radius() + 1e-15);
    GoSettings s;
    s.deltas = {1.0, 0.5, 0.25, 0.125};
    s.steps_per_stage = 100;
    s.step_rule = StepRule::fixed;
    s.fixed_step = 0.2;
    s.gradient = GradientMode::closed_form;
    s.starts = 4;
    const GoRunResult r =
        run_explicit_go(f.decomposition, certifier.kernel(), start_box(f), target, s);
    for (const auto& t : r.go) {
        CHECK(t.distance.back() < 1e-10);
        CHECK(std::abs(t.gap.back()) < 1e-12);
        CHECK(t.reached);
    }
    CHECK(r.calls.back() == 400);
}

TEST_CASE("on 1-D Rastrigin GO reaches 0 from every basin, plain GD stays in its own", "[go]") {
    const FamilySpec f = family("rastrigin-1d-gaussian");
    TargetCertifier certifier(f);
    const CertifiedTarget target = certifier.at(IntervalM(0));
    REQUIRE(target.unique);
    CHECK(target.distance(Eigen::VectorXd::Zero(1)) <= target.max_radius() + 1e-300);
    for (GradientMode mode : {GradientMode::closed_form, GradientMode::monte_carlo}) {
        const GoSettings s = rastrigin_settings(mode);
        const GoRunResult r =
            run_explicit_go(f.decomposition, certifier.kernel(), start_box(f), target, s);
        int outside = 0;
        for (std::size_t i = 0; i < r.starts.size(); ++i) {
            const double x0 = r.starts[i][0];
            CHECK(r.go[i].reached);
            CHECK(std::abs(r.go[i].final_point[0]) < 0.01);
            if (std::abs(x0) > 0.6) {
                ++outside;
                // GD ends in a local minimizer near a nonzero integer, the one of its start's
                // basin.
                const double xf = r.gd[i].final_point[0];
                CHECK_FALSE(r.gd[i].reached);
                CHECK(std::abs(xf - std::round(xf)) < 0.05);
                CHECK(std::round(xf) != 0);
                CHECK(std::abs(xf - x0) < 0.6);  // stayed in (or next to) its start's basin
            }
        }
        CHECK(outside >= 6);
        CHECK(fraction_reached(r.go) == 1.0);
        CHECK(fraction_reached(r.gd) < 0.5);
        // GO's large early steps without smoothing do not find the central basin either.
        REQUIRE(r.gd_schedule.size() == r.starts.size());
        CHECK(fraction_reached(r.gd_schedule) < 0.5);
    }
}

TEST_CASE("runs are deterministic under the seed and independent of the thread count", "[go]") {
    const FamilySpec f = family("rastrigin-1d-gaussian");
    TargetCertifier certifier(f);
    const CertifiedTarget target = certifier.at(IntervalM(0));
    GoSettings s = rastrigin_settings(GradientMode::monte_carlo);
    s.deltas = polynomial_deltas(1.0, 5, 1.0);
    s.starts = 5;
    s.threads = 1;
    const auto a = run_explicit_go(f.decomposition, certifier.kernel(), start_box(f), target, s);
    s.threads = 2;
    const auto b = run_explicit_go(f.decomposition, certifier.kernel(), start_box(f), target, s);
    s.seed = 8;
    const auto c = run_explicit_go(f.decomposition, certifier.kernel(), start_box(f), target, s);
    for (int i = 0; i < 5; ++i) {
        CHECK(a.starts[i] == b.starts[i]);
        CHECK(a.go[i].final_point == b.go[i].final_point);
        CHECK(a.gd[i].final_point == b.gd[i].final_point);
        CHECK(a.go[i].distance == b.go[i].distance);
        CHECK(a.starts[i] != c.starts[i]);
    }
}

TEST_CASE("the polynomial schedule and the settings are validated", "[go]") {
    const auto d = polynomial_deltas(2.0, 4, 1.0);
    REQUIRE(d.size() == 4);
    CHECK(d[0] == 2.0);
    CHECK(d[3] == Approx(0.5));
    const auto h = polynomial_deltas(1.0, 4, 0.5);
    CHECK(h[3] == Approx(0.5));  // (1/4)^0.5
    GoSettings s;
    CHECK_THROWS_AS(validate(s), gradcert::InternalError);  // no stages
    s.deltas = {1.0, 1.0};
    CHECK_THROWS_AS(validate(s), gradcert::InternalError);  // not decreasing
    s.deltas = {1.0, 0.5};
    validate(s);
    CHECK(stage_step(s, 2) == Approx(0.005));
    CHECK(gd_step(s) == Approx(0.005));
    CHECK(calls_per_step(s) == 100);
}

TEST_CASE("the committed experiment config loads in both modes", "[go]") {
    const fs::path src(GRADCERT_SOURCE_DIR);
    for (const std::string mode : {"quick", "full"}) {
        const auto cfg =
            load_explicit_go_config(src / "verify/experiments/explicit_go.toml", mode, src);
        CHECK(cfg.runs.size() >= 4);
        REQUIRE(cfg.sweep);
        CHECK(cfg.sweep->powers == std::vector<double>{0.5, 0.75, 0.9, 1.0});
        for (const auto& run : cfg.runs) {
            validate(run.settings);
            if (run.name == "rastrigin-50d") {
                CHECK(run.settings.deltas.size() == 51);
                CHECK(run.settings.deltas.back() == 0.01);
                CHECK(run.settings.samples == 100);
                CHECK(run.settings.steps_per_stage == 20);
            }
        }
    }
}

TEST_CASE("config errors are InputErrors naming the file", "[go]") {
    const fs::path src(GRADCERT_SOURCE_DIR);
    const fs::path dir = temp_dir("config");
    const std::string good_run =
        "[run.r]\nfamily = \"verify/families/rastrigin-1d-gaussian.toml\"\ndelta1 = 1.0\n"
        "stages = 4\npower = 1.0\nsteps = 2\nl0 = 0.01\ngradient = \"closed-form\"\n"
        "success_radius = 0.5\n";
    const std::string good_mode = "[quick]\nseed = 0\nstarts = 2\nsamples = 3\nruns = [\"r\"]\n";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {good_mode + good_run + "colour = 1\n", "unknown key 'colour'"},
        {"[full]\nseed = 0\n" + good_run, "no [quick] table"},
        {good_mode, "no [run.r] table"},
        {good_mode + good_run + "step = 0.1\n", "exactly one of 'l0'"},
        {good_mode + std::string("[run.r]\nfamily = \"verify/families/nope.toml\"\n"), "not found"},
        {"[quick]\nseed = 0\nstarts = 0\nsamples = 3\nruns = [\"r\"]\n" + good_run, "'starts'"},
        {"[quick\n", ""},
    };
    int k = 0;
    for (const auto& [text, needle] : cases) {
        const fs::path file = dir / ("bad" + std::to_string(k++) + ".toml");
        std::ofstream(file) << text;
        INFO(text);
        try {
            load_explicit_go_config(file, "quick", src);
            FAIL("no error");
        } catch (const InputError& e) {
            const std::string what = e.what();
            CHECK(what.find(file.string()) != std::string::npos);
            CHECK(what.find(needle) != std::string::npos);
        }
    }
    // A bad gradient name, with its line.
    const fs::path file = dir / "gradient.toml";
    std::string text = good_mode + good_run;
    text.replace(text.find("closed-form"), 11, "finite-diff");
    std::ofstream(file) << text;
    try {
        load_explicit_go_config(file, "quick", src);
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find(file.string() + ":13:") != std::string::npos);
    }
    fs::remove_all(dir);
}
