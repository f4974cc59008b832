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
        case theory::Kernel::Kind::uniform_cube:
            for (int i = 0; i < d; ++i) u[i] = 2.0 * uniform() - 1.0;
            return;
        case theory::Kernel::Kind::laplace:
            for (int i = 0; i < d; ++i) {
                const double e = -std::log1p(-uniform());  // Exp(1)
                u[i] = uniform() < 0.5 ? -e : e;
            }
            return;
        case theory::Kernel::Kind::student_t: {
            double w = 0;  // χ²_ν
            for (int j = 0; j < kernel_.nu; ++j) {
                const double z = normal();
                w += z * z;
            }
            u *= std::sqrt(kernel_.nu / w);
            return;
        }
        case theory::Kernel::Kind::stable:
            u *= std::sqrt(2.0 * positive_stable(kernel_.alpha.mid().convert_to<double>() / 2));
            return;
    }
}

double KernelSampler::positive_stable(double beta) {
    if (beta >= 1.0) return 1.0;  // α = 2: u = √2·z ~ N(0, 2I)
    // Kanter's representation: E e^{−λA} = e^{−λ^β} for β ∈ (0, 1); then √A·N(0, 2I) has
    // φ(t) = E e^{−A‖t‖²} = e^{−‖t‖^{2β}}.
    const double pi = 3.14159265358979323846;
    const double v = pi * (uniform() + 0x1.0p-54);
    const double e = -std::log(uniform() + 0x1.0p-54);
    return std::sin(beta * v) / std::pow(std::sin(v), 1.0 / beta) *
           std::pow(std::sin((1.0 - beta) * v) / e, (1.0 - beta) / beta);
}

}  // namespace gradcert::verify::go
