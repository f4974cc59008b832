#include "numerics/engine/schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
    throw InputError(where + ": " + what);
}

bool finite_positive(double v) {
    return std::isfinite(v) && v > 0.0;
}

}  // namespace

Schedule::Schedule(const ScheduleConfig& cfg, double lr0, int batch0, int epochs, int train_size,
                   const std::string& where)
    : cfg_(cfg), lr0_(lr0), batch0_(batch0) {
    if (!finite_positive(lr0)) bad(where, fmt::format("learning rate {} must be positive", lr0));
    if (batch0 < 1) bad(where, fmt::format("batch size {} must be at least 1", batch0));
    if (epochs < 1) bad(where, fmt::format("epochs {} must be at least 1", epochs));
    if (cfg.every < 1) bad(where, fmt::format("schedule every = {} must be at least 1", cfg.every));
    if (cfg.max_batch < 0) bad(where, fmt::format("max_batch {} is negative", cfg.max_batch));
    max_batch_ = cfg.max_batch > 0 ? std::min(cfg.max_batch, train_size) : train_size;
    if (batch0 > max_batch_)
        bad(where, fmt::format("batch size {} is larger than the training set / max_batch ({})",
                               batch0, max_batch_));
    if (!finite_positive(cfg.lr_factor)) bad(where, "lr_factor must be positive");
    if (!finite_positive(cfg.batch_factor)) bad(where, "batch_factor must be positive");
    if (!(cfg.power > 0.0 && cfg.power <= 1.0))
        bad(where, fmt::format("power {} must lie in (0, 1] (docs/mathematics.md §5)", cfg.power));
    if (!(cfg.poly_balance >= 0.0 && cfg.poly_balance <= 1.0))
        bad(where, fmt::format("poly_balance {} must lie in [0, 1]", cfg.poly_balance));
    if (!finite_positive(cfg.gamma)) bad(where, "gamma must be positive");
    if (!(std::isfinite(cfg.min_lr) && cfg.min_lr >= 0.0 && cfg.min_lr <= lr0))
        bad(where, fmt::format("min_lr {} must lie in [0, lr]", cfg.min_lr));
    if (cfg.stages < 0) bad(where, "stages must be ≥ 0");
    for (std::size_t i = 0; i < cfg.stage_updates.size(); ++i)
        if (cfg.stage_updates[i] == 0 ||
            (i > 0 && cfg.stage_updates[i] <= cfg.stage_updates[i - 1]))
            bad(where, "stage_updates must be positive and strictly increasing");
    const int natural = cfg.stage_updates.empty() ? (epochs + cfg.every - 1) / cfg.every
                                                  : static_cast<int>(cfg.stage_updates.size());
    stages_ = cfg.stages > 0 ? cfg.stages : natural;
    if (cfg.kind == ScheduleKind::poly && stages_ < natural)
        bad(where, fmt::format("poly schedule with {} stages cannot cover {} epochs of {} "
                               "(δ would reach 0)",
                               stages_, epochs, cfg.every));
}

double poly_gamma(int m, int stages, double power) {
    return std::pow(static_cast<double>(stages - m) / (stages - m + 1), power);
}

SchedulePoint Schedule::at(int epoch) const {
    return point(epoch, epoch / cfg_.every);
}

SchedulePoint Schedule::at_update(int epoch, std::uint64_t update) const {
    if (cfg_.stage_updates.empty()) return at(epoch);
    const auto& ends = cfg_.stage_updates;
    const auto passed = std::upper_bound(ends.begin(), ends.end(), update) - ends.begin();
    return point(epoch, static_cast<int>(std::min<std::ptrdiff_t>(
                            passed, static_cast<std::ptrdiff_t>(ends.size()) - 1)));
}

std::uint64_t Schedule::last_update() const {
    return cfg_.stage_updates.empty() ? std::numeric_limits<std::uint64_t>::max()
                                      : cfg_.stage_updates.back();
}

SchedulePoint Schedule::point(int epoch, int stage) const {
    SchedulePoint p;
    p.epoch = epoch;
    p.stage = stage;
    const double k = p.stage;
    double lr = lr0_;
    double b = batch0_;
    double target = 1.0;
    // r_m of the poly schedule, m = stage + 1.
    const double r = std::pow(static_cast<double>(stages_ - p.stage) / stages_, cfg_.power);
    switch (cfg_.kind) {
        case ScheduleKind::constant:
            break;
        case ScheduleKind::lr_step:
            lr = lr0_ * std::pow(cfg_.lr_factor, k);
            target = lr / lr0_;
            break;
        case ScheduleKind::batch_step:
            b = batch0_ * std::pow(cfg_.batch_factor, k);
            target = std::sqrt(batch0_ / b);
            break;
        case ScheduleKind::hybrid:
            lr = lr0_ * std::pow(cfg_.lr_factor, k);
            b = batch0_ * std::pow(cfg_.batch_factor, k);
            target = (lr / lr0_) * std::sqrt(batch0_ / b);
            break;
        case ScheduleKind::poly:
            target = r;
            if (cfg_.poly_target == PolyTarget::lr) lr = lr0_ * r;
            if (cfg_.poly_target == PolyTarget::batch) b = batch0_ / (r * r);
            if (cfg_.poly_target == PolyTarget::both)
                b = batch0_ * std::pow(r, -2.0 * cfg_.poly_balance);
            break;
        case ScheduleKind::cosine:
            lr = cfg_.min_lr +
                 (lr0_ - cfg_.min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * k / stages_));
            target = lr / lr0_;
            break;
        case ScheduleKind::exp:
            lr = lr0_ * std::pow(cfg_.gamma, k);
            target = lr / lr0_;
            break;
    }
    p.batch_exact = b;
    const double rounded = std::round(b);
    p.batch_capped = rounded > max_batch_;
    p.batch = static_cast<int>(std::clamp(rounded, 1.0, static_cast<double>(max_batch_)));
    if (cfg_.kind == ScheduleKind::poly && cfg_.poly_target == PolyTarget::both)
        lr = lr0_ * r * std::sqrt(static_cast<double>(p.batch) / batch0_);
    p.lr = lr;
    p.delta_rel_target = target;
    p.delta_rel = (lr / lr0_) * std::sqrt(static_cast<double>(batch0_) / p.batch);
    return p;
}

int updates_in_epoch(const Schedule& s, int epoch, std::uint64_t first_update, int n) {
    if (!s.by_updates()) return n / s.at(epoch).batch;
    int steps = 0;
    int pos = 0;
    for (std::uint64_t u = first_update; u < s.last_update(); ++u, ++steps) {
        const int b = s.at_update(epoch, u).batch;
        if (pos + b > n) break;
        pos += b;
    }
    return steps;
}

int epochs_needed(const Schedule& s, int epochs, int n) {
    if (!s.by_updates()) return epochs;
    std::uint64_t u = 0;
    int e = 0;
    while (u < s.last_update()) {
        const int k = updates_in_epoch(s, e, u, n);
        if (k == 0) throw InputError("epochs_needed: an epoch without updates (b > n)");
        u += static_cast<std::uint64_t>(k);
        ++e;
    }
    return e;
}

ScheduleKind parse_schedule_kind(const std::string& s, const std::string& where) {
    if (s == "constant") return ScheduleKind::constant;
    if (s == "lr-step") return ScheduleKind::lr_step;
    if (s == "batch-step") return ScheduleKind::batch_step;
    if (s == "hybrid") return ScheduleKind::hybrid;
    if (s == "poly") return ScheduleKind::poly;
    if (s == "cosine") return ScheduleKind::cosine;
    if (s == "exp") return ScheduleKind::exp;
    bad(where, fmt::format("unknown schedule kind \"{}\" (constant, lr-step, batch-step, hybrid, "
                           "poly, cosine, exp)",
                           s));
}

std::string to_string(ScheduleKind k) {
    switch (k) {
        case ScheduleKind::constant:
            return "constant";
        case ScheduleKind::lr_step:
            return "lr-step";
        case ScheduleKind::batch_step:
            return "batch-step";
        case ScheduleKind::hybrid:
            return "hybrid";
        case ScheduleKind::poly:
            return "poly";
        case ScheduleKind::cosine:
            return "cosine";
        case ScheduleKind::exp:
            return "exp";
    }
    return "?";
}

PolyTarget parse_poly_target(const std::string& s, const std::string& where) {
    if (s == "lr") return PolyTarget::lr;
    if (s == "batch") return PolyTarget::batch;
    if (s == "both") return PolyTarget::both;
    bad(where, fmt::format("unknown poly_target \"{}\" (lr, batch, both)", s));
}

std::string to_string(PolyTarget t) {
    switch (t) {
        case PolyTarget::lr:
            return "lr";
        case PolyTarget::batch:
            return "batch";
        case PolyTarget::both:
            return "both";
    }
    return "?";
}

}  // namespace gradcert::engine
