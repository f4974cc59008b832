// The optimisers against their defining recurrences, evaluated by hand in double.
#include "numerics/engine/optimizer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "numerics/util/error.hpp"

using namespace gradcert::engine;

namespace {

// Runs three steps with gradients g_t = (t + 1)·base − 0.5·x (a gradient that depends on x) and
// returns the final parameters, in float through the Optimizer and in double by the recurrence.
struct Trajectory {
    std::vector<float> engine;
    std::vector<double> expected;
};

Trajectory three_steps(const OptimizerConfig& config, double lr) {
    const std::vector<double> start = {1.0, -2.0, 0.5, 3.0};
    const std::vector<double> base = {0.25, 1.0, -0.75, 0.0};
    std::vector<float> x(start.begin(), start.end());
    std::vector<double> xd = start, v(start.size(), 0.0);
    Optimizer optimizer(config, x.size());
    for (int t = 0; t < 3; ++t) {
        std::vector<float> g(x.size());
        for (std::size_t i = 0; i < x.size(); ++i) g[i] = float((t + 1) * base[i] - 0.5 * x[i]);
        optimizer.step(x, g, lr);
        for (std::size_t i = 0; i < xd.size(); ++i) {
            const double gi = (t + 1) * base[i] - 0.5 * xd[i] + config.weight_decay * xd[i];
            switch (config.kind) {
                case OptimizerKind::sgd:
                    xd[i] -= lr * gi;
                    break;
                case OptimizerKind::shb:
                    v[i] = config.momentum * v[i] + gi;
                    xd[i] -= lr * v[i];
                    break;
                case OptimizerKind::nshb:
                    v[i] = config.momentum * v[i] + (1.0 - config.momentum) * gi;
                    xd[i] -= lr * v[i];
                    break;
            }
        }
    }
    return {x, xd};
}

}  // namespace

TEST_CASE("optimisers follow their recurrences", "[sgd][core][optimizer]") {
    const OptimizerKind kind =
        GENERATE(OptimizerKind::sgd, OptimizerKind::shb, OptimizerKind::nshb);
    const double decay = GENERATE(0.0, 0.01);
    const Trajectory t = three_steps(OptimizerConfig{kind, 0.9, decay}, 0.1);
    CAPTURE(optimizer_kind_name(kind), decay);
    for (std::size_t i = 0; i < t.engine.size(); ++i) {
        CHECK(t.engine[i] == Approx(t.expected[i]).epsilon(1e-6).margin(1e-7));
    }
}

TEST_CASE("optimiser state: momentum buffer exposed, reset, restored", "[sgd][core][optimizer]") {
    Optimizer sgd(OptimizerConfig{OptimizerKind::sgd, 0.9, 0.0}, 3);
    CHECK(sgd.state().empty());
    Optimizer shb(OptimizerConfig{OptimizerKind::shb, 0.5, 0.0}, 3);
    REQUIRE(shb.state().size() == 3);
    std::vector<float> x = {1.0f, 2.0f, 3.0f};
    const std::vector<float> g = {1.0f, -1.0f, 0.5f};
    shb.step(x, g, 0.1);
    CHECK(shb.state()[0] == 1.0f);  // v = β·0 + g
    CHECK(shb.state()[2] == 0.5f);
    // A copy of the state restores the trajectory exactly (checkpoint / resume).
    const std::vector<float> saved(shb.state().begin(), shb.state().end());
    std::vector<float> y = x;
    shb.step(x, g, 0.1);
    Optimizer resumed(OptimizerConfig{OptimizerKind::shb, 0.5, 0.0}, 3);
    std::copy(saved.begin(), saved.end(), resumed.state().begin());
    resumed.step(y, g, 0.1);
    CHECK(x == y);
    shb.reset();
    CHECK(shb.state()[1] == 0.0f);
}

TEST_CASE("optimiser configuration errors", "[sgd][core][optimizer]") {
    CHECK(parse_optimizer_kind("nshb") == OptimizerKind::nshb);
    CHECK(optimizer_kind_name(parse_optimizer_kind("shb")) == "shb");
    CHECK_THROWS_AS(parse_optimizer_kind("adam"), gradcert::InputError);
    CHECK_THROWS_AS(Optimizer(OptimizerConfig{OptimizerKind::shb, 1.0, 0.0}, 2),
                    gradcert::InputError);
    CHECK_THROWS_AS(Optimizer(OptimizerConfig{OptimizerKind::sgd, 0.9, -1.0}, 2),
                    gradcert::InputError);
    Optimizer ok(OptimizerConfig{}, 2);
    std::vector<float> x(3), g(3);
    CHECK_THROWS_AS(ok.step(x, g, 0.1), std::invalid_argument);
}
