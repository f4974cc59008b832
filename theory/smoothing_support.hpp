#pragma once
// Whether f̂_δ = E f(x − δu) of a decomposed f exists under a kernel, and can be enclosed by the
// closed forms of theory/smoothed_function.hpp, term by term (docs/family-language.md,
// "Kernels and the terms they can smooth"): a monomial of total degree k needs the kernel's
// moments of order k (kernel_has_moment), an exp ridge term its moment-generating function at
// δw for every δ of the schedule, a softplus/tanh ridge term a projection law the verified
// quadrature integrates against (uniform-ball, the Gaussians, stable with α = 2); cos/sin ridge
// terms need only φ, which always exists.
#include <optional>
#include <string>
#include <vector>

#include "numerics/expr/decompose.hpp"
#include "numerics/interval/interval.hpp"
#include "theory/kernel.hpp"

namespace gradcert::theory {

struct SmoothingRefusal {
    std::string term;    // the term as written after decomposition, e.g. "x^2", "exp(0.5*x1)"
    std::string reason;  // e.g. "the kernel has no 2nd moment; f̂_δ is infinite"
};

// The first term of f whose smoothed value does not exist (or has no rigorous closed form) under
// the kernel for some δ in `deltas`, or nullopt when every term can be smoothed.
std::optional<SmoothingRefusal> smoothing_refusal(const expr::Decomposition& f,
                                                  const Kernel& kernel,
                                                  const std::vector<IntervalM>& deltas);

// "term x^2 cannot be smoothed by the cauchy kernel: the kernel has no 2nd moment; f̂_δ is
// infinite" (one line, for InputError messages).
std::string refusal_message(const SmoothingRefusal& r, const Kernel& kernel);

}  // namespace gradcert::theory
