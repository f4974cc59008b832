// `gradcert constants [--json OUT] [--golden FILE] [--precision BITS]`: the paper's closed-form
// constants as rigorous enclosures (theory/constants.hpp). Prints a table; --json writes every
// enclosure as outward-rounded decimal strings (atomically); --golden compares with a committed
// copy and exits 1 listing every constant that moved, was added or was removed (0 otherwise).
// Bad input (unreadable or malformed golden file, precision below 128 bits) exits 2.
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "driver/command.hpp"
#include "driver/output_paths.hpp"
#include "numerics/interval/interval.hpp"
#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"
#include "theory/constants.hpp"
#include "theory/constants_json.hpp"

namespace gradcert::driver {
namespace {

constexpr long kDefaultPrecision = 128;
constexpr long kMinPrecision = 128;
constexpr long kMaxPrecision = 65536;
// Groups with more rows than this print their first and last few rows only.
constexpr std::size_t kMaxRowsPerGroup = 40;
constexpr std::size_t kEdgeRows = 5;

struct ConstantsOptions {
    std::string json_out;
    std::string golden;
    long precision = kDefaultPrecision;
    CLI::Option* precision_option = nullptr;
};

nlohmann::json read_golden(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw_input_error(path, "cannot open the golden constants file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(buffer.str());
    } catch (const nlohmann::json::parse_error& e) {
        throw_input_error(path, std::string("not valid JSON (") + e.what() + ")");
    }
    theory::validate_constants_json(doc, path);
    return doc;
}

void print_row(const theory::NamedConstant& c) {
    const std::string mid = theory::decimal_string(c.value.mid(), 16);
    const std::string rad = theory::decimal_string(c.value.rad(), 2);
    std::printf("  %-62s %-24s +- %-9s %s\n", c.name.c_str(), mid.c_str(), rad.c_str(),
                c.tag.c_str());
}

void print_table(const std::vector<theory::NamedConstant>& constants, long bits) {
    std::printf("gradcert constants: closed-form constants of the paper, enclosed at %ld bits\n",
                bits);
    std::printf(
        "(value = midpoint of the enclosure, +- = its radius; --json has every endpoint)\n");
    std::size_t i = 0;
    while (i < constants.size()) {
        const std::string& group = constants[i].group;
        std::size_t end = i;
        while (end < constants.size() && constants[end].group == group) ++end;
        const std::size_t rows = end - i;
        std::printf("\n[%s]\n", group.c_str());
        for (std::size_t k = i; k < end; ++k) {
            const std::size_t pos = k - i;
            if (rows > kMaxRowsPerGroup && pos >= kEdgeRows && pos < rows - kEdgeRows) {
                if (pos == kEdgeRows)
                    std::printf("  ... %zu more rows (all in --json)\n", rows - 2 * kEdgeRows);
                continue;
            }
            print_row(constants[k]);
        }
        i = end;
    }
}

const char* change_label(theory::ConstantChange::Kind kind) {
    switch (kind) {
        case theory::ConstantChange::Kind::moved:
            return "moved";
        case theory::ConstantChange::Kind::added:
            return "added";
        case theory::ConstantChange::Kind::removed:
            return "removed";
    }
    return "changed";
}

int run_constants(const ConstantsOptions& opt) {
    if (!opt.json_out.empty()) require_writable_file("--json", opt.json_out);
    std::optional<nlohmann::json> golden;
    if (!opt.golden.empty()) golden = read_golden(opt.golden);
    long bits = opt.precision;
    if (golden && opt.precision_option->count() == 0)
        bits = golden->at("precision_bits").get<long>();
    if (bits < kMinPrecision || bits > kMaxPrecision)
        throw InputError("--precision " + std::to_string(bits) + ": must lie in [" +
                         std::to_string(kMinPrecision) + ", " + std::to_string(kMaxPrecision) +
                         "] bits");
    PrecisionScope scope(bits);
    const std::vector<theory::NamedConstant> constants = theory::paper_constants();
    const nlohmann::json doc = theory::constants_to_json(constants, bits);
    print_table(constants, bits);
    if (!opt.json_out.empty()) {
        write_file_atomically(opt.json_out, doc.dump(2) + "\n");
        std::printf("\nwrote %zu constants to %s\n", constants.size(), opt.json_out.c_str());
    }
    if (!golden) return to_int(ExitCode::success);
    const std::vector<theory::ConstantChange> changes =
        theory::compare_constants(doc, *golden, opt.golden);
    if (changes.empty()) {
        std::printf("\ngolden %s: all %zu constants identical\n", opt.golden.c_str(),
                    constants.size());
        return to_int(ExitCode::success);
    }
    std::printf("\ngolden %s: %zu constant(s) differ\n", opt.golden.c_str(), changes.size());
    for (const theory::ConstantChange& c : changes)
        std::printf("  %-8s %s: %s\n", change_label(c.kind), c.name.c_str(), c.detail.c_str());
    return to_int(ExitCode::fails);
}

Runner setup_constants(CLI::App& sub) {
    auto opt = std::make_shared<ConstantsOptions>();
    sub.add_option("--json", opt->json_out, "write every constant as JSON to this file");
    sub.add_option("--golden", opt->golden,
                   "compare with a golden constants file (exit 1 if any constant moved)");
    opt->precision_option =
        sub.add_option("--precision", opt->precision,
                       "working precision in bits (default 128, or the golden file's)");
    return [opt] { return run_constants(*opt); };
}

}  // namespace

GRADCERT_COMMAND("constants", "the paper's closed-form constants as rigorous enclosures",
                 setup_constants);

}  // namespace gradcert::driver
