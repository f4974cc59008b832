#include "reports/report_compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "numerics/util/error.hpp"
#include "reports/markdown_read.hpp"
#include "verify/experiment.hpp"

namespace gradcert::reports {

namespace fs = std::filesystem;

namespace {

constexpr const char* kIndex = "README.md";
constexpr const char* kClaimsHeading = "## The paper's claims";
constexpr const char* kFamiliesHeading = "## Verification reports";
// Cells longer than this are shortened in difference messages.
constexpr std::size_t kShownCellChars = 120;

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(file.string(), "cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string shown(const std::string& cell) {
    if (cell.size() <= kShownCellChars) return "'" + cell + "'";
    return "'" + cell.substr(0, kShownCellChars) + "…'";
}

// What kind of comparison a report file gets.
enum class FileKind { certified_json, certified_markdown, experiment_json, index };

// The report files of `root` that compare-reports looks at, as paths relative to `root`.
std::map<fs::path, FileKind> report_files(const fs::path& root, const CompareOptions& options) {
    std::map<fs::path, FileKind> files;
    auto add_dir = [&](const std::string& sub, const std::string& ext, FileKind kind) {
        if (!fs::is_directory(root / sub)) return;
        for (const auto& e : fs::directory_iterator(root / sub))
            if (e.is_regular_file() && e.path().extension() == ext)
                files[fs::path(sub) / e.path().filename()] = kind;
    };
    for (const std::string sub : {"families", "constants"}) {
        add_dir(sub, ".json", FileKind::certified_json);
        add_dir(sub, ".md", FileKind::certified_markdown);
    }
    if (options.experiments) add_dir("experiments", ".json", FileKind::experiment_json);
    if (fs::is_regular_file(root / kIndex)) files[kIndex] = FileKind::index;
    return files;
}

// ---- certified Markdown ----------------------------------------------------------------------

// The lines of a certified page with timing cells blanked: the value of a "wall time" row and
// every cell of a column headed "seconds". Table rows are returned as their cells joined by '|'.
std::vector<std::vector<std::string>> certified_rows(const std::string& markdown) {
    std::vector<std::vector<std::string>> out;
    std::vector<std::string> header;
    bool in_table = false;
    for (const std::string& line : markdown_lines(markdown)) {
        std::vector<std::string> cells = split_table_row(line);
        if (cells.empty()) {
            in_table = false;
            out.push_back({line});
            continue;
        }
        if (!in_table) {
            in_table = true;
            header = cells;
        } else if (!is_table_separator(line)) {
            for (std::size_t c = 0; c < cells.size() && c < header.size(); ++c)
                if (header[c] == "seconds") cells[c] = "(timing)";
            if (cells.size() == 2 && cells[0] == "wall time") cells[1] = "(timing)";
        }
        out.push_back(std::move(cells));
    }
    return out;
}

void compare_certified_markdown(const fs::path& act, const fs::path& ref, const std::string& name,
                                std::vector<std::string>& out) {
    const auto a = certified_rows(read_bytes(act)), r = certified_rows(read_bytes(ref));
    std::size_t differing = 0;
    std::string first;
    for (std::size_t i = 0; i < std::max(a.size(), r.size()); ++i) {
        const std::vector<std::string> none;
        const auto& x = i < a.size() ? a[i] : none;
        const auto& y = i < r.size() ? r[i] : none;
        if (x == y) continue;
        if (differing++ > 0) continue;
        std::size_t c = 0;
        while (c < x.size() && c < y.size() && x[c] == y[c]) ++c;
        first = fmt::format("line {}: {} vs reference {}", i + 1,
                            shown(c < x.size() ? x[c] : "(nothing)"),
                            shown(c < y.size() ? y[c] : "(nothing)"));
    }
    if (differing > 0)
        out.push_back(fmt::format("{}: certified text differs from {} on {} line(s); first at {}",
                                  name, ref.string(), differing, first));
}

// ---- the index --------------------------------------------------------------------------------

// Column `value` of `table` keyed by column `key` (both by header name); empty if absent.
std::map<std::string, std::string> table_column(const std::string& markdown,
                                                const std::string& heading, const std::string& key,
                                                const std::string& value) {
    std::map<std::string, std::string> column;
    const auto table = table_after_heading(markdown, heading);
    if (!table) return column;
    const auto k = std::find(table->header.begin(), table->header.end(), key);
    const auto v = std::find(table->header.begin(), table->header.end(), value);
    if (k == table->header.end() || v == table->header.end()) return column;
    const auto ki = static_cast<std::size_t>(k - table->header.begin());
    const auto vi = static_cast<std::size_t>(v - table->header.begin());
    for (const auto& row : table->rows)
        if (ki < row.size() && vi < row.size()) column[row[ki]] = row[vi];
    return column;
}

bool is_estimate_status(const std::string& status) {
    return status.find("(estimate") != std::string::npos;
}

// The status word(s) of an index status cell: "supported (estimate; flip 4%)" → "supported";
// several experiments' statuses joined by " / " keep their words.
std::string status_words(const std::string& cell) {
    std::string out, rest = cell;
    while (!rest.empty()) {
        const auto slash = rest.find(" / ");
        std::string part = rest.substr(0, slash);
        const auto paren = part.find(" (");
        out += (out.empty() ? "" : " / ") + part.substr(0, paren);
        rest = slash == std::string::npos ? "" : rest.substr(slash + 3);
    }
    return out;
}

// A committed status marked unstable at its scale does not bind the regenerated one.
bool reference_unstable(const std::string& r) {
    return r.find(verify::to_string(verify::Evidence::unstable)) != std::string::npos;
}

void compare_keyed(const std::map<std::string, std::string>& act,
                   const std::map<std::string, std::string>& ref, const std::string& what,
                   bool (*skip)(const std::string&, const std::string&), bool claim_status,
                   const CompareOptions& options, std::vector<std::string>& out) {
    for (const auto& [key, r] : ref) {
        const auto it = act.find(key);
        if (it == act.end()) {
            if (!options.allow_missing)
                out.push_back(fmt::format("{}: {} {} missing from the actual index", kIndex, what,
                                          shown(key)));
            continue;
        }
        if (skip != nullptr && skip(it->second, r)) continue;
        // Estimate statuses are compared by their words (the flip probability beside them is an
        // estimate too); certified statuses and family verdicts cell for cell.
        const bool estimates =
            claim_status && is_estimate_status(it->second) && is_estimate_status(r);
        if (estimates && reference_unstable(r)) continue;
        if (estimates ? status_words(it->second) != status_words(r) : it->second != r)
            out.push_back(fmt::format("{}: {} {}: {} vs reference {}", kIndex, what, shown(key),
                                      shown(it->second), shown(r)));
    }
    if (options.allow_missing) return;
    for (const auto& [key, a] : act)
        if (!ref.count(key))
            out.push_back(
                fmt::format("{}: {} {} not in the reference index", kIndex, what, shown(key)));
}

bool either_is_estimate(const std::string& a, const std::string& r) {
    return is_estimate_status(a) || is_estimate_status(r);
}

void compare_index(const fs::path& act, const fs::path& ref, const CompareOptions& options,
                   std::vector<std::string>& out) {
    const std::string a = read_bytes(act), r = read_bytes(ref);
    const auto ref_claims =
        table_column(r, kClaimsHeading, "claim (docs/mathematics.md)", "status");
    if (ref_claims.empty())
        throw_input_error(ref.string(), "has no claims table (\"## The paper's claims\")");
    const auto act_claims =
        table_column(a, kClaimsHeading, "claim (docs/mathematics.md)", "status");
    if (act_claims.empty())
        throw_input_error(act.string(), "has no claims table (\"## The paper's claims\")");
    compare_keyed(act_claims, ref_claims, "status of claim",
                  options.experiments ? nullptr : either_is_estimate, true, options, out);
    compare_keyed(table_column(a, kFamiliesHeading, "family", "verdict"),
                  table_column(r, kFamiliesHeading, "family", "verdict"), "verdict of family",
                  nullptr, false, options, out);
}

// ---- experiments ------------------------------------------------------------------------------

verify::ExperimentOutcome read_outcome(const fs::path& file) {
    try {
        auto j = nlohmann::json::parse(read_bytes(file));
        if (!j.contains("outcome")) throw_input_error(file.string(), "has no \"outcome\" object");
        return verify::outcome_from_json(j.at("outcome"));
    } catch (const nlohmann::json::exception& e) {
        throw_input_error(file.string(), std::string("malformed JSON: ") + e.what());
    } catch (const std::invalid_argument& e) {
        throw_input_error(file.string(), e.what());
    }
}

void compare_checks(const verify::ExperimentOutcome& act, const verify::ExperimentOutcome& ref,
                    const std::string& label, std::vector<std::string>& out) {
    for (const auto& r : ref.checks) {
        auto it = std::find_if(act.checks.begin(), act.checks.end(),
                               [&](const auto& a) { return a.name == r.name; });
        if (it == act.checks.end()) {
            out.push_back(fmt::format("{}: estimate '{}' missing", label, r.name));
            continue;
        }
        const double diff = std::fabs(it->value - r.value);
        if (!(diff <= r.band))  // also catches NaN
            out.push_back(fmt::format("{}: estimate '{}' = {:.6g}, reference {:.6g} ± {:.3g} ({})",
                                      label, r.name, it->value, r.value, r.band, r.why));
    }
}

// A claim's status in an experiment's outcome must not change, unless the reference marks it
// unstable at its scale (then the regenerated status may be anything).
void compare_findings(const verify::ExperimentOutcome& act, const verify::ExperimentOutcome& ref,
                      const std::string& label, std::vector<std::string>& out) {
    for (const auto& r : ref.findings) {
        if (r.evidence == verify::Evidence::unstable) continue;
        auto it = std::find_if(act.findings.begin(), act.findings.end(),
                               [&](const auto& a) { return a.claim == r.claim; });
        if (it == act.findings.end()) {
            out.push_back(fmt::format("{}: finding '{}' missing", label, r.claim));
            continue;
        }
        if (it->evidence != r.evidence)
            out.push_back(fmt::format(
                "{}: status of claim '{}' is {}, reference {} (not marked unstable there)", label,
                r.claim, verify::to_string(it->evidence), verify::to_string(r.evidence)));
    }
}

void compare_file(const fs::path& actual, const fs::path& reference, const fs::path& rel,
                  FileKind kind, const CompareOptions& options, std::vector<std::string>& out) {
    const fs::path act = actual / rel, ref = reference / rel;
    switch (kind) {
        case FileKind::certified_json:
            if (read_bytes(act) != read_bytes(ref))
                out.push_back(fmt::format("{}: certified result differs from {}", act.string(),
                                          ref.string()));
            return;
        case FileKind::certified_markdown:
            compare_certified_markdown(act, ref, act.string(), out);
            return;
        case FileKind::experiment_json: {
            const auto a = read_outcome(act), r = read_outcome(ref);
            compare_checks(a, r, act.string(), out);
            compare_findings(a, r, act.string(), out);
            return;
        }
        case FileKind::index:
            compare_index(act, ref, options, out);
            return;
    }
}

}  // namespace

std::vector<std::string> compare_reports(const fs::path& actual, const fs::path& reference,
                                         const CompareOptions& options) {
    if (!fs::is_directory(actual)) throw_input_error(actual.string(), "is not a directory");
    if (!fs::is_directory(reference)) throw_input_error(reference.string(), "is not a directory");
    const auto act_files = report_files(actual, options);
    const auto ref_files = report_files(reference, options);
    std::vector<std::string> out;
    if (ref_files.empty()) {
        out.push_back(fmt::format(
            "{}: the reference holds no report (no README.md, families/, constants/{}): nothing "
            "to compare against",
            reference.string(), options.experiments ? ", experiments/" : ""));
        return out;
    }
    for (const auto& [rel, kind] : ref_files) {
        if (act_files.count(rel)) {
            compare_file(actual, reference, rel, kind, options, out);
        } else if (!options.allow_missing) {
            out.push_back(fmt::format("{}: missing from {}", rel.string(), actual.string()));
        }
    }
    if (!options.allow_missing)
        for (const auto& [rel, kind] : act_files)
            if (!ref_files.count(rel))
                out.push_back(
                    fmt::format("{}: not in the reference {}", rel.string(), reference.string()));
    return out;
}

}  // namespace gradcert::reports
