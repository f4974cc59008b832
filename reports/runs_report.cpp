#include "reports/runs_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"
#include "reports/markdown.hpp"
#include "reports/noise_scaling_report.hpp"
#include "reports/schedules_report.hpp"
#include "reports/sharpness_grid_report.hpp"
#include "reports/verification_index.hpp"
#include "verify/claims/noise_scaling_claims.hpp"
#include "verify/claims/schedules_claims.hpp"
#include "verify/claims/sharpness_grid_claims.hpp"
#include "verify/empirical/results_from_runs.hpp"

namespace fs = std::filesystem;

namespace gradcert::reports {

namespace {

// A page ready to be written: everything rendered, nothing on disk yet.
struct StagedPage {
    std::string name;
    verify::ExperimentOutcome outcome;
    ExperimentPage page;
    nlohmann::json json;
    std::string source;
};

// Judges and renders one assembled result with the experiment's own claims and page.
template <typename Result>
void stage(const std::string& name, verify::FromRuns<Result> from,
           verify::ExperimentOutcome (*judge)(const Result&),
           ExperimentPage (*render)(const Result&), std::vector<StagedPage>& pages,
           RunsReportSummary& summary) {
    if (!from.result) {
        summary.skipped.push_back(name + ": " + from.skipped);
        return;
    }
    StagedPage p{name, judge(*from.result), render(*from.result), to_json(*from.result),
                 from.source};
    p.outcome.scale =
        from.scale + ". The runs' labels read as the engine experiment's setup: " + p.outcome.scale;
    p.page.method = from.notes + p.page.method;
    p.page.training_runs = from.runs;
    p.json["from_runs"] = {{"source", from.source}, {"runs", from.runs}, {"scale", from.scale}};
    pages.push_back(std::move(p));
}

std::string index_markdown(const std::vector<verify::LoadedRun>& runs,
                           const std::vector<StagedPage>& pages, const RunsReportSummary& summary) {
    IndexInputs in;
    in.mode = verify::kRunsMode;
    for (const StagedPage& p : pages) {
        in.experiments.push_back(p.outcome);
        in.experiment_sources.push_back(p.source);
    }
    std::string list;
    for (const verify::LoadedRun& r : runs)
        list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", verify::run_name(r.dir),
                            r.tool.empty() ? "unknown tool" : r.tool);
    std::string md = "# gradcert report from run directories\n\n";
    md += fmt::format(
        "Built by `gradcert report --runs` from {} run directories: {}. Every number is a "
        "sampled **estimate** computed from the runs' files with the statistics, decision rules "
        "and pages of the engine's own experiments (docs/run-format.md, \"Reports from run "
        "directories\"); each status says whether it comes from engine runs (`gradcert train`) "
        "or from ingested runs (`gradcert ingest`, gradcert_probe). The statuses of "
        "reports/quick and reports/full come from the engine's own experiments.\n\n",
        runs.size(), list);
    md += "## The paper's claims\n\n" + empirical_claims_table(in);
    std::vector<std::vector<std::string>> rows;
    for (const StagedPage& p : pages)
        rows.push_back({fmt::format("[{0}](experiments/{0}.md)", p.name), p.outcome.title, p.source,
                        p.outcome.one_line, p.outcome.scale});
    md += "\n## Pages\n\n" +
          markdown_table({"page", "experiment", "data from", "result", "setup and scale"}, rows);
    if (!summary.skipped.empty()) {
        md += "\n## Skipped pages\n\n";
        for (const std::string& s : summary.skipped) md += "- " + s + "\n";
    }
    return md;
}

}  // namespace

RunsReportSummary write_runs_report(const std::vector<fs::path>& dirs, const fs::path& out) {
    const std::vector<verify::LoadedRun> runs = verify::load_runs(dirs);
    RunsReportSummary summary;
    std::vector<StagedPage> pages;
    stage<verify::NoiseScalingResult>(
        "noise_scaling", verify::noise_scaling_from_runs(runs),
        [](const verify::NoiseScalingResult& r) { return verify::noise_scaling_outcome(r); },
        noise_scaling_page, pages, summary);
    stage<verify::SchedulesResult>(
        "schedules", verify::schedules_from_runs(runs),
        [](const verify::SchedulesResult& r) { return verify::schedules_outcome(r); },
        schedules_page, pages, summary);
    stage<verify::SharpnessGridResult>(
        "sharpness_grid", verify::sharpness_grid_from_runs(runs),
        [](const verify::SharpnessGridResult& r) { return verify::sharpness_grid_outcome(r); },
        sharpness_grid_page, pages, summary);
    if (pages.empty()) {
        std::string why;
        for (const std::string& s : summary.skipped) why += (why.empty() ? "" : "; ") + s;
        throw_input_error(dirs.front().string(),
                          fmt::format("no report page can be built from the {} run(s) given ({})",
                                      runs.size(), why));
    }
    const std::string readme = index_markdown(runs, pages, summary);
    const fs::path staging = out / ".staging";
    fs::remove_all(staging);
    verify::ExperimentContext ctx;
    ctx.mode = verify::kRunsMode;
    for (StagedPage& p : pages) {
        write_experiment_page(ctx, staging / "experiments", p.name, p.outcome, p.page, p.json, {});
        summary.pages.push_back(p.name);
    }
    replace_directory(staging / "experiments", out / "experiments");
    write_file_atomically(out / "README.md", readme);
    fs::remove_all(staging);
    return summary;
}

}  // namespace gradcert::reports
