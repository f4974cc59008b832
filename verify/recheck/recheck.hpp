#pragma once
// `gradcert recheck CERT.json [--family FILE]`: re-derives every verdict of a certificate
// (docs/certificate.md) from the certificate and the family alone, with Arb ball arithmetic and
// the checker's own term expansion and smoothing formulas. It shares only the expression parser
// with the rest of gradcert; it is the suite's trusted base.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gradcert::recheck {

enum class Outcome {
    confirmed = 0,      // every claim confirmed
    unconfirmed = 1,    // the first claim that could not be confirmed is named
    malformed = 2,      // the certificate does not follow the format (one line)
    not_supported = 3,  // the family uses a term class the checker does not cover
};

struct Report {
    Outcome outcome = Outcome::confirmed;
    std::vector<std::string> lines;  // one per stage, then the final line
};

// `family_file`: the family block read from --family FILE (same shape as the certificate's
// `family`), which must agree with the certificate's.
Report recheck_text(const std::string& text, const std::string& file,
                    const std::optional<nlohmann::json>& family_file = std::nullopt);
Report recheck_file(const std::string& path,
                    const std::optional<nlohmann::json>& family_file = std::nullopt);

}  // namespace gradcert::recheck
