#include "verify/go/kernel_sampler.hpp"

#include <cmath>

namespace gradcert::verify::go {

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (index + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

KernelSampler::KernelSampler(const theory::Kernel& kernel, std::uint64_t seed)
    : kernel_(kernel), engine_(seed) {}

double KernelSampler::uniform() {
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double KernelSampler::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    double a, b, s;
    do {
        a = 2.0 * uniform() - 1.0;
        b = 2.0 * uniform() - 1.0;
        s = a * a + b * b;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = b * factor;
    has_spare_ = true;
    return a * factor;
}

void KernelSampler::sample(Eigen::VectorXd& u) {
    const int d = kernel_.dim;
    u.resize(d);
    for (int i = 0; i < d; ++i) u[i] = normal();
    switch (kernel_.kind) {
        case theory::Kernel::Kind::gaussian:
            return;
        case theory::Kernel::Kind::gaussian_unit:
            u /= std::sqrt(static_cast<double>(d));
            return;
        case theory::Kernel::Kind::uniform_ball: {
            const double norm = u.norm();
            const double radius = std::pow(uniform(), 1.0 / d);
            u *= radius / norm;
            return;
        }
    }
}

}  // namespace gradcert::verify::go
