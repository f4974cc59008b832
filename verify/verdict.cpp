#include "verify/verdict.hpp"

#include <algorithm>

namespace gradcert::verify {

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::holds:
            return "holds";
        case Verdict::fails:
            return "fails";
        case Verdict::inconclusive:
            return "inconclusive";
    }
    return "inconclusive";
}

Verdict conjunction(const std::vector<Verdict>& parts) {
    if (std::find(parts.begin(), parts.end(), Verdict::fails) != parts.end()) return Verdict::fails;
    if (std::find(parts.begin(), parts.end(), Verdict::inconclusive) != parts.end())
        return Verdict::inconclusive;
    return Verdict::holds;
}

}  // namespace gradcert::verify
