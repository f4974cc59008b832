#pragma once
// The JSON form of the paper's constants and its exact comparison with a golden copy.
//
// Format ("gradcert-constants-1"):
//   { "format": "gradcert-constants-1", "precision_bits": 128,
//     "constants": { "<name>": { "lo": "<decimal>", "hi": "<decimal>", "mid": "<decimal>",
//                                "group": "...", "tag": "[D]", "statement": "..." }, … } }
// lo is rounded down and hi rounded up to `decimal_digits(precision)` significant digits, so
// [lo, hi] ⊇ the enclosure; mid is the nearest decimal of the enclosure's midpoint. The strings
// come from MPFR's directed conversions and are reproducible bit for bit at a given precision.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "theory/constants.hpp"

namespace gradcert::theory {

inline constexpr const char* kConstantsFormat = "gradcert-constants-1";

// Significant decimal digits written for a precision: ⌈bits·log10(2)⌉ + 2.
int decimal_digits(long precision_bits);

// The endpoints of x as decimal strings in scientific notation: lower rounded toward −∞, upper
// toward +∞, mid to nearest ("inf"/"-inf" for infinite endpoints).
struct DecimalEnclosure {
    std::string lo;
    std::string hi;
    std::string mid;
};
DecimalEnclosure decimal_enclosure(const IntervalM& x, int digits);
// x rounded to nearest with `digits` significant digits, in %g style (for readable tables).
std::string decimal_string(const Mpfr& x, int digits);

nlohmann::json constants_to_json(const std::vector<NamedConstant>& constants, long precision_bits);

// One difference between a current and a golden constants document.
struct ConstantChange {
    enum class Kind { moved, added, removed };
    Kind kind;
    std::string name;
    std::string detail;  // e.g. "lo 1.2e-1 -> 1.3e-1" for a moved constant
};

// Compares the enclosures (the lo and hi strings) of every constant exactly; reports constants
// present on one side only. Requires both documents at the same precision.
// Throws gradcert::InputError("<golden_name>: <problem>") if `golden` is not a well-formed
// constants document or its precision differs from `current`'s.
std::vector<ConstantChange> compare_constants(const nlohmann::json& current,
                                              const nlohmann::json& golden,
                                              const std::string& golden_name);

// Validates the shape of a constants document; throws InputError("<name>: <problem>").
void validate_constants_json(const nlohmann::json& doc, const std::string& name);

}  // namespace gradcert::theory
