#include "reports/experiment_page.hpp"

#include <fmt/format.h>

#include <cmath>

#include "numerics/util/atomic_file.hpp"
#include "numerics/util/stopwatch.hpp"
#include "verify/empirical/report_support.hpp"

namespace gradcert::reports {

using verify::sig;

std::string finding_stability_text(const verify::ClaimFinding& f) {
    if (f.resampled.empty()) return "";
    std::string s =
        std::isnan(f.flip_probability)
            ? "flip probability not estimated (" + f.resampled + ")"
            : fmt::format("flip probability {:.0f}% ({})", 100 * f.flip_probability, f.resampled);
    if (f.evidence == verify::Evidence::unstable)
        s += fmt::format(
            "; the decision rule's verdict on all the data is {}, but it flips in "
            "more than 10% of resamples",
            verify::to_string(f.verdict));
    return s;
}

std::string finding_power_text(const verify::ClaimFinding& f) {
    const bool undecided =
        f.evidence == verify::Evidence::inconclusive || f.evidence == verify::Evidence::unstable;
    return undecided ? f.power : std::string();
}

void write_report_files(const std::filesystem::path& dir, const std::string& name,
                        const std::string& markdown, const std::string& json,
                        const std::vector<std::pair<std::string, std::string>>& figures) {
    for (const auto& [file, svg] : figures) write_file_atomically(dir / file, svg);
    write_file_atomically(dir / (name + ".json"), json);
    write_file_atomically(dir / (name + ".md"), markdown);
}

std::string findings_markdown(const verify::ExperimentOutcome& o) {
    std::string md = "## Findings\n\n";
    for (const verify::ClaimFinding& f : o.findings) {
        md += fmt::format("- **{}**: {} — {}", f.claim, verify::to_string(f.evidence), f.summary);
        if (const std::string s = finding_stability_text(f); !s.empty()) md += ". Stability: " + s;
        if (const std::string p = finding_power_text(f); !p.empty()) md += ". Power: " + p;
        md += "\n";
    }
    md +=
        "\n## Estimates compared on regeneration\n\n| estimate | value | band | band from |\n"
        "|---|---|---|---|\n";
    for (const verify::ToleranceCheck& c : o.checks)
        md += fmt::format("| {} | {} | ± {} | {} |\n", c.name, sig(c.value, 5), sig(c.band, 3),
                          c.why);
    return md;
}

std::string estimates_note() {
    return "Every number below is a sampled floating-point **estimate** (finite samples, finite "
           "training runs, one machine), never a certificate; intervals are approximate "
           "confidence intervals (bootstrap percentile or normal-theory), as labelled.\n";
}

namespace {

std::string figures_markdown(const std::vector<ReportFigure>& figures) {
    std::string md = "\n## Figures\n\n";
    for (const ReportFigure& f : figures) md += fmt::format("![{}]({})\n\n", f.alt, f.file);
    return md;
}

std::string wall_time_line(double seconds, const verify::ExperimentContext& ctx,
                           int training_runs) {
    if (training_runs > 0)
        return fmt::format("Wall time: {:.1f} s ({} threads, {} training runs).\n", seconds,
                           ctx.threads, training_runs);
    return fmt::format("Wall time: {:.1f} s ({} threads).\n", seconds, ctx.threads);
}

}  // namespace

void write_experiment_page(const verify::ExperimentContext& ctx, const std::filesystem::path& dir,
                           const std::string& name, verify::ExperimentOutcome& outcome,
                           const ExperimentPage& page, nlohmann::json json,
                           std::chrono::steady_clock::time_point start) {
    std::string md = "# " + outcome.title + "\n\n" + estimates_note() + "\n";
    md += "**Setup (" + ctx.mode + " mode).** " + outcome.scale + "\n\n";
    md += page.method;
    for (const auto& [heading, body] : page.sections) md += "## " + heading + "\n\n" + body + "\n";
    md += findings_markdown(outcome);
    md += figures_markdown(page.figures);
    outcome.wall_seconds = seconds_since(start);
    md += wall_time_line(outcome.wall_seconds, ctx, page.training_runs);
    json["outcome"] = verify::to_json(outcome);
    json["wall_seconds"] = outcome.wall_seconds;
    std::vector<std::pair<std::string, std::string>> files;
    for (const ReportFigure& f : page.figures) files.emplace_back(f.file, f.svg);
    write_report_files(dir, name, md, json.dump(2) + "\n", files);
}

}  // namespace gradcert::reports
