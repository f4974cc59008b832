#include "verify/empirical/report_support.hpp"

#include <fmt/format.h>

#include <cmath>

#include "numerics/util/atomic_file.hpp"

namespace gradcert::verify {

ExperimentTable load_experiment_table(const ExperimentContext& ctx, const std::string& name) {
    return ExperimentTable::load(ctx.source / "verify" / "experiments" / (name + ".toml"),
                                 ctx.mode);
}

std::filesystem::path experiment_work(const ExperimentContext& ctx, const std::string& name) {
    return ctx.work / name;
}

std::string sig(double v, int digits) {
    if (!std::isfinite(v)) return "n/a";
    return fmt::format("{:.{}g}", v, digits);
}

std::string with_interval(double v, double lo, double hi, int digits) {
    return sig(v, digits) + " [" + sig(lo, digits) + ", " + sig(hi, digits) + "]";
}

std::string plus_minus(double m, double s, int digits) {
    return sig(m, digits) + " ± " + sig(s, digits > 2 ? digits - 1 : digits);
}

void write_report_files(const std::filesystem::path& dir, const std::string& name,
                        const std::string& markdown, const std::string& json,
                        const std::vector<std::pair<std::string, std::string>>& figures) {
    for (const auto& [file, svg] : figures) write_file_atomically(dir / file, svg);
    write_file_atomically(dir / (name + ".json"), json);
    write_file_atomically(dir / (name + ".md"), markdown);
}

std::string findings_markdown(const ExperimentOutcome& o) {
    std::string md = "## Findings\n\n";
    for (const ClaimFinding& f : o.findings)
        md += fmt::format("- **{}**: {} — {}\n", f.claim, to_string(f.evidence), f.summary);
    md +=
        "\n## Estimates compared on regeneration\n\n| estimate | value | band | band from |\n"
        "|---|---|---|---|\n";
    for (const ToleranceCheck& c : o.checks)
        md += fmt::format("| {} | {} | ± {} | {} |\n", c.name, sig(c.value, 5), sig(c.band, 3),
                          c.why);
    return md;
}

std::string estimates_note() {
    return "Every number below is a sampled floating-point **estimate** (finite samples, finite "
           "training runs, one machine), never a certificate; intervals are approximate "
           "confidence intervals (bootstrap percentile or normal-theory), as labelled.\n";
}

}  // namespace gradcert::verify
