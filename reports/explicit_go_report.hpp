#pragma once
// Experiment 4 of `gradcert report`: explicit graduated optimization (docs/mathematics.md §5) on
// the families of verify/experiments/explicit_go.toml against certified global minimizers, plain GD
// from the same starts, and the stage-count / work-count rate study (claims "go-rate",
// "go-beats-gd"). Writes <dir>/explicit_go.md, explicit_go.json and explicit_go-*.svg.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "verify/experiment.hpp"
#include "verify/go/explicit_go_experiment.hpp"

namespace gradcert::reports {

// Loads <ctx.source>/verify/experiments/explicit_go.toml (table ctx.mode), runs it with
// ctx.threads threads, writes the report files into dir (created if missing) and returns the
// outcome. Throws InputError for a bad config (nothing is written then).
verify::ExperimentOutcome run_explicit_go_report(const verify::ExperimentContext& ctx,
                                                 const std::filesystem::path& dir);

// The pieces, for tests (the outcome is verify::go::explicit_go_outcome).
nlohmann::json explicit_go_json(const verify::go::ExplicitGoResult& r,
                                const verify::ExperimentOutcome& outcome);
// File name → SVG text of every figure.
std::map<std::string, std::string> explicit_go_figures(const verify::go::ExplicitGoResult& r);
std::string explicit_go_markdown(const verify::go::ExplicitGoResult& r,
                                 const verify::ExperimentOutcome& outcome,
                                 const std::map<std::string, std::string>& figures);

}  // namespace gradcert::reports
