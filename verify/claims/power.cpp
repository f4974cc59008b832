#include "verify/claims/power.hpp"

#include <fmt/format.h>

#include <cmath>

#include "verify/empirical/statistics.hpp"

namespace gradcert::verify {

double minimum_detectable_effect(double se, double z, double power) {
    return (z + normal_quantile(power)) * se;
}

long units_needed(double se, int n, double z, double effect, double power) {
    if (!(se > 0) || !std::isfinite(se) || !(effect > 0) || !std::isfinite(effect)) return -1;
    const double ratio = minimum_detectable_effect(se, z, power) / effect;
    return std::max<long>(n, static_cast<long>(std::ceil(n * ratio * ratio)));
}

std::string power_text(double se, double z, int n, const std::string& unit_name,
                       const std::string& quantity, const StatedEffect* paper) {
    const double mde = minimum_detectable_effect(se, z);
    std::string t = fmt::format(
        "minimum detectable effect ({:.0f}% power, criterion |diff| > {:.4g}·SE) on {}: {} at {} "
        "{}",
        100 * kPower, z, quantity, std::isfinite(mde) ? fmt::format("{:.3g}", mde) : "n/a", n,
        unit_name);
    if (paper == nullptr) return t + "; the paper states no effect size for this claim";
    const long need = units_needed(se, n, z, paper->size);
    return t + fmt::format("; {} ({:.3g}) would need ≈ {} {}", paper->text, paper->size,
                           need > 0 ? std::to_string(need) : std::string("n/a"), unit_name);
}

}  // namespace gradcert::verify
