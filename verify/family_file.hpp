#pragma once
// Family files: a function family f, its box, smoothing kernel, noise schedule and the niceness
// definition to check, read from TOML (verify/families/*.toml are the built-in ones).
//
//   name = "rastrigin-1d"
//   description = "..."                       # optional, for reports
//   dim = 1
//   params = { a = 10.0 }                      # optional; overridable with --set a=5
//   f = "x^2 - a*cos(2*pi*x) + a"              # expression language of numerics/expr/expr.hpp
//   domain = [[-5.12, 5.12]]                   # one [lo, hi] per coordinate, lo < hi
//   [smoothing]
//   kernel = "gaussian"                        # "uniform-ball" | "gaussian-unit" | "gaussian"
//                                              # | "uniform-cube" | "laplace" | "cauchy"
//                                              # | "student-t" (with nu = odd ≥ 1)
//                                              # | "stable" (with alpha in (0, 2])
//   [schedule]
//   deltas = [0.08, 0.04, 0.02]                # or: delta1 = 1.0, stages = 50, power = 1.0
//   [check]
//   definition = "new-sigma-nice"              # "sigma-nice" | "new-sigma-nice" | "sigma-m-nice"
//   sigma = 2.0                                # required unless sigma-m-nice (which reports σ_m)
//   centering = "both"                         # "next" | "gap" | "both" (default "both")
//   precision_bits = 128                       # optional, working precision of the check
//   max_boxes = 50000                          # optional, branch-and-bound budget per stage
//
// precision_bits and max_boxes follow one rule (docs/precision.md), for check and report alike:
// the command line (--precision, --max-boxes) overrides the file, the file overrides the default
// (128 bits, 50000 boxes); the same ranges are accepted in both places (kCheckPrecisionRange,
// kCheckBoxesRange), and the file is enclosed at the precision that wins.
//
// Every number is read from its decimal text exactly (0.1 is 1/10) and enclosed with
// [check] precision_bits bits (as are the folded constants of f and the deltas); nothing goes
// through a binary64 value. f must decompose (expr::decompose): the
// checks need f̂_δ and its Hessian; or, in dimension 1 under a Gaussian kernel, f is smoothed by
// verified cubature (FamilySpec::cubature), which needs a polynomial growth bound of f.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "numerics/expr/decompose.hpp"
#include "numerics/expr/expr.hpp"
#include "numerics/interval/interval.hpp"
#include "theory/kernel.hpp"
#include "theory/nice.hpp"

namespace gradcert::verify {

// The kernel kinds, niceness definitions and centering variants are theory's (theory/kernel.hpp,
// theory/nice.hpp, where `both` is documented); their names are theory::kernel_kind_name,
// definition_name and centering_name, and theory's parse_* read them.
using KernelKind = theory::Kernel::Kind;
using theory::Centering;
using theory::centering_name;
using theory::Definition;
using theory::definition_name;

using theory::kernel_kind_name;

// δ_m = δ_1((M − m + 1)/M)^p, m = 1..M (docs/mathematics.md §5; δ_{M+1} = 0 is not a stage).
struct PolynomialSchedule {
    IntervalM delta1;
    int stages = 0;   // M
    IntervalM power;  // p
};

inline constexpr long kDefaultCheckPrecisionBits = 128;
inline constexpr long kMinCheckPrecisionBits = 53;
inline constexpr long kMaxCheckPrecisionBits = 65536;
inline constexpr long kDefaultCheckBoxes = 50000;
inline constexpr long kMinCheckBoxes = 1;
inline constexpr long kMaxCheckBoxes = 1000000000;

// Command-line values that override the file's [check] precision_bits / max_boxes.
struct CheckOverrides {
    std::optional<long> precision_bits;
    std::optional<long> max_boxes;
};

struct FamilySpec {
    std::string name;
    std::string file;
    int dim = 0;
    std::map<std::string, std::string> params_text;  // as written (after --set overrides)
    std::string f_text;
    expr::Expr f;
    expr::Decomposition decomposition;
    std::vector<std::pair<IntervalM, IntervalM>> domain;  // enclosed box [lo_i, hi_i]
    KernelKind kernel = KernelKind::gaussian;
    int kernel_nu = 0;                      // student-t (cauchy: 1)
    IntervalM kernel_alpha = IntervalM(2);  // stable: enclosure of kernel_alpha_text
    std::string kernel_alpha_text;          // stable: alpha as written
    std::vector<IntervalM> deltas;          // strictly decreasing (certainly), > 0
    std::string schedule_text;  // how the schedule was given, e.g. "deltas = [0.08, 0.04]"
    Definition definition = Definition::new_sigma_nice;
    std::optional<IntervalM> sigma;
    Centering centering = Centering::both;
    int precision_bits = kDefaultCheckPrecisionBits;  // in force: command line, file or default
    long max_boxes = kDefaultCheckBoxes;              // the same rule

    // Additions to the contract:
    std::string description;                  // "" when not given
    std::map<std::string, IntervalM> params;  // enclosures of params_text
    int f_line = 0;                           // line of f in the file
    std::vector<std::string> delta_texts;     // explicit deltas as written (else empty)
    std::optional<PolynomialSchedule> polynomial_schedule;  // when given as delta1/stages/power
    std::string sigma_text;                                 // as written ("" when absent)
    // The decimal texts as written, for certificates (docs/certificate.md).
    std::vector<std::pair<std::string, std::string>> domain_texts;  // [lo_i, hi_i]
    std::string delta1_text, power_text;  // polynomial schedule (else empty)
    // Addition (issue 11): f has no closed-form smoothing (expr::decompose refused it), dim is 1
    // and the kernel is Gaussian, so f̂_δ is enclosed by verified cubature
    // (verify/cubature_objective.hpp); `decomposition` is then empty, `cubature_reason` is
    // decompose's reason and `growth` f's polynomial growth bound (expr::polynomial_growth).
    bool cubature = false;
    std::string cubature_reason;
    std::vector<double> growth;
    // The context f was parsed in (file, line of f, dim, params with their decimal texts).
    expr::ParseContext parse_context() const;
};

// Reads and validates a family file; `overrides` are --set k=v (parameters only). Throws
// InputError "file:line: problem" (or "file: problem" where no line applies) for: TOML syntax
// errors, unknown or misspelt keys, missing keys, values of the wrong type, NaN or infinite
// numbers (also in params and --set values), dim < 1, a domain with the wrong number of
// intervals or lo >= hi, an empty or not strictly decreasing schedule, δ <= 0, σ <= 0, an
// unknown kernel/definition/centering, --set of a parameter the family does not have, an f that
// does not parse (unknown names, variables outside x1..x<dim>, syntax), an f outside the
// decomposable class (expr::UnsupportedExpression) in dimension > 1, an f without closed form in
// dimension 1 without a growth bound ("f: term 'exp(x^2)' cannot be smoothed by verified
// cubature: exp of a non-constant has no polynomial growth bound (...)") or under a kernel that
// is not Gaussian, [smoothing]
// nu/alpha missing, invalid or given to another kernel, and a term of f whose smoothed value does
// not exist under the kernel for some δ (theory/smoothing_support.hpp: "f: term x^2 cannot be
// smoothed by the student-t (nu = 1) kernel: the kernel has no 2nd moment; f̂_δ is infinite").
// `check` overrides [check] precision_bits / max_boxes (each validated against the same range as
// the file's value; InputError "file: --precision N is outside 53..65536").
// The smoothing kernel the family names (kind and parameters), in the family's dimension.
theory::Kernel spec_kernel(const FamilySpec& family);

FamilySpec load_family(const std::filesystem::path& file,
                       const std::map<std::string, std::string>& overrides,
                       const CheckOverrides& check = {});

// Addition: the same from TOML text; `file` is used in messages and FamilySpec::file.
FamilySpec parse_family(std::string_view toml_text, const std::string& file,
                        const std::map<std::string, std::string>& overrides,
                        const CheckOverrides& check = {});

}  // namespace gradcert::verify
