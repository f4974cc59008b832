#pragma once
// verify/experiments/explicit_go.toml: which families explicit graduated optimization runs on,
// with which schedule, step rule and gradient oracle, and the power sweep of the rate study.
//
//   [quick]                        # and [full]: the mode tables
//   seed = 0
//   starts = 10                    # N starts per run, uniform in the family's domain
//   samples = 100                  # S Monte-Carlo samples per smoothed gradient
//   runs = ["rastrigin-50d", ...]  # names of [run.<name>] tables
//   sweep = "double-well"          # name of a [sweep.<name>] table (optional)
//   sweep_powers = [0.5, 0.75, 0.9, 1.0]
//   sweep_stages = [4, 8, 16, 32]
//   sweep_starts = 5
//
//   [run.<name>] / [sweep.<name>]
//   family = "verify/families/rastrigin-50d.toml"  # relative to the source tree
//   schedule = "family"            # run only: the family's own δ list; or give
//   delta1 = 1.0                   #   delta1, stages, power (run) / delta1 (sweep)
//   stages = 50
//   power = 1.0
//   steps = 20                     # T per stage
//   l0 = 0.01                      # η_m = l0·δ_m  (exactly one of l0 / step)
//   step = 0.05                    # fixed η
//   gradient = "monte-carlo"       # or "closed-form"
//   gd_step = 0.0001               # optional baseline step (default GO's last step)
//   gd_schedule_baseline = true    # optional: also plain GD with GO's step η_m per stage
//   success_radius = 0.5           # max-norm radius around x* counted as "reached"
//   stage_targets = true           # run only: certify x*_{δ_m} per stage (optional, false)
//
// Every error throws gradcert::InputError "file:line: problem".
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "verify/family_file.hpp"
#include "verify/go/explicit_go.hpp"

namespace gradcert::verify::go {

struct GoRunSpec {
    std::string name;
    FamilySpec family;
    std::string family_path;  // as written
    std::string schedule_text;
    GoSettings settings;  // deltas, steps, step rule, gradient, samples, starts, seed filled in
    bool stage_targets = false;
};

struct GoSweepSpec {
    std::string name;
    FamilySpec family;
    std::string family_path;
    double delta1 = 1.0;
    std::vector<double> powers;
    std::vector<int> stages;
    GoSettings base;  // everything except deltas
};

struct ExplicitGoConfig {
    std::string file;
    std::string mode;
    std::uint64_t seed = 0;
    int starts = 0;
    int samples = 0;
    std::vector<GoRunSpec> runs;
    std::optional<GoSweepSpec> sweep;
};

ExplicitGoConfig load_explicit_go_config(const std::filesystem::path& file, const std::string& mode,
                                         const std::filesystem::path& source_root);

}  // namespace gradcert::verify::go
