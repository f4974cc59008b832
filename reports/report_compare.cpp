#include "reports/report_compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "numerics/util/error.hpp"
#include "verify/experiment.hpp"

namespace gradcert::reports {

namespace fs = std::filesystem;

namespace {

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(file.string(), "cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The *.json files directly in `dir`, sorted (none if the directory does not exist).
std::vector<fs::path> json_files(const fs::path& dir) {
    std::vector<fs::path> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

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

void compare_certified(const fs::path& actual, const fs::path& reference, const fs::path& sub,
                       const CompareOptions& options, std::vector<std::string>& out) {
    for (const fs::path& ref : json_files(reference / sub)) {
        const fs::path act = actual / sub / ref.filename();
        if (!fs::exists(act)) {
            if (!options.allow_missing)
                out.push_back(fmt::format("{}: missing from {}", (sub / ref.filename()).string(),
                                          actual.string()));
            continue;
        }
        if (read_bytes(act) != read_bytes(ref))
            out.push_back(
                fmt::format("{}: certified result differs from {}", act.string(), ref.string()));
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

void compare_experiments(const fs::path& actual, const fs::path& reference,
                         const CompareOptions& options, std::vector<std::string>& out) {
    for (const fs::path& ref : json_files(reference / "experiments")) {
        const fs::path act = actual / "experiments" / ref.filename();
        if (!fs::exists(act)) {
            if (!options.allow_missing)
                out.push_back(fmt::format("experiments/{}: missing from {}",
                                          ref.filename().string(), actual.string()));
            continue;
        }
        compare_checks(read_outcome(act), read_outcome(ref), act.string(), out);
    }
}

}  // namespace

std::vector<std::string> compare_reports(const fs::path& actual, const fs::path& reference,
                                         const CompareOptions& options) {
    if (!fs::is_directory(actual)) throw_input_error(actual.string(), "is not a directory");
    if (!fs::is_directory(reference)) throw_input_error(reference.string(), "is not a directory");
    std::vector<std::string> out;
    compare_certified(actual, reference, "families", options, out);
    compare_certified(actual, reference, "constants", options, out);
    if (options.experiments) compare_experiments(actual, reference, options, out);
    return out;
}

}  // namespace gradcert::reports
