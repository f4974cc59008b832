#include "theory/constants_json.hpp"

#include <mpfr.h>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "numerics/util/error.hpp"

namespace gradcert::theory {

int decimal_digits(long precision_bits) {
    // log10(2) < 0.30103; the ceiling of bits·0.30103 is computed in integers.
    return static_cast<int>((precision_bits * 30103 + 99999) / 100000) + 2;
}

namespace {

std::string mpfr_decimal(const Mpfr& x, int digits, mpfr_rnd_t rounding,
                         const char* format = "%.*R*e") {
    char* text = nullptr;
    const int n = mpfr_asprintf(&text, format, digits - 1, rounding, x.backend().data());
    if (n < 0 || text == nullptr) throw std::runtime_error("mpfr_asprintf failed");
    std::string out(text);
    mpfr_free_str(text);
    return out;
}

const nlohmann::json& require_member(const nlohmann::json& object, const char* key,
                                     const std::string& where, const std::string& name) {
    if (!object.is_object() || !object.contains(key))
        throw_input_error(name, where + " has no \"" + key + "\"");
    return object.at(key);
}

std::string require_string(const nlohmann::json& object, const char* key, const std::string& where,
                           const std::string& name) {
    const nlohmann::json& v = require_member(object, key, where, name);
    if (!v.is_string()) throw_input_error(name, where + "." + key + " is not a string");
    return v.get<std::string>();
}

}  // namespace

DecimalEnclosure decimal_enclosure(const IntervalM& x, int digits) {
    return {mpfr_decimal(x.lower(), digits, MPFR_RNDD), mpfr_decimal(x.upper(), digits, MPFR_RNDU),
            mpfr_decimal(x.mid(), digits, MPFR_RNDN)};
}

std::string decimal_string(const Mpfr& x, int digits) {
    return mpfr_decimal(x, digits + 1, MPFR_RNDN, "%.*R*g");
}

nlohmann::json constants_to_json(const std::vector<NamedConstant>& constants, long precision_bits) {
    const int digits = decimal_digits(precision_bits);
    nlohmann::json entries = nlohmann::json::object();
    for (const NamedConstant& c : constants) {
        if (entries.contains(c.name))
            throw InternalError("constants_to_json: duplicate constant " + c.name);
        const DecimalEnclosure d = decimal_enclosure(c.value, digits);
        entries[c.name] = {{"lo", d.lo},       {"hi", d.hi},   {"mid", d.mid},
                           {"group", c.group}, {"tag", c.tag}, {"statement", c.statement}};
    }
    return {{"format", kConstantsFormat},
            {"precision_bits", precision_bits},
            {"constants", std::move(entries)}};
}

void validate_constants_json(const nlohmann::json& doc, const std::string& name) {
    if (!doc.is_object()) throw_input_error(name, "not a JSON object");
    const nlohmann::json& format = require_member(doc, "format", "document", name);
    if (!format.is_string() || format.get<std::string>() != kConstantsFormat)
        throw_input_error(name, std::string("format is not \"") + kConstantsFormat + "\"");
    const nlohmann::json& bits = require_member(doc, "precision_bits", "document", name);
    if (!bits.is_number_integer()) throw_input_error(name, "precision_bits is not an integer");
    const nlohmann::json& constants = require_member(doc, "constants", "document", name);
    if (!constants.is_object()) throw_input_error(name, "constants is not an object");
    for (const auto& [key, entry] : constants.items()) {
        const std::string where = "constant \"" + key + "\"";
        require_string(entry, "lo", where, name);
        require_string(entry, "hi", where, name);
    }
}

std::vector<ConstantChange> compare_constants(const nlohmann::json& current,
                                              const nlohmann::json& golden,
                                              const std::string& golden_name) {
    validate_constants_json(golden, golden_name);
    validate_constants_json(current, "current constants");
    const long golden_bits = golden.at("precision_bits").get<long>();
    const long current_bits = current.at("precision_bits").get<long>();
    if (golden_bits != current_bits)
        throw_input_error(golden_name, "computed at " + std::to_string(golden_bits) +
                                           " bits, current constants at " +
                                           std::to_string(current_bits));
    std::vector<ConstantChange> changes;
    const nlohmann::json& now = current.at("constants");
    const nlohmann::json& then = golden.at("constants");
    for (const auto& [key, entry] : now.items()) {
        if (!then.contains(key)) {
            changes.push_back({ConstantChange::Kind::added, key, "not in the golden file"});
            continue;
        }
        const nlohmann::json& old = then.at(key);
        std::string detail;
        for (const char* end : {"lo", "hi"}) {
            const std::string a = old.at(end).get<std::string>();
            const std::string b = entry.at(end).get<std::string>();
            if (a != b)
                detail += std::string(detail.empty() ? "" : "; ") + end + " " + a + " -> " + b;
        }
        if (!detail.empty()) changes.push_back({ConstantChange::Kind::moved, key, detail});
    }
    for (const auto& [key, entry] : then.items())
        if (!now.contains(key))
            changes.push_back(
                {ConstantChange::Kind::removed, key, "missing from the current constants"});
    return changes;
}

}  // namespace gradcert::theory
