#include "theory/kernel.hpp"

#include <stdexcept>
#include <string>

#include "numerics/util/error.hpp"
#include "theory/kernel_laws.hpp"

namespace gradcert::theory {

std::string_view kernel_kind_name(Kernel::Kind kind) {
    switch (kind) {
        case Kernel::Kind::uniform_ball:
            return "uniform-ball";
        case Kernel::Kind::gaussian_unit:
            return "gaussian-unit";
        case Kernel::Kind::gaussian:
            return "gaussian";
        case Kernel::Kind::uniform_cube:
            return "uniform-cube";
        case Kernel::Kind::laplace:
            return "laplace";
        case Kernel::Kind::student_t:
            return "student-t";
        case Kernel::Kind::stable:
            return "stable";
    }
    throw InternalError("kernel_kind_name: invalid kind");
}

Kernel::Kind parse_kernel_kind(std::string_view text) {
    for (Kernel::Kind kind : {Kernel::Kind::uniform_ball, Kernel::Kind::gaussian_unit,
                              Kernel::Kind::gaussian, Kernel::Kind::uniform_cube,
                              Kernel::Kind::laplace, Kernel::Kind::student_t, Kernel::Kind::stable})
        if (kernel_kind_name(kind) == text) return kind;
    throw InputError("unknown kernel '" + std::string(text) +
                     "' (known: uniform-ball, gaussian-unit, gaussian, uniform-cube, laplace, "
                     "student-t, cauchy, stable)");
}

void validate_kernel(const Kernel& kernel) {
    if (kernel.dim < 1)
        throw InputError("kernel dimension must be at least 1, got " + std::to_string(kernel.dim));
    validate_kernel_parameters(kernel);
}

IntervalM gamma_half_ratio(int d) {
    if (d < 1) throw InternalError("gamma_half_ratio: d must be >= 1");
    const IntervalM sqrt_pi = sqrt(IntervalM::pi());
    IntervalM r = (d % 2 == 1) ? IntervalM(1) / sqrt_pi : sqrt_pi / 2;
    // Accumulate the exact rational factor Π (k+1)/k as one numerator and one denominator
    // product, so that only the final division rounds (both products are exact while they fit
    // the working precision, and are enclosed otherwise).
    IntervalM num(1), den(1);
    for (int k = (d % 2 == 1) ? 1 : 2; k + 2 <= d; k += 2) {
        num *= IntervalM(k + 1);
        den *= IntervalM(k);
    }
    return r * num / den;
}

IntervalM kernel_mean_norm(const Kernel& kernel) {
    validate_kernel(kernel);
    if (is_phi_kernel(kernel.kind)) return phi_kernel_mean_norm(kernel);
    const int d = kernel.dim;
    const IntervalM gaussian_norm = sqrt(IntervalM(2)) * gamma_half_ratio(d);
    switch (kernel.kind) {
        case Kernel::Kind::uniform_ball:
            return IntervalM(d) / IntervalM(d + 1);
        case Kernel::Kind::gaussian_unit:
            return gaussian_norm / sqrt(IntervalM(d));
        case Kernel::Kind::gaussian:
            return gaussian_norm;
        default:  // the φ kernels returned above
            break;
    }
    throw InternalError("kernel_mean_norm: invalid kind");
}

IntervalM kernel_mean_square_norm(const Kernel& kernel) {
    validate_kernel(kernel);
    if (is_phi_kernel(kernel.kind))
        return IntervalM(kernel.dim) * phi_kernel_coordinate_variance(kernel);
    const int d = kernel.dim;
    switch (kernel.kind) {
        case Kernel::Kind::uniform_ball:
            return IntervalM(d) / IntervalM(d + 2);
        case Kernel::Kind::gaussian_unit:
            return IntervalM(1);
        case Kernel::Kind::gaussian:
            return IntervalM(d);
        default:  // the φ kernels returned above
            break;
    }
    throw InternalError("kernel_mean_square_norm: invalid kind");
}

IntervalM kernel_coordinate_variance(const Kernel& kernel) {
    validate_kernel(kernel);
    if (is_phi_kernel(kernel.kind)) return phi_kernel_coordinate_variance(kernel);
    const int d = kernel.dim;
    switch (kernel.kind) {
        case Kernel::Kind::uniform_ball:
            return IntervalM(1) / IntervalM(d + 2);
        case Kernel::Kind::gaussian_unit:
            return IntervalM(1) / IntervalM(d);
        case Kernel::Kind::gaussian:
            return IntervalM(1);
        default:  // the φ kernels returned above
            break;
    }
    throw InternalError("kernel_coordinate_variance: invalid kind");
}

namespace {

// Π_i (α_i − 1)!! over even α_i (exact integer, enclosed).
IntervalM double_factorial_product(const std::vector<int>& alpha) {
    IntervalM product(1);
    for (int a : alpha)
        for (int k = a - 1; k > 1; k -= 2) product *= IntervalM(k);
    return product;
}

}  // namespace

IntervalM kernel_moment(const Kernel& kernel, const std::vector<int>& alpha) {
    validate_kernel(kernel);
    if (is_phi_kernel(kernel.kind)) return phi_kernel_moment(kernel, alpha);
    if (static_cast<int>(alpha.size()) > kernel.dim)
        throw InternalError("kernel_moment: more exponents than the kernel dimension");
    int total = 0;
    for (int a : alpha) {
        if (a < 0) throw InternalError("kernel_moment: negative exponent");
        if (a % 2 != 0) return IntervalM(0);
        total += a;
    }
    const IntervalM numerator = double_factorial_product(alpha);
    const int d = kernel.dim;
    switch (kernel.kind) {
        case Kernel::Kind::uniform_ball: {
            IntervalM denominator(1);
            for (int k = 2; k <= total; k += 2) denominator *= IntervalM(d + k);
            return numerator / denominator;
        }
        case Kernel::Kind::gaussian_unit:
            // s^{|α|} = d^{−|α|/2}, |α| even.
            return numerator / pow(IntervalM(d), total / 2);
        case Kernel::Kind::gaussian:
            return numerator;
        default:  // the φ kernels returned above
            break;
    }
    throw InternalError("kernel_moment: invalid kind");
}

ProjectionLaw projection_law(const Kernel& kernel) {
    validate_kernel(kernel);
    // Of the φ kernels only stable α = 2 (u ~ N(0, 2I)) has a projection law the ridge
    // quadrature integrates against.
    if (kernel.kind == Kernel::Kind::stable && kernel.alpha.is_point() &&
        contains(kernel.alpha, IntervalM(2)))
        return {ProjectionLaw::Shape::standard_normal, kernel.dim, sqrt(IntervalM(2))};
    if (is_phi_kernel(kernel.kind))
        throw std::domain_error("projection_law: no quadrature law for the " +
                                kernel_description(kernel) + " kernel");
    switch (kernel.kind) {
        case Kernel::Kind::uniform_ball:
            return {ProjectionLaw::Shape::ball_marginal, kernel.dim, IntervalM(1)};
        case Kernel::Kind::gaussian_unit:
            return {ProjectionLaw::Shape::standard_normal, kernel.dim,
                    IntervalM(1) / sqrt(IntervalM(kernel.dim))};
        case Kernel::Kind::gaussian:
            return {ProjectionLaw::Shape::standard_normal, kernel.dim, IntervalM(1)};
        default:  // the φ kernels returned above
            break;
    }
    throw InternalError("projection_law: invalid kind");
}

std::optional<IntervalM> gaussian_standard_deviation(const Kernel& kernel) {
    switch (kernel.kind) {
        case Kernel::Kind::gaussian:
            return IntervalM(1);
        case Kernel::Kind::gaussian_unit:
            return IntervalM(1) / sqrt(IntervalM(kernel.dim));
        case Kernel::Kind::stable:
            if (kernel.alpha.is_point() && contains(kernel.alpha, IntervalM(2)))
                return sqrt(IntervalM(2));
            return std::nullopt;
        default:
            return std::nullopt;
    }
}

IntervalM ball_marginal_normalizer(int d) {
    if (d < 1) throw InternalError("ball_marginal_normalizer: d must be >= 1");
    return IntervalM(d) / (2 * sqrt(IntervalM::pi()) * gamma_half_ratio(d));
}

IntervalM ball_marginal_density(int d, const IntervalM& t) {
    if (d < 1) throw InternalError("ball_marginal_density: d must be >= 1");
    const IntervalM one_minus_t2 = max(IntervalM(1) - sqr(t), IntervalM(0));
    // (1 − t²)^{(d−1)/2} = sqrt(1 − t²)^{d−1}; for odd d use the integer power directly.
    const IntervalM shape =
        (d % 2 == 1) ? pow(one_minus_t2, (d - 1) / 2) : pow(sqrt(one_minus_t2), d - 1);
    const IntervalM inside = ball_marginal_normalizer(d) * shape;
    const IntervalM abs_t = abs(t);
    if (certainly_gt(abs_t, IntervalM(1))) return IntervalM(0);
    return possibly_gt(abs_t, IntervalM(1)) ? hull(inside, IntervalM(0)) : inside;
}

}  // namespace gradcert::theory
