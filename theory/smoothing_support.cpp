#include "theory/smoothing_support.hpp"

#include <fmt/format.h>

#include "theory/kernel_laws.hpp"

namespace gradcert::theory {

namespace {

std::string variable(int i, int dim) {
    return dim == 1 ? std::string("x") : "x" + std::to_string(i + 1);
}

std::string number(const IntervalM& c) {
    return fmt::format("{:.6g}", c.mid().convert_to<double>());
}

std::string monomial_text(const expr::Monomial& m, int dim) {
    std::string s;
    for (int i = 0; i < static_cast<int>(m.exponents.size()); ++i) {
        const int e = m.exponents[static_cast<std::size_t>(i)];
        if (e == 0) continue;
        if (!s.empty()) s += "*";
        s += variable(i, dim) + (e > 1 ? "^" + std::to_string(e) : "");
    }
    return s.empty() ? number(m.coeff) : s;
}

std::string ridge_text(const expr::RidgeTerm& r, int dim) {
    std::string arg;
    for (int i : r.support()) {  // 1-based coordinates
        if (!arg.empty()) arg += " + ";
        arg += number(r.w[static_cast<std::size_t>(i - 1)]) + "*" + variable(i - 1, dim);
    }
    if (!(r.offset.is_point() && contains(r.offset, IntervalM(0))))
        arg += (arg.empty() ? "" : " + ") + number(r.offset);
    const std::string name(r.kind == expr::RidgeKind::general ? expr::ridge_function_name(r.g)
                                                              : expr::ridge_kind_name(r.kind));
    return name + "(" + arg + ")";
}

bool has_quadrature_law(const Kernel& k) {
    if (!is_phi_kernel(k.kind)) return true;
    return k.kind == Kernel::Kind::stable && k.alpha.is_point() && contains(k.alpha, IntervalM(2));
}

std::optional<std::string> ridge_refusal(const expr::RidgeTerm& r, const Kernel& kernel,
                                         const std::vector<IntervalM>& deltas) {
    switch (r.kind) {
        case expr::RidgeKind::cos:
        case expr::RidgeKind::sin:
            return std::nullopt;
        case expr::RidgeKind::exp:
            for (const IntervalM& delta : deltas) {
                std::vector<IntervalM> t;
                for (const IntervalM& wi : r.w) t.push_back(delta * wi);
                if (auto why = kernel_mgf_missing(kernel, t)) return why;
            }
            return std::nullopt;
        case expr::RidgeKind::general:
            if (r.g == expr::RidgeFunction::softplus && !kernel_has_moment(kernel, 1))
                return "the kernel has no 1st moment; f̂_δ is infinite (softplus grows linearly)";
            if (!has_quadrature_law(kernel))
                return std::string(
                    "softplus/tanh ridge terms are smoothed by verified quadrature against the "
                    "uniform-ball and Gaussian laws only (and stable with alpha = 2)");
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

std::optional<SmoothingRefusal> smoothing_refusal(const expr::Decomposition& f,
                                                  const Kernel& kernel,
                                                  const std::vector<IntervalM>& deltas) {
    for (const expr::Monomial& m : f.poly.terms) {
        const int k = m.degree();
        if (!kernel_has_moment(kernel, k))
            return SmoothingRefusal{monomial_text(m, f.dim), missing_moment_message(k)};
    }
    for (const expr::RidgeTerm& r : f.ridges)
        if (auto why = ridge_refusal(r, kernel, deltas))
            return SmoothingRefusal{ridge_text(r, f.dim), *why};
    return std::nullopt;
}

std::string refusal_message(const SmoothingRefusal& r, const Kernel& kernel) {
    return "term " + r.term + " cannot be smoothed by the " + kernel_description(kernel) +
           " kernel: " + r.reason;
}

}  // namespace gradcert::theory
