#pragma once
// The report of `gradcert check`: Markdown (tables of intervals per stage, verdicts, figures),
// JSON (every number as [lo, hi]) and SVG figures, written into one directory.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "verify/family_check.hpp"

namespace gradcert::reports {

nlohmann::json check_report_json(const verify::FamilyCheckResult& r);
std::string check_report_markdown(const verify::FamilyCheckResult& r,
                                  const std::string& functions_svg,
                                  const std::string& curvature_svg);
// f and f̂_δ for a few δ: the curve in 1-D, the slice through the last stage's minimizer along x1
// in higher dimensions (labelled so). Values are floating-point estimates.
std::string functions_figure(const verify::FamilyCheckResult& r);
// Certified λ_min lower bound and counterexample curvature per stage against σ.
std::string curvature_figure(const verify::FamilyCheckResult& r);
// A plain-text summary for the terminal.
std::string check_summary_text(const verify::FamilyCheckResult& r);

// Writes <dir>/<name>.md, <name>.json, <name>-functions.svg and <name>-curvature.svg, each
// atomically. Returns the Markdown path.
std::filesystem::path write_check_report(const verify::FamilyCheckResult& r,
                                         const std::filesystem::path& dir);

}  // namespace gradcert::reports
