// verify/claims: the stability assessment (flip probability over unit resamples), the power
// statement, and the paired (common-random-numbers) schedule comparison, on hand-made data whose
// answers are known exactly.
#include <catch2/catch.hpp>
#include <cmath>

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
