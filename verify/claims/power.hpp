#pragma once
// Power statements for inconclusive findings. A comparison decided by |estimate| > z·SE, with an
// SE that shrinks like 1/√n in the number n of units, detects a true effect Δ with probability
// ≈ Φ(Δ/SE − z) (normal approximation, the other tail neglected); the minimum detectable effect
// at power π is (z + Φ⁻¹(π))·SE, and an effect Δ needs n·((z + Φ⁻¹(π))·SE/Δ)² units. Estimates:
// SE is itself estimated from the data.
#include <string>

namespace gradcert::verify {

inline constexpr double kPower = 0.8;

double minimum_detectable_effect(double se, double z, double power = kPower);
// Units needed for `effect` (at least n); -1 when se or effect is not positive and finite.
long units_needed(double se, int n, double z, double effect, double power = kPower);

// A paper's stated effect, in the units of the compared quantity (NaN when it states none).
struct StatedEffect {
    double size;
    std::string text;  // where the paper states it, e.g. "its schedules end within 1 pp"
};

// "minimum detectable effect (80% power, criterion z·SE): 0.012 at 3 seeds; the paper's … 0.01 …
// would need ≈ 5 seeds" (or "the paper states no effect size for this claim").
std::string power_text(double se, double z, int n, const std::string& unit_name,
                       const std::string& quantity, const StatedEffect* paper);

}  // namespace gradcert::verify
