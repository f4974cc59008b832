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
// Batch sizes are integers: b = round(exact), at least 1 and at most max_batch (default the
// training-set size). The realised relative degree of smoothing δ/δ₀ = (η/η₀)·√(b₀/b) is reported
// next to the schedule's target ratio, so the effect of batch rounding and capping is visible.
#include <string>

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
};

struct SchedulePoint {
    int epoch = 0;
    int stage = 0;  // s = ⌊epoch/every⌋
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

    SchedulePoint at(int epoch) const;
    int stages() const { return stages_; }
    int max_batch() const { return max_batch_; }

  private:
    ScheduleConfig cfg_;
    double lr0_;
    int batch0_;
    int stages_;
    int max_batch_;
};

ScheduleKind parse_schedule_kind(const std::string& s, const std::string& where);
std::string to_string(ScheduleKind k);
PolyTarget parse_poly_target(const std::string& s, const std::string& where);
std::string to_string(PolyTarget t);

// γ_m = ((M − m)/(M − m + 1))^p of docs/mathematics.md §5 (1 ≤ m < M).
double poly_gamma(int m, int stages, double power);

}  // namespace gradcert::engine
