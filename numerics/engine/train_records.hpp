#pragma once
// The records a training run produces: one per epoch (epochs.csv) and one per probe (inside the
// step lines of steps.jsonl). Probe values are sampled estimates, never bounds; the JSON form
// carries "estimate": true and the CSV columns are documented as estimates in CONFIG.md.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "numerics/engine/noise.hpp"
#include "numerics/engine/probe.hpp"
#include "numerics/engine/sharpness.hpp"

namespace gradcert::engine {

struct ProbeRecord {
    std::uint64_t step = 0;  // number of updates done when the probe was taken
    int epoch = 0;           // 1-based epoch during which it was taken
    double lr = 0.0;
    int batch = 0;
    std::optional<NoiseEstimate> noise;
    std::optional<Evaluation> pool;  // training-mode loss/accuracy on the probe pool
    std::optional<PowerIterationResult> hessian;
    std::optional<SharpnessResult> sharpness;           // Keskar ε-sharpness
    std::optional<SharpnessResult> adaptive_sharpness;  // adaptive ℓ∞ sharpness
    std::optional<Evaluation> test;  // evaluation mode on the first test_size test examples
    double seconds = 0.0;
};

nlohmann::json to_json(const ProbeRecord& p);
ProbeRecord probe_from_json(const nlohmann::json& j);

struct EpochRecord {
    int epoch = 0;              // 1-based
    std::uint64_t updates = 0;  // cumulative optimiser steps
    double lr = 0.0;
    int batch = 0;
    double delta_rel = 1.0;         // realised δ/δ₀ of the schedule
    double delta_rel_target = 1.0;  // the schedule's intended δ/δ₀
    double train_loss = 0.0;  // mean of the epoch's mini-batch losses (training mode, augmented)
    double train_acc = 0.0;   // mean mini-batch accuracy over the epoch
    double test_loss = 0.0;   // evaluation mode, whole (subset) test set
    double test_acc = 0.0;
    // From the end-of-epoch probe (NaN when not measured):
    double delta = 0.0, delta_lo = 0.0, delta_hi = 0.0;  // δ̂ = ηĈ/√b with its interval
    double c2 = 0.0, c2_lo = 0.0, c2_hi = 0.0;           // Ĉ²
    double grad_norm = 0.0;                              // ‖g_P‖
    double lambda_max = 0.0;
    double sharpness = 0.0;           // Keskar ε-sharpness (%)
    double adaptive_sharpness = 0.0;  // adaptive ℓ∞ sharpness (loss increase)
    double train_seconds = 0.0;       // time in training steps this epoch
    double probe_seconds = 0.0;       // time in probes and evaluation this epoch
    double wall_seconds = 0.0;        // cumulative wall time of the run (across resumes)
};

// The header line and one row of epochs.csv (no trailing newline). Doubles are printed in the
// shortest form that reads back to the same value; NaN as "nan".
std::string epoch_csv_header();
std::string epoch_csv_row(const EpochRecord& e);
// The columns that depend on timing (wall_s, train_s, probe_s): everything else is
// deterministic for a fixed seed and thread count.
std::vector<std::string> timing_columns();

nlohmann::json to_json(const EpochRecord& e);
EpochRecord epoch_from_json(const nlohmann::json& j);

}  // namespace gradcert::engine
