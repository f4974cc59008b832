#pragma once
// What the three SGD experiment reports share: loading an experiment's configuration table from
// the source tree, loading its data once, number formatting for estimates, and writing a
// report's page and files (every file rendered before the first is written).
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "numerics/engine/dataset.hpp"
#include "verify/empirical/experiment_config.hpp"
#include "verify/experiment.hpp"

namespace gradcert::verify {

// verify/experiments/<name>.toml under ctx.source, table ctx.mode.
ExperimentTable load_experiment_table(const ExperimentContext& ctx, const std::string& name);

// The work directory of one experiment: ctx.work/<name>, so experiments sharing one ctx.work
// never clear each other's state.
std::filesystem::path experiment_work(const ExperimentContext& ctx, const std::string& name);

// "0.1234" with `digits` significant digits; "n/a" for a non-finite value.
std::string sig(double v, int digits = 4);
// "v [lo, hi]".
std::string with_interval(double v, double lo, double hi, int digits = 4);
// "m ± s".
std::string plus_minus(double m, double s, int digits = 4);

// Writes dir/<name>.md, dir/<name>.json and the figures (file name → SVG text), each atomically.
void write_report_files(const std::filesystem::path& dir, const std::string& name,
                        const std::string& markdown, const std::string& json,
                        const std::vector<std::pair<std::string, std::string>>& figures);

// Markdown for an outcome's findings and tolerance checks.
std::string findings_markdown(const ExperimentOutcome& o);

// The common preamble: "All numbers are estimates …" and the scale statement.
std::string estimates_note();

// One figure of a report page: its file name beside the page, alt text, and SVG.
struct ReportFigure {
    std::string file;
    std::string alt;
    std::string svg;
};

// The parts of an SGD experiment's page that differ between experiments.
struct ExperimentPage {
    std::string method;  // paragraph(s) after the setup line, each ending in a blank line
    std::vector<std::pair<std::string, std::string>> sections;  // "## heading" → Markdown body
    std::vector<ReportFigure> figures;
    int training_runs = 0;  // > 0: stated on the wall-time line
};

// Writes dir/<name>.md, dir/<name>.json and the figures. The page is: "# title", the estimates
// note, "**Setup (mode).** scale", page.method, the sections, the findings and tolerance checks,
// the figures, and the wall time since `start` (also stored in outcome.wall_seconds). `json`
// gains the outcome and the wall time.
void write_experiment_page(const ExperimentContext& ctx, const std::filesystem::path& dir,
                           const std::string& name, ExperimentOutcome& outcome,
                           const ExperimentPage& page, nlohmann::json json,
                           std::chrono::steady_clock::time_point start);

}  // namespace gradcert::verify
