#pragma once
// Learning-rate and batch-size schedules of a training run, evaluated per epoch.
//
// Epochs e = 0, 1, … are grouped into stages s = ⌊e / every⌋; η and b change only between stages.
// With η₀, b₀ the configured values and k = s:
//  constant    η = η₀, b = b₀;
//  lr-step     η = η₀·lr_factor^k;
//  batch-step  b = b₀·batch_factor^k;
//  hybrid      η = η₀·lr_factor^k and b = b₀·batch_factor^k;
//  poly        the paper's polynomial schedule (docs/mathematics.md §5) with M stages (default
//              ⌈epochs/every⌉) and stage m = s + 1: δ_m/δ_1 = r_m = ((M − m + 1)/M)^p, so that
//              δ_{m+1}/δ_m = γ_m = ((M − m)/(M − m + 1))^p (= PyTorch's PolynomialLR at fixed b).
//              poly_target "lr": η = η₀·r_m; "batch": b = b₀·r_m^{−2}; "both": b =
//              b₀·r_m^{−2·balance} rounded, then η = η₀·r_m·√(b/b₀), so δ follows r_m exactly
//              despite the rounding;
//  cosine      η = min_lr + (η₀ − min_lr)(1 + cos(π k / M))/2 (PyTorch CosineAnnealingLR, T_max =
//  M); exp         η = η₀·gamma^k.
// Stages counted in updates (stage_updates = {u_0 < u_1 < …}, non-empty): stage s covers the
// optimiser updates [u_{s−1}, u_s) (u_{−1} = 0) instead of the epochs [s·every, (s+1)·every); η and
// b are evaluated before every update (at_update), and the run ends after u_last updates (or after
// its epochs, whichever comes first). This holds the update count of a stage fixed across arms
// that change b and arms that change η (the equal-update designs of docs/claims.md). M (poly,
// cosine) defaults to the number of stage ends.
// Batch sizes are integers: b = round(exact), at least 1 and at most max_batch (default the
// training-set size). The realised relative degree of smoothing δ/δ₀ = (η/η₀)·√(b₀/b) is reported
// next to the schedule's target ratio, so the effect of batch rounding and capping is visible.
#include <cstdint>
#include <string>
#include <vector>

namespace gradcert::engine {

enum class ScheduleKind { constant, lr_step, batch_step, hybrid, poly, cosine, exp };
enum class PolyTarget { lr, batch, both };

struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::constant;
    int every = 1;
    double lr_factor = 0.7071067811865476;
    double batch_factor = 2.0;
    double power = 0.9;
    PolyTarget poly_target = PolyTarget::lr;
    double poly_balance = 0.5;
    int stages = 0;       // M for poly and cosine; 0 → ⌈epochs/every⌉
    double gamma = 0.9;   // exp
    double min_lr = 0.0;  // cosine
    int max_batch = 0;    // 0 → training-set size
    // Cumulative update counts at which the stages end (strictly increasing, positive); empty →
    // stages are counted in epochs (`every`).
    std::vector<std::uint64_t> stage_updates;
};

struct SchedulePoint {
    int epoch = 0;
    int stage = 0;  // s = ⌊epoch/every⌋, or the stage of the update (stage_updates)
    double lr = 0.0;
    int batch = 0;                  // the integer batch size used
    double batch_exact = 0.0;       // before rounding and capping
    double delta_rel = 1.0;         // realised δ/δ₀ = (η/η₀)·√(b₀/b)
    double delta_rel_target = 1.0;  // the schedule's intended δ/δ₀ (with exact batch sizes)
    bool batch_capped = false;      // b hit max_batch
};

class Schedule {
  public:
    // Throws InputError (naming `where`) for inconsistent settings: η₀ ≤ 0, b₀ < 1, b₀ larger
    // than the cap, every < 1, factors ≤ 0, power outside (0, 1] … (see CONFIG.md).
    Schedule(const ScheduleConfig& cfg, double lr0, int batch0, int epochs, int train_size,
             const std::string& where = "schedule");

    // The point of an epoch (stages counted in epochs; with stage_updates, the epoch's first
    // update is not known here: use at_update).
    SchedulePoint at(int epoch) const;
    // The point before update `update` (0-based count of updates done) in epoch `epoch`: with
    // stage_updates the stage is the number of stage ends ≤ update (at most the last stage);
    // without, at(epoch).
    SchedulePoint at_update(int epoch, std::uint64_t update) const;
    bool by_updates() const { return !cfg_.stage_updates.empty(); }
    // u_last with stage_updates; the largest std::uint64_t without.
    std::uint64_t last_update() const;
    int stages() const { return stages_; }
    int max_batch() const { return max_batch_; }

  private:
    SchedulePoint point(int epoch, int stage) const;

    ScheduleConfig cfg_;
    double lr0_;
    int batch0_;
    int stages_;
    int max_batch_;
};

// The updates epoch `epoch` does on n training examples when `first_update` updates were done
// before it: ⌊n/b⌋ with stages counted in epochs; with stage_updates, b is evaluated before every
// update, the permutation is consumed in order, and the epoch ends when fewer than b examples
// remain or the last stage ends (the trainer's loop, trainer.hpp).
int updates_in_epoch(const Schedule& s, int epoch, std::uint64_t first_update, int n);

// Epochs a run needs to do all its stage_updates on n examples (stages counted in updates);
// `epochs` for stages counted in epochs.
int epochs_needed(const Schedule& s, int epochs, int n);

ScheduleKind parse_schedule_kind(const std::string& s, const std::string& where);
std::string to_string(ScheduleKind k);
PolyTarget parse_poly_target(const std::string& s, const std::string& where);
std::string to_string(PolyTarget t);

// γ_m = ((M − m)/(M − m + 1))^p of docs/mathematics.md §5 (1 ≤ m < M).
double poly_gamma(int m, int stages, double power);

}  // namespace gradcert::engine
