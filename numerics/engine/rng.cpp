#include "numerics/engine/rng.hpp"

#include <cmath>
#include <numbers>

namespace gradcert::engine {

double NormalGenerator::uniform_open() {
    constexpr double scale = 1.0 / 9007199254740992.0;  // 2^-53
    return (static_cast<double>(engine_() >> 11) + 0.5) * scale;
}

double NormalGenerator::operator()() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double u1 = uniform_open();
    double u2 = uniform_open();
    double radius = std::sqrt(-2.0 * std::log(u1));
    double angle = 2.0 * std::numbers::pi * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
}

}  // namespace gradcert::engine
