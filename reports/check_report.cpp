#include "reports/check_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "numerics/util/atomic_file.hpp"
#include "reports/interval_text.hpp"
#include "reports/markdown.hpp"
#include "reports/svg_plot.hpp"
#include "theory/kernel_laws.hpp"
#include "verify/certificate.hpp"
#include "verify/exit_code.hpp"
#include "verify/stage_geometry.hpp"

namespace gradcert::reports {

namespace fs = std::filesystem;
using verify::FamilyCheckResult;
using verify::StageResult;
using verify::Verdict;

namespace {

const char* centering_text(verify::Centering c) {
    switch (c) {
        case verify::Centering::next:
            return "next (R_m = δ_{m+1})";
        case verify::Centering::gap:
            return "gap (R_m = δ_m − δ_{m+1})";
        case verify::Centering::both:
            return "both (R_m = δ_{m+1} and R_m = δ_m − δ_{m+1}; all must hold)";
    }
    return "?";
}

std::string verdict_cell(Verdict v) {
    switch (v) {
        case Verdict::holds:
            return "holds";
        case Verdict::fails:
            return "**fails**";
        case Verdict::inconclusive:
            return "*inconclusive*";
    }
    return "?";
}

std::string box_text(const verify::Box& b, int digits) {
    if (b.size() == 1) return interval_text(b[0], digits);
    double w = verify::max_width(b);
    if (b.size() > 3)
        return fmt::format("x₁ ∈ {}, … ({} coordinates, widths ≤ {:.2g})",
                           interval_text(b[0], digits), b.size(), w);
    std::string s;
    for (Eigen::Index i = 0; i < b.size(); ++i) s += (i ? " × " : "") + interval_text(b[i], digits);
    return s;
}

std::string minimizer_cell(const verify::MinimizerResult& m) {
    if (m.clusters.size() == 1) {
        const auto& c = m.clusters[0];
        return box_text(c.box, 8) + (c.unique_stationary ? " (unique)" : "");
    }
    return fmt::format("{} candidate clusters", m.clusters.size());
}

std::string centering_cell(const StageResult& s, verify::CenteringVariant variant) {
    for (const auto& c : s.centering)
        if (c.variant == variant)
            return verdict_cell(c.finding.verdict) +
                   fmt::format(" (≤ {:.4g} vs R = {:.4g})", c.distance.upper_double(),
                               c.radius.mid().convert_to<double>());
    return "—";
}

std::vector<verify::CenteringVariant> variants_present(const FamilyCheckResult& r) {
    std::vector<verify::CenteringVariant> v;
    for (const auto& s : r.stages)
        for (const auto& c : s.centering)
            if (std::find(v.begin(), v.end(), c.variant) == v.end()) v.push_back(c.variant);
    return v;
}

// δ_m as written in the family file when it was a decimal list (enclosed exactly in the JSON).
std::string delta_cell(const FamilyCheckResult& r, const StageResult& s) {
    size_t i = static_cast<size_t>(s.m - 1);
    if (i < r.family.delta_texts.size()) return r.family.delta_texts[i];
    return interval_text(s.delta, 10);
}

std::string stage_table(const FamilyCheckResult& r) {
    const std::vector<verify::CenteringVariant> variants = variants_present(r);
    std::vector<std::string> header{"m",
                                    "δ_m",
                                    "global minimizer x*",
                                    "f̂(x*)",
                                    "certified λ_min ≥",
                                    "counterexample ≤",
                                    "strong convexity"};
    for (const auto& v : variants)
        header.push_back("centering " + std::string(verify::centering_variant_name(v)));
    header.push_back("stage");
    std::vector<std::vector<std::string>> rows;
    for (const StageResult& s : r.stages) {
        std::vector<std::string> row{
            std::to_string(s.m),
            delta_cell(r, s),
            minimizer_cell(s.minimizers),
            interval_text(s.minimizers.min_value, 8),
            fmt::format("{:.8g}", s.certified_sigma),
            s.witness_sigma ? fmt::format("{:.8g}", *s.witness_sigma) : "—",
            verdict_cell(s.convexity.verdict)};
        for (const auto& v : variants) row.push_back(centering_cell(s, v));
        row.push_back(verdict_cell(s.verdict));
        rows.push_back(row);
    }
    return markdown_table(header, rows);
}

std::string derived_table(const FamilyCheckResult& r) {
    std::vector<std::vector<std::string>> rows;
    for (const StageResult& s : r.stages) {
        std::string rho;
        for (const auto& [v, x] : s.start_radius)
            rho += fmt::format("{}{}: {}", rho.empty() ? "" : "; ",
                               verify::centering_variant_name(v), interval_text(x, 6));
        rows.push_back({std::to_string(s.m), s.gamma ? interval_text(*s.gamma, 8) : "—",
                        s.gamma_condition ? verdict_cell(s.gamma_condition->verdict) : "—",
                        rho.empty() ? "—" : rho,
                        s.sufficient_bound ? interval_text(*s.sufficient_bound, 6) : "—",
                        fmt::format("{:.2f}", s.seconds)});
    }
    return markdown_table({"m", "γ_m = δ_{m+1}/δ_m", "γ_m ∈ [1/2, 1)", "start radius ρ_m",
                           "sufficient bound 2√(L_f E‖u‖(δ_m−δ_{m+1})/σ)", "seconds"},
                          rows);
}

std::string findings_list(const FamilyCheckResult& r) {
    std::string md;
    for (const StageResult& s : r.stages) {
        auto add = [&](const std::string& what, const verify::Finding& f) {
            if (f.verdict == Verdict::holds) return;
            md += fmt::format("- stage {} (δ = {}), {}: {} — {}\n", s.m, interval_text(s.delta, 6),
                              what, verify::verdict_name(f.verdict), f.reason);
        };
        add("strong convexity", s.convexity);
        for (const auto& c : s.centering)
            add("centering " + std::string(verify::centering_variant_name(c.variant)), c.finding);
        if (s.gamma_condition) add("schedule", *s.gamma_condition);
        if (!s.minimizers.complete())
            md += fmt::format("- stage {}: minimizer search: {}\n", s.m,
                              verify::search_status_note(s.minimizers.status));
    }
    return md.empty() ? "Every condition holds at every stage.\n" : md;
}

std::vector<size_t> figure_stages(const FamilyCheckResult& r) {
    std::vector<size_t> idx;
    size_t n = r.stages.size();
    for (size_t k : {size_t(0), n / 3, (2 * n) / 3, n - 1})
        if (k < n && std::find(idx.begin(), idx.end(), k) == idx.end()) idx.push_back(k);
    return idx;
}

// The check recorded the traces a certificate needs (check --certificate, gradcert report).
bool has_certificate(const FamilyCheckResult& r) {
    return !r.stages.empty() && r.stages.front().minimizers.trace &&
           (r.stages.front().curvature.empty() ||
            r.stages.front().curvature.front().curvature.trace);
}

// Whether the verdict can be re-derived by `gradcert recheck` from the certificate written
// beside the report (docs/certificate.md), or why not: never left unsaid.
std::string recheck_cell(const FamilyCheckResult& r) {
    const verify::RecheckSupport support = verify::recheck_support(r.family);
    if (!support.supported)
        return "**verdict not independently re-checked**: " + escape_cell(support.reason);
    if (!has_certificate(r)) return "not recorded (run `gradcert check --certificate`)";
    return fmt::format(
        "re-checkable: certificate [{0}.cert.json]({0}.cert.json) for "
        "`gradcert recheck`",
        r.family.name);
}

}  // namespace

std::string functions_figure(const FamilyCheckResult& r) {
    const auto& fam = r.family;
    Eigen::VectorXd anchor =
        r.stages.empty() ? Eigen::VectorXd::Zero(fam.dim) : r.stages.back().minimizers.best_point;
    double lo = fam.domain[0].first.lower_double(), hi = fam.domain[0].second.upper_double();
    std::vector<Series> series;
    std::vector<std::pair<std::string, IntervalM>> curves{{"f", IntervalM(0)}};
    for (size_t k : figure_stages(r))
        curves.push_back(
            {fmt::format("f̂ at δ = {:.4g}", r.stages[k].delta.mid().convert_to<double>()),
             r.stages[k].delta});
    PrecisionScope precision(r.precision_bits);
    for (const auto& [label, delta] : curves) {
        verify::Objective o = verify::family_objective(fam, verify::family_kernel(fam), delta);
        Series s{label, {}, {}, label == "f", false};
        for (int i = 0; i <= 400; ++i) {
            Eigen::VectorXd x = anchor;
            x[0] = lo + (hi - lo) * i / 400.0;
            s.x.push_back(x[0]);
            s.y.push_back(o.value_estimate(x));
        }
        series.push_back(std::move(s));
    }
    PlotSpec spec;
    spec.title = fam.dim == 1
                     ? fmt::format("{}: f and f̂_δ (estimates)", fam.name)
                     : fmt::format("{}: slice along x1 through the last x* (estimates)", fam.name);
    spec.x_label = "x1";
    spec.y_label = "value";
    return render_line_plot(spec, series);
}

std::string curvature_figure(const FamilyCheckResult& r) {
    Series certified{"certified λ_min lower bound on B(x*, 3δ)", {}, {}, false, true};
    Series witness{"counterexample curvature (upper bound)", {}, {}, true, true};
    for (const StageResult& s : r.stages) {
        double d = s.delta.mid().convert_to<double>();
        certified.x.push_back(d);
        certified.y.push_back(s.certified_sigma);
        if (s.witness_sigma) witness.x.push_back(d), witness.y.push_back(*s.witness_sigma);
    }
    std::vector<Series> series{certified};
    if (!witness.x.empty()) series.push_back(witness);
    if (r.family.sigma) {
        double sg = r.family.sigma->mid().convert_to<double>();
        Series line{fmt::format("σ = {:g}", sg),
                    {certified.x.front(), certified.x.back()},
                    {sg, sg},
                    true,
                    false};
        series.push_back(line);
    }
    PlotSpec spec;
    spec.title = fmt::format("{}: curvature on the 3δ ball per stage", r.family.name);
    spec.x_label = "δ";
    spec.y_label = "λ_min(∇²f̂_δ)";
    spec.log_x = true;
    return render_line_plot(spec, series);
}

nlohmann::json check_report_json(const FamilyCheckResult& r) {
    using nlohmann::json;
    json j;
    j["family"] = r.family.name;
    j["file"] = r.family.file;
    j["f"] = r.family.f_text;
    j["dim"] = r.family.dim;
    j["kernel"] = std::string(verify::kernel_kind_name(r.family.kernel));
    j["definition"] = std::string(verify::definition_name(r.family.definition));
    if (r.family.sigma) j["sigma"] = interval_json(*r.family.sigma);
    j["precision_bits"] = r.precision_bits;
    j["method"] = r.method;
    j["lipschitz_on_domain"] = interval_json(r.lipschitz);
    j["kernel_mean_norm"] = interval_json(r.kernel_mean_norm);
    j["overall"] = verify::verdict_name(r.overall);
    j["exit_status"] = verify::to_int(verify::exit_code(r.overall));
    json stages = json::array();
    for (const StageResult& s : r.stages) {
        json st;
        st["m"] = s.m;
        st["delta"] = interval_json(s.delta);
        st["min_value"] = interval_json(s.minimizers.min_value);
        json clusters = json::array();
        for (const auto& c : s.minimizers.clusters) {
            json box = json::array();
            for (Eigen::Index i = 0; i < c.box.size(); ++i) box.push_back(interval_json(c.box[i]));
            clusters.push_back({{"box", box},
                                {"value", interval_json(c.value)},
                                {"unique_stationary", c.unique_stationary},
                                {"interior", c.interior}});
        }
        st["minimizers"] = clusters;
        st["minimizer_search_complete"] = s.minimizers.complete();
        st["certified_lambda_min_lower"] = s.certified_sigma;
        st["counterexample_curvature_upper"] =
            s.witness_sigma ? json(*s.witness_sigma) : json(nullptr);
        st["strong_convexity"] = {{"verdict", verify::verdict_name(s.convexity.verdict)},
                                  {"reason", s.convexity.reason}};
        json cent = json::array();
        for (const auto& c : s.centering)
            cent.push_back({{"variant", verify::centering_variant_name(c.variant)},
                            {"radius", interval_json(c.radius)},
                            {"distance", interval_json(c.distance)},
                            {"verdict", verify::verdict_name(c.finding.verdict)},
                            {"reason", c.finding.reason}});
        st["centering"] = cent;
        if (s.gamma) st["gamma"] = interval_json(*s.gamma);
        if (s.gamma_condition)
            st["gamma_condition"] = verify::verdict_name(s.gamma_condition->verdict);
        if (s.sufficient_bound) st["sufficient_bound"] = interval_json(*s.sufficient_bound);
        for (const auto& [v, x] : s.start_radius)
            st["start_radius"][std::string(verify::centering_variant_name(v))] = interval_json(x);
        st["verdict"] = verify::verdict_name(s.verdict);
        stages.push_back(st);
    }
    j["stages"] = stages;
    return j;
}

std::string check_report_markdown(const FamilyCheckResult& r, const std::string& functions_svg,
                                  const std::string& curvature_svg) {
    const auto& f = r.family;
    std::string md = fmt::format("# Certificate: `{}`\n\n", f.name);
    md += fmt::format("**Overall: {}** ({} stages; exit status {}).\n\n",
                      verify::verdict_name(r.overall), r.stages.size(),
                      verify::to_int(verify::exit_code(r.overall)));
    md += "| setting | value |\n|---|---|\n";
    md += fmt::format("| family file | `{}` |\n| f | `{}` |\n| dimension | {} |\n", f.file,
                      escape_cell(f.f_text), f.dim);
    for (const auto& [k, v] : f.params_text) md += fmt::format("| parameter {} | {} |\n", k, v);
    // The kernel with its parameter (student-t's ν, stable's α), e.g. "stable (alpha = 1.5)".
    md += fmt::format("| kernel | {} |\n| definition | {} |\n",
                      theory::kernel_description(verify::family_kernel(f)),
                      verify::definition_name(f.definition));
    if (f.sigma) md += fmt::format("| σ | {} |\n", interval_text(*f.sigma, 12));
    if (f.definition != verify::Definition::sigma_nice)
        md += fmt::format("| centering | {} |\n", centering_text(f.centering));
    md +=
        fmt::format("| schedule | {} |\n| method | {} |\n", escape_cell(f.schedule_text), r.method);
    md += fmt::format("| L_f on the domain (certified) | {} |\n| E‖u‖ | {} |\n",
                      interval_text(r.lipschitz, 10), interval_text(r.kernel_mean_norm, 10));
    md +=
        fmt::format("| precision | {} bits (MPFR, outward rounding) |\n| wall time | {:.2f} s |\n",
                    r.precision_bits, r.seconds);
    md += fmt::format("| independent re-check | {} |\n\n", recheck_cell(r));
    md +=
        "## Stages\n\nIntervals are rigorous enclosures; `holds` is proved by them, `fails` by "
        "the certified counterexample named below.\n\n";
    md += stage_table(r);
    md += "\n## Derived quantities\n\n";
    md += derived_table(r);
    md += "\n## Findings\n\n" + findings_list(r);
    md += fmt::format("\n## Figures\n\n![f and smoothed f]({})\n\n![curvature per stage]({})\n\n",
                      functions_svg, curvature_svg);
    md +=
        "Curves of f and f̂_δ are floating-point estimates drawn for orientation only; every "
        "number in the tables is an enclosure.\n";
    return md;
}

std::string check_summary_text(const FamilyCheckResult& r) {
    std::string out =
        fmt::format("{}: {} ({} stages, {:.2f} s, {})\n", r.family.name,
                    verify::verdict_name(r.overall), r.stages.size(), r.seconds, r.method);
    for (const StageResult& s : r.stages) {
        out += fmt::format("  m={:<3} δ={:<12.6g} λ_min≥{:<14.8g} convexity {:<12}", s.m,
                           s.delta.mid().convert_to<double>(), s.certified_sigma,
                           verify::verdict_name(s.convexity.verdict));
        for (const auto& c : s.centering)
            out += fmt::format(" {} {:<12}", verify::centering_variant_name(c.variant),
                               verify::verdict_name(c.finding.verdict));
        out += fmt::format(" → {}\n", verify::verdict_name(s.verdict));
    }
    return out;
}

fs::path write_check_report(const FamilyCheckResult& r, const fs::path& dir) {
    const std::string name = r.family.name;
    const std::string functions = name + "-functions.svg", curvature = name + "-curvature.svg";
    // Render everything before writing anything, so a failure leaves no partial report.
    std::string functions_svg = functions_figure(r);
    std::string curvature_svg = curvature_figure(r);
    std::string json = check_report_json(r).dump(2) + "\n";
    std::string md = check_report_markdown(r, functions, curvature);
    std::string certificate = has_certificate(r) ? verify::certificate_json(r) : "";
    write_file_atomically(dir / functions, functions_svg);
    if (!certificate.empty()) write_file_atomically(dir / (name + ".cert.json"), certificate);
    write_file_atomically(dir / curvature, curvature_svg);
    write_file_atomically(dir / (name + ".json"), json);
    write_file_atomically(dir / (name + ".md"), md);
    return dir / (name + ".md");
}

}  // namespace gradcert::reports
