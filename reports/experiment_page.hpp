#pragma once
// An experiment's page and files: dir/<name>.md (title, estimates note, setup, method, sections,
// findings with their stability and power, tolerance checks, figures, wall time),
// dir/<name>.json and the figures, every file rendered before the first is written.
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "verify/experiment.hpp"

namespace gradcert::reports {

// Writes dir/<name>.md, dir/<name>.json and the figures (file name → SVG text), each atomically.
void write_report_files(const std::filesystem::path& dir, const std::string& name,
                        const std::string& markdown, const std::string& json,
                        const std::vector<std::pair<std::string, std::string>>& figures);

// Markdown for an outcome's findings and tolerance checks.
std::string findings_markdown(const verify::ExperimentOutcome& o);

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
void write_experiment_page(const verify::ExperimentContext& ctx, const std::filesystem::path& dir,
                           const std::string& name, verify::ExperimentOutcome& outcome,
                           const ExperimentPage& page, nlohmann::json json,
                           std::chrono::steady_clock::time_point start);

// The stability and power sentences of a finding: "flip probability 4% over 3 seeds, 200
// bootstrap resamples" (and the verdict when the status is unstable), then the power statement
// for an inconclusive or unstable status. Empty parts are left out.
std::string finding_stability_text(const verify::ClaimFinding& f);
std::string finding_power_text(const verify::ClaimFinding& f);

}  // namespace gradcert::reports
