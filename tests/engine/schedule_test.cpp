// Schedules: the paper's three step schedules all shrink δ = ηC/√b by 1/√2 per stage (up to
// integer batch rounding, which is reported), and the polynomial schedule follows γ_m.
#include "numerics/engine/schedule.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "numerics/util/error.hpp"

using namespace gradcert::engine;
using gradcert::InputError;

namespace {

ScheduleConfig step_config(ScheduleKind kind, double lr_factor, double batch_factor, int every) {
    ScheduleConfig c;
    c.kind = kind;
    c.lr_factor = lr_factor;
    c.batch_factor = batch_factor;
    c.every = every;
    return c;
}

}  // namespace

TEST_CASE("lr x 1/sqrt2, batch x 2 and hybrid (sqrt3/2, 1.5) all shrink delta by 1/sqrt2",
          "[sgd][run][schedule]") {
    const double r = 1.0 / std::sqrt(2.0);
    const Schedule lr(step_config(ScheduleKind::lr_step, r, 2.0, 40), 0.1, 128, 200, 50000);
    const Schedule batch(step_config(ScheduleKind::batch_step, r, 2.0, 40), 0.1, 128, 200, 50000);
    const Schedule hybrid(step_config(ScheduleKind::hybrid, std::sqrt(3.0) / 2.0, 1.5, 40), 0.1,
                          128, 200, 50000);
    for (int e = 0; e < 200; ++e) {
        const int k = e / 40;
        const double expected = std::pow(r, k);
        for (const Schedule* s : {&lr, &batch, &hybrid}) {
            const SchedulePoint p = s->at(e);
            INFO("epoch " << e << " batch " << p.batch);
            CHECK(p.stage == k);
            CHECK(p.delta_rel_target == Approx(expected).epsilon(1e-14));
            // b0 = 128: 128·2^k and 128·1.5^k (192, 288, 432, 648) are integers: no rounding.
            CHECK(p.delta_rel == Approx(expected).epsilon(1e-14));
            CHECK(p.batch_exact == p.batch);
        }
        CHECK(lr.at(e).batch == 128);
        CHECK(batch.at(e).lr == 0.1);
        CHECK(batch.at(e).batch == 128 << k);
    }
    CHECK(hybrid.at(199).batch == 648);
    CHECK(hybrid.at(199).lr == Approx(0.1 * std::pow(std::sqrt(3.0) / 2.0, 4)));
}

TEST_CASE("Integer batch rounding is reported in the realised delta", "[sgd][run][schedule]") {
    // b0 = 100, ×1.5 per epoch: 150, 225, 337.5 → 338, 506.25 → 506.
    const Schedule s(step_config(ScheduleKind::hybrid, std::sqrt(3.0) / 2.0, 1.5, 1), 0.1, 100, 5,
                     60000);
    const SchedulePoint p3 = s.at(3);
    CHECK(p3.batch_exact == Approx(337.5));
    CHECK(p3.batch == 338);
    CHECK(p3.delta_rel_target == Approx(std::pow(0.5, 1.5)).epsilon(1e-14));
    CHECK(p3.delta_rel / p3.delta_rel_target == Approx(std::sqrt(337.5 / 338.0)).epsilon(1e-14));
    CHECK(p3.delta_rel != p3.delta_rel_target);
    const SchedulePoint p4 = s.at(4);
    CHECK(p4.batch == 506);
    CHECK(p4.delta_rel / p4.delta_rel_target == Approx(std::sqrt(506.25 / 506.0)).epsilon(1e-14));
    // Capping at the training-set size is flagged.
    const Schedule capped(step_config(ScheduleKind::batch_step, 1.0, 2.0, 1), 0.1, 300, 4, 1000);
    CHECK(capped.at(1).batch == 600);
    CHECK_FALSE(capped.at(1).batch_capped);
    CHECK(capped.at(2).batch == 1000);
    CHECK(capped.at(2).batch_capped);
    CHECK(capped.at(2).delta_rel == Approx(std::sqrt(0.3)));
}

TEST_CASE("Polynomial schedule follows gamma_m for lr, batch and both", "[sgd][run][schedule]") {
    ScheduleConfig c;
    c.kind = ScheduleKind::poly;
    c.power = 0.9;
    // docs/mathematics.md §5 example: M = 200, p = 0.9.
    CHECK(poly_gamma(1, 200, 0.9) == Approx(0.99549887).epsilon(1e-8));
    CHECK(poly_gamma(199, 200, 0.9) == Approx(0.53588673).epsilon(1e-8));
    const Schedule lr(c, 0.1, 32, 200, 50000);
    CHECK(lr.stages() == 200);
    for (int m = 1; m < 200; ++m) {
        const double ratio = lr.at(m).delta_rel / lr.at(m - 1).delta_rel;
        INFO("m = " << m);
        CHECK(ratio == Approx(poly_gamma(m, 200, 0.9)).epsilon(1e-12));
        CHECK(lr.at(m).batch == 32);
    }
    // PyTorch PolynomialLR(total_iters = 200, power = 0.9) at epoch e: 0.1 (1 − e/200)^0.9.
    CHECK(lr.at(57).lr == Approx(0.1 * std::pow(1.0 - 57.0 / 200.0, 0.9)).epsilon(1e-14));

    c.poly_target = PolyTarget::both;
    c.poly_balance = 0.5;
    const Schedule both(c, 0.1, 32, 200, 50000);
    for (int m = 1; m < 200; ++m)
        CHECK(both.at(m).delta_rel / both.at(m - 1).delta_rel ==
              Approx(poly_gamma(m, 200, 0.9)).epsilon(1e-12));
    CHECK(both.at(150).batch > 32);
    CHECK(both.at(150).lr < 0.1);

    c.poly_target = PolyTarget::batch;
    c.every = 2;
    const Schedule batch(c, 0.1, 32, 10, 50000);  // M = 5 stages of 2 epochs
    CHECK(batch.stages() == 5);
    for (int e = 0; e < 10; ++e) {
        const SchedulePoint p = batch.at(e);
        const double r = std::pow((5.0 - e / 2) / 5.0, 0.9);
        CHECK(p.lr == 0.1);
        CHECK(p.delta_rel_target == Approx(r).epsilon(1e-14));
        CHECK(p.batch == static_cast<int>(std::round(32 / (r * r))));
        CHECK(p.delta_rel == Approx(std::sqrt(32.0 / p.batch)).epsilon(1e-14));
    }
}

TEST_CASE("Cosine and exponential schedules", "[sgd][run][schedule]") {
    ScheduleConfig c;
    c.kind = ScheduleKind::cosine;
    c.min_lr = 0.001;
    const Schedule cos(c, 0.1, 64, 10, 1000);
    CHECK(cos.at(0).lr == 0.1);
    CHECK(cos.at(5).lr == Approx(0.001 + 0.099 * 0.5));
    CHECK(cos.at(9).lr == Approx(0.001 + 0.099 * 0.5 * (1 + std::cos(M_PI * 0.9))));
    c.kind = ScheduleKind::exp;
    c.gamma = 0.8;
    const Schedule ex(c, 0.1, 64, 10, 1000);
    CHECK(ex.at(3).lr == Approx(0.1 * 0.512));
    CHECK(ex.at(3).delta_rel == Approx(0.512));
}

TEST_CASE("Schedule rejects inconsistent settings", "[sgd][run][schedule]") {
    ScheduleConfig c;
    CHECK_THROWS_AS(Schedule(c, 0.0, 32, 5, 100), InputError);
    CHECK_THROWS_AS(Schedule(c, std::nan(""), 32, 5, 100), InputError);
    CHECK_THROWS_AS(Schedule(c, 0.1, 101, 5, 100), InputError);
    CHECK_THROWS_AS(Schedule(c, 0.1, 0, 5, 100), InputError);
    c.power = 1.5;
    CHECK_THROWS_AS(Schedule(c, 0.1, 32, 5, 100), InputError);
    c.power = 0.9;
    c.kind = ScheduleKind::poly;
    c.stages = 3;
    CHECK_THROWS_AS(Schedule(c, 0.1, 32, 5, 100), InputError);
    CHECK_THROWS_AS(parse_schedule_kind("linear", "x.toml"), InputError);
}

TEST_CASE("Stages counted in updates: η and b per update, epochs and updates per epoch",
          "[sgd][run][schedule]") {
    const double r = 1.0 / std::sqrt(2.0);
    // b × 2 with the stage ends of η × 1/√2 on 512 examples at b₀ = 16, every epoch (32 each):
    // 32 updates at 16, 32 at 32 (2 epochs), 32 at 64 (4 epochs), 32 at 128 (8 epochs).
    ScheduleConfig long_batch = step_config(ScheduleKind::batch_step, r, 2.0, 1);
    long_batch.stage_updates = {32, 64, 96, 128};
    const Schedule lb(long_batch, 0.1, 16, 4, 512);
    CHECK(lb.by_updates());
    CHECK(lb.last_update() == 128);
    CHECK(lb.stages() == 4);
    CHECK(lb.at_update(0, 31).batch == 16);
    CHECK(lb.at_update(1, 32).batch == 32);
    CHECK(lb.at_update(3, 64).batch == 64);
    CHECK(lb.at_update(9, 127).batch == 128);
    CHECK(lb.at_update(9, 500).stage == 3);  // past the last end: the last stage
    CHECK(updates_in_epoch(lb, 0, 0, 512) == 32);
    CHECK(updates_in_epoch(lb, 1, 32, 512) == 16);
    CHECK(updates_in_epoch(lb, 14, 124, 512) == 4);
    CHECK(epochs_needed(lb, 4, 512) == 1 + 2 + 4 + 8);
    // η × 1/√2 with batch-x2's stage ends (32, 16, 8, 4 updates): η changes inside epoch 1.
    ScheduleConfig short_lr = step_config(ScheduleKind::lr_step, r, 2.0, 1);
    short_lr.stage_updates = {32, 48, 56, 60};
    const Schedule sl(short_lr, 0.1, 16, 4, 512);
    CHECK(sl.at_update(1, 47).lr == Approx(0.1 * r).epsilon(1e-15));
    CHECK(sl.at_update(1, 48).lr == Approx(0.05).epsilon(1e-15));
    CHECK(sl.at_update(1, 59).delta_rel == Approx(std::pow(r, 3)).epsilon(1e-14));
    CHECK(updates_in_epoch(sl, 1, 32, 512) == 28);  // stops at the last end
    CHECK(epochs_needed(sl, 4, 512) == 2);
    // A batch change inside an epoch continues the permutation: 10 × 16 = 160 examples, then
    // ⌊352/32⌋ = 11 updates of 32 fill the epoch; the next epoch does the 9 left.
    ScheduleConfig mid = step_config(ScheduleKind::batch_step, r, 2.0, 1);
    mid.stage_updates = {10, 30};
    const Schedule m(mid, 0.1, 16, 4, 512);
    CHECK(updates_in_epoch(m, 0, 0, 512) == 21);
    CHECK(updates_in_epoch(m, 1, 21, 512) == 9);
    CHECK(epochs_needed(m, 4, 512) == 2);
    // Without stage_updates nothing changes: at_update is at(epoch), ⌊n/b⌋ per epoch.
    const Schedule plain(step_config(ScheduleKind::batch_step, r, 2.0, 1), 0.1, 16, 4, 512);
    CHECK_FALSE(plain.by_updates());
    CHECK(plain.at_update(2, 999).batch == plain.at(2).batch);
    CHECK(updates_in_epoch(plain, 2, 0, 512) == 8);
    CHECK(epochs_needed(plain, 4, 512) == 4);
    // Ends must be positive and strictly increasing.
    ScheduleConfig bad = short_lr;
    bad.stage_updates = {32, 32};
    CHECK_THROWS_AS(Schedule(bad, 0.1, 16, 4, 512), InputError);
    bad.stage_updates = {0, 5};
    CHECK_THROWS_AS(Schedule(bad, 0.1, 16, 4, 512), InputError);
}
