#pragma once
// The family block of a certificate (docs/certificate.md, "Top level") as the checker needs it:
// the parsed f and its own term expansion, the exact domain, the recomputed δ_m and σ.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "verify/recheck/smoothing.hpp"

namespace gradcert::recheck {

enum class Definition { sigma_nice, new_sigma_nice, sigma_m_nice };
enum class Verdict { holds, fails, inconclusive };

struct Family {
    std::string name;
    int dim = 0;
    std::vector<Term> terms;                  // f
    std::vector<std::pair<Rat, Rat>> domain;  // exact [lo_i, hi_i]
    Box outer;                                // [lo.lower, hi.upper] at precision_bits
    slong precision_bits = 128;
    KernelLaw kernel;  // with kernel_nu / kernel_alpha for student-t / stable
    Vec deltas;        // δ_1, …, δ_M
    std::vector<std::optional<Rat>> exact_deltas;  // δ_m when rational
    std::optional<Ball> sigma;                     // empty for sigma-m-nice
    Definition definition = Definition::new_sigma_nice;
    std::vector<std::string> centering;  // the variants every stage but the last must carry
};

// Reads the family block. Throws Malformed for a block that does not follow the format or an f
// that does not parse, NotSupported for an f outside the term classes of terms.hpp.
Family read_family(const nlohmann::json& block, slong precision_bits);

// Compares the certificate's family block with the one read from --family FILE (same shape);
// returns "" when they agree, else the first field that differs. Decimal texts are compared
// by exact value.
std::string family_difference(const nlohmann::json& certificate, const nlohmann::json& file);

// Small JSON accessors that throw Malformed naming the field.
const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& where);
std::string text_field(const nlohmann::json& j, const char* key, const std::string& where);
Verdict verdict_of(const nlohmann::json& j, const std::string& where);
const char* name(Verdict v);

}  // namespace gradcert::recheck
