// verify/claims: the stability assessment (flip probability over unit resamples), the power
// statement, and the paired (common-random-numbers) schedule comparison, on hand-made data whose
// answers are known exactly.
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "verify/claims/power.hpp"
#include "verify/claims/schedules_claims.hpp"
#include "verify/claims/stability.hpp"

using namespace gradcert::verify;

TEST_CASE("a verdict every resample repeats is stable", "[verify][claims]") {
    std::vector<ClaimFinding> f{{"c", Evidence::supported, "s"}};
    assess_stability(f, 3, "seeds", [](std::span<const int>) {
        return std::vector<Evidence>{Evidence::supported};
    });
    CHECK(f[0].flip_probability == 0.0);
    CHECK(f[0].evidence == Evidence::supported);
    CHECK(f[0].verdict == Evidence::supported);
}

TEST_CASE("a verdict that needs three distinct seeds is unstable", "[verify][claims]") {
    // Supported only when the resample holds seeds 0, 1, 2 once each: P = 3!/3³ = 2/9, so the
    // verdict flips with probability 7/9 (up to the bootstrap's sampling error).
    std::vector<ClaimFinding> f{{"c", Evidence::supported, "s"}};
    assess_stability(
        f, 3, "seeds",
        [](std::span<const int> u) {
            const bool distinct = u[0] != u[1] && u[1] != u[2] && u[0] != u[2];
            return std::vector<Evidence>{distinct ? Evidence::supported : Evidence::inconclusive};
        },
        2000);
    CHECK(f[0].flip_probability == Approx(7.0 / 9.0).margin(0.04));
    CHECK(f[0].evidence == Evidence::unstable);
    CHECK(f[0].verdict == Evidence::supported);
}

TEST_CASE("one unit cannot be resampled: the verdict stands", "[verify][claims]") {
    std::vector<ClaimFinding> f{{"c", Evidence::inconclusive, "s"}};
    assess_stability(f, 1, "seeds", [](std::span<const int>) {
        return std::vector<Evidence>{Evidence::supported};
    });
    CHECK(std::isnan(f[0].flip_probability));
    CHECK(f[0].evidence == Evidence::inconclusive);
}

TEST_CASE("minimum detectable effect and units needed", "[verify][claims]") {
    // (z + Φ⁻¹(0.8))·SE with Φ⁻¹(0.8) = 0.841621…
    CHECK(minimum_detectable_effect(1.0, 2.0) == Approx(2.841621).epsilon(1e-6));
    // 3·(2.841621·0.01/0.01)² = 24.22… → 25 seeds.
    CHECK(units_needed(0.01, 3, 2.0, 0.01) == 25);
    CHECK(units_needed(0.001, 3, 2.0, 0.01) == 3);  // already enough: never fewer than n
    CHECK(units_needed(0.0, 3, 2.0, 0.01) == -1);
}

namespace {

ScheduleRun run(const std::string& arm, std::uint64_t seed, double acc) {
    ScheduleRun r;
    r.arm = arm;
    r.seed = seed;
    gradcert::engine::EpochRecord e;
    e.epoch = 1;
    e.test_acc = acc;
    r.epochs.push_back(e);
    r.final_train_loss = 1.0 - acc;
    r.updates = 100;
    return r;
}

}  // namespace

TEST_CASE("paired seeds decide what the unpaired spread cannot", "[verify][claims]") {
    // Per seed the batch arm is 0.02 better; the seeds themselves differ by 0.2.
    SchedulesResult r;
    r.config.seeds = {0, 1, 2};
    r.config.arms = {"lr-sqrt2", "batch-x2"};
    const double base[3] = {0.5, 0.7, 0.9};
    for (int s = 0; s < 3; ++s) {
        r.runs.push_back(run("lr-sqrt2", s, base[s]));
        r.runs.push_back(run("batch-x2", s, base[s] + 0.02 + 0.001 * s));
    }
    for (const char* a : {"lr-sqrt2", "batch-x2"}) r.arms.push_back(summarise_arm(a, r.runs));
    const ExperimentOutcome o = schedules_outcome(r);
    const ClaimFinding* f = nullptr;
    for (const auto& x : o.findings)
        if (x.claim == "batch-beats-lr") f = &x;
    REQUIRE(f != nullptr);
    CHECK(f->evidence == Evidence::supported);
    CHECK(f->flip_probability == 0.0);
    bool found = false;
    for (const ArmDifference& d : schedules_comparisons(r))
        if (d.a == "batch-x2" && d.b == "lr-sqrt2" && d.metric == "final test accuracy") {
            found = true;
            CHECK(d.diff == Approx(0.021));
            CHECK(d.pairs == 3);
            CHECK(d.se == Approx(0.001 / std::sqrt(3.0)));
            CHECK(d.unpaired_se > 50 * d.se);
        }
    CHECK(found);
}

namespace {

// A run whose final training loss is `loss` (test accuracy fixed).
ScheduleRun loss_run(const std::string& arm, std::uint64_t seed, double loss) {
    ScheduleRun r = run(arm, seed, 0.8);
    r.final_train_loss = loss;
    return r;
}

// δ-vs-Smith data: per seed s the loss of each arm is base[s] + offset[arm] + 0.001·s·k(arm),
// so every paired difference has a tiny, non-zero spread.
SchedulesResult smith_data(const std::vector<std::pair<std::string, double>>& offsets) {
    SchedulesResult r;
    r.config.seeds = {0, 1, 2};
    const double base[3] = {0.3, 0.5, 0.7};
    int k = 0;
    for (const auto& [arm, off] : offsets) {
        r.config.arms.push_back(arm);
        for (int s = 0; s < 3; ++s)
            r.runs.push_back(loss_run(arm, s, base[s] + off + 1e-3 * s * k));
        ++k;
    }
    for (const auto& a : r.config.arms) r.arms.push_back(summarise_arm(a, r.runs));
    return r;
}

const ClaimFinding& finding(const ExperimentOutcome& o, const std::string& claim) {
    for (const auto& f : o.findings)
        if (f.claim == claim) return f;
    throw std::logic_error("no finding " + claim);
}

}  // namespace

TEST_CASE("delta-vs-smith is decided at equal updates, the equal-epoch verdict beside",
          "[verify][claims]") {
    // At equal epochs the batch arm is 0.1 worse than lr-sqrt2 and equal to lr-half (Smith); at
    // equal updates, both designs: batch ≈ η × 1/√2 ≠ η × 1/2 (δ ∝ η/√b).
    SchedulesResult r = smith_data({{"batch-x2", 0.1},
                                    {"lr-sqrt2", 0.0},
                                    {"lr-half", 0.1},
                                    {"batch-x2-long", 0.0},
                                    {"lr-sqrt2-short", 0.1},
                                    {"lr-half-short", 0.2}});
    ExperimentOutcome o = schedules_outcome(r);
    const ClaimFinding& f = finding(o, "delta-vs-smith");
    CHECK(f.verdict == Evidence::supported);
    // The equal-epoch verdict is printed beside the deciding designs.
    CHECK(f.summary.find("equal epochs (100 vs 100 updates)") != std::string::npos);
    CHECK(f.summary.find("→ contradicted") != std::string::npos);
    CHECK(f.summary.find("decided by the equal-update designs") != std::string::npos);
    // The two equal-update designs disagree (the short design now sides with Smith):
    // inconclusive.
    r = smith_data({{"batch-x2", 0.1},
                    {"lr-sqrt2", 0.0},
                    {"lr-half", 0.1},
                    {"batch-x2-long", 0.0},
                    {"lr-sqrt2-short", 0.0},
                    {"lr-half-short", 0.1}});
    CHECK(finding(schedules_outcome(r), "delta-vs-smith").verdict == Evidence::inconclusive);
    // Without equal-update arms the equal-epoch design decides.
    r = smith_data({{"batch-x2", 0.1}, {"lr-sqrt2", 0.0}, {"lr-half", 0.1}});
    const ClaimFinding& g = finding(schedules_outcome(r), "delta-vs-smith");
    CHECK(g.verdict == Evidence::contradicted);
    CHECK(g.summary.find("decided by equal epochs") != std::string::npos);
}

TEST_CASE("sequential seeds: the per-look criterion decides, and is reported", "[verify][claims]") {
    // A paired difference of 2.2 SE: beyond 2 (one look), not beyond z_3 = 2.428 (3 looks).
    SchedulesResult r;
    r.config.seeds = {0, 1, 2};
    r.config.arms = {"lr-sqrt2", "batch-x2"};
    const double base[3] = {0.5, 0.7, 0.9};
    const double d[3] = {0.01, 0.02, 0.03};  // mean 0.02, sd 0.01, SE 0.01/√3
    const double shift = 2.2 * 0.01 / std::sqrt(3.0) - 0.02;
    for (int s = 0; s < 3; ++s) {
        r.runs.push_back(run("lr-sqrt2", s, base[s]));
        r.runs.push_back(run("batch-x2", s, base[s] + d[s] + shift));
    }
    for (const char* a : {"lr-sqrt2", "batch-x2"}) r.arms.push_back(summarise_arm(a, r.runs));
    CHECK(finding(schedules_outcome(r), "batch-beats-lr").verdict == Evidence::supported);
    r.config.max_seeds = 5;  // 3 planned looks
    const ExperimentOutcome o = schedules_outcome(r);
    CHECK(finding(o, "batch-beats-lr").verdict == Evidence::inconclusive);
    CHECK(o.scale.find("3 planned looks") != std::string::npos);
    CHECK(schedules_undecided(r));
}
