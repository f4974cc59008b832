#pragma once
// Three-valued verdicts (docs/architecture.md): `holds` only behind a rigorous enclosure, `fails`
// only behind a rigorous counterexample, `inconclusive` otherwise, always with a reason.
#include <string>
#include <vector>

namespace gradcert::verify {

enum class Verdict { holds, fails, inconclusive };

struct Finding {
    Verdict verdict = Verdict::inconclusive;
    std::string reason;  // why (the counterexample for `fails`, the obstacle for `inconclusive`)
};

// "holds" / "fails" / "inconclusive".
const char* verdict_name(Verdict v);

// Conjunction of conditions: fails if any fails, else inconclusive if any is, else holds.
Verdict conjunction(const std::vector<Verdict>& parts);

}  // namespace gradcert::verify
