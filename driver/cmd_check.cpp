// `gradcert check FILE [--set k=v]... [--out DIR] [--json OUT] [--certificate OUT]`: per-stage
// certificates of a family's σ-nice conditions (--certificate: the verdict certificate of
// docs/certificate.md, for `gradcert recheck`). Exit status (docs/cli.md): 0 all hold, 1 some
// condition fails, 3 none fail but some are inconclusive, 2 bad input (nothing written).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>

#include "driver/command.hpp"
#include "driver/output_paths.hpp"
#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"
#include "reports/check_report.hpp"
#include "verify/certificate.hpp"
#include "verify/exit_code.hpp"
#include "verify/family_check.hpp"

namespace {

struct CheckArgs {
    std::string file;
    std::vector<std::string> sets;
    std::string out_dir;
    std::string json_path;
    long precision = 0;  // 0: not given (the file's value, else the default)
    long max_boxes = 0;
    std::string certificate_path;
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

// "check: stage m/M, N boxes" on stderr, once the check has run 2 s, then at most every 2 s.
std::function<void(const gradcert::verify::CheckProgress&)> stderr_progress() {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto last = std::make_shared<Clock::time_point>(start);
    return [start, last](const gradcert::verify::CheckProgress& p) {
        const auto now = Clock::now();
        if (now - start < std::chrono::seconds(2) || now - *last < std::chrono::seconds(2)) return;
        *last = now;
        if (p.stage > p.stages)
            std::cerr << fmt::format("check: linking {} stages, {} boxes\n", p.stages, p.boxes);
        else
            std::cerr << fmt::format("check: stage {}/{}, {} boxes\n", p.stage, p.stages, p.boxes);
    };
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
    // The same ranges as the file's [check] keys; the flag overrides the file (docs/precision.md).
    using gradcert::verify::kMaxCheckBoxes, gradcert::verify::kMaxCheckPrecisionBits;
    using gradcert::verify::kMinCheckBoxes, gradcert::verify::kMinCheckPrecisionBits;
    sub.add_option("--precision", args->precision,
                   "MPFR working precision in bits (overrides [check] precision_bits; default 128)")
        ->check(CLI::Range(kMinCheckPrecisionBits, kMaxCheckPrecisionBits));
    sub.add_option("--max-boxes", args->max_boxes,
                   "branch-and-bound budget per stage (overrides [check] max_boxes; default 50000)")
        ->check(CLI::Range(kMinCheckBoxes, kMaxCheckBoxes));
    sub.add_flag("--no-separability", args->no_separability,
                 "solve separable families as one d-dimensional problem");
    return [args]() {
        if (!args->out_dir.empty())
            gradcert::driver::require_writable_directory("--out", args->out_dir);
        if (!args->json_path.empty())
            gradcert::driver::require_writable_file("--json", args->json_path);
        gradcert::verify::CheckOverrides given;
        if (args->precision) given.precision_bits = args->precision;
        if (args->max_boxes) given.max_boxes = args->max_boxes;
        if (!args->certificate_path.empty())
            gradcert::driver::require_writable_file("--certificate", args->certificate_path);
        gradcert::verify::FamilySpec family =
            gradcert::verify::load_family(args->file, parse_overrides(args->sets), given);
        gradcert::verify::CheckOptions options = gradcert::verify::check_options(family);
        options.use_separability = !args->no_separability;
        options.progress = stderr_progress();
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
        return gradcert::verify::to_int(gradcert::verify::exit_code(result.overall));
    };
}

}  // namespace

GRADCERT_COMMAND("check", "certify a function family's sigma-nice conditions stage by stage",
                 setup);
