// `gradcert check FILE [--set k=v]... [--out DIR] [--json OUT] [--certificate OUT]`: per-stage
// certificates of a family's σ-nice conditions (--certificate: the verdict certificate of
// docs/certificate.md, for `gradcert recheck`). Exit 0 all hold, 1 some condition fails, 3 none
// fail but some are inconclusive, 2 bad input (nothing written).
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "driver/command.hpp"
#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"
#include "reports/check_report.hpp"
#include "verify/certificate.hpp"
#include "verify/family_check.hpp"

namespace {

struct CheckArgs {
    std::string file;
    std::vector<std::string> sets;
    std::string out_dir;
    std::string json_path;
    std::string certificate_path;
    long precision = 128;
    int max_boxes = 50000;
    bool no_separability = false;
};

std::map<std::string, std::string> parse_overrides(const std::vector<std::string>& sets) {
    std::map<std::string, std::string> out;
    for (const std::string& s : sets) {
        auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
            throw gradcert::InputError("--set " + s + ": expected NAME=VALUE");
        out[s.substr(0, eq)] = s.substr(eq + 1);
    }
    return out;
}

// An output file must be creatable: not a directory, and its nearest existing ancestor a
// writable directory (write_file_atomically creates the missing ones). Checked before any work.
void require_writable_file(const std::string& flag, const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path p = fs::absolute(path, ec);
    if (path.empty() || ec) throw gradcert::InputError(flag + " '" + path + "': not a usable path");
    if (fs::is_directory(p, ec))
        throw gradcert::InputError(flag + " " + path + ": is a directory, not a file");
    fs::path dir = p.parent_path();
    while (!dir.empty() && !fs::exists(dir, ec) && dir != dir.parent_path())
        dir = dir.parent_path();
    if (!fs::is_directory(dir, ec))
        throw gradcert::InputError(flag + " " + path + ": " + dir.string() + " is not a directory");
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw gradcert::InputError(flag + " " + path + ": directory " + dir.string() +
                                   " is not writable");
}

gradcert::driver::Runner setup(CLI::App& sub) {
    auto args = std::make_shared<CheckArgs>();
    sub.add_option("FILE", args->file,
                   "family file (TOML), e.g. verify/families/rastrigin-1d-gaussian.toml")
        ->required();
    sub.add_option("--set", args->sets, "override a parameter: --set a=5 (repeatable)");
    sub.add_option("--out", args->out_dir, "write the Markdown report, figures and JSON here");
    sub.add_option("--json", args->json_path, "write the JSON (every number as [lo, hi]) here");
    sub.add_option("--certificate", args->certificate_path,
                   "write the verdict certificate (docs/certificate.md) here, for gradcert "
                   "recheck");
    sub.add_option("--precision", args->precision, "MPFR working precision in bits (default 128)")
        ->check(CLI::Range(64, 4096));
    sub.add_option("--max-boxes", args->max_boxes,
                   "branch-and-bound budget per stage (default 50000)")
        ->check(CLI::Range(100, 10000000));
    sub.add_flag("--no-separability", args->no_separability,
                 "solve separable families as one d-dimensional problem");
    return [args]() {
        if (!args->certificate_path.empty())
            require_writable_file("--certificate", args->certificate_path);
        gradcert::verify::FamilySpec family =
            gradcert::verify::load_family(args->file, parse_overrides(args->sets));
        gradcert::verify::CheckOptions options;
        options.precision_bits = args->precision;
        options.minimizer.max_boxes = args->max_boxes;
        options.use_separability = !args->no_separability;
        options.minimizer.record_certificate = !args->certificate_path.empty();
        options.curvature.record_certificate = !args->certificate_path.empty();
        gradcert::verify::FamilyCheckResult result =
            gradcert::verify::check_family(family, options);
        std::cout << gradcert::reports::check_summary_text(result);
        if (!args->out_dir.empty()) {
            auto md = gradcert::reports::write_check_report(result, args->out_dir);
            std::cout << "report: " << md.string() << "\n";
        }
        if (!args->json_path.empty())
            gradcert::write_file_atomically(
                args->json_path, gradcert::reports::check_report_json(result).dump(2) + "\n");
        if (!args->certificate_path.empty()) {
            const std::string certificate = gradcert::verify::certificate_json(result);
            gradcert::write_file_atomically(args->certificate_path, certificate);
            std::cout << fmt::format("certificate: {} ({} bytes)\n", args->certificate_path,
                                     certificate.size());
        }
        return gradcert::verify::exit_status(result.overall);
    };
}

}  // namespace

GRADCERT_COMMAND("check", "certify a function family's sigma-nice conditions stage by stage",
                 setup);
