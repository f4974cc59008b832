#include "theory/schedule.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "numerics/util/error.hpp"
#include "theory/exact.hpp"

namespace gradcert::theory {

IntervalM sgd_smoothing_degree(const IntervalM& eta, const IntervalM& noise_std,
                               const IntervalM& batch) {
    if (!certainly_positive(batch))
        throw InternalError("sgd_smoothing_degree: batch size must be positive");
    return eta * noise_std / sqrt(batch);
}

IntervalM sgd_smoothing_degree_from_variance(const IntervalM& eta, const IntervalM& noise_variance,
                                             const IntervalM& batch) {
    if (!certainly_positive(batch))
        throw InternalError("sgd_smoothing_degree: batch size must be positive");
    return eta * sqrt(noise_variance / batch);
}

namespace {

void require_stage(int M, int m, int last, const char* what) {
    if (M < 1 || m < 1 || m > last)
        throw InternalError(std::string(what) + ": stage index " + std::to_string(m) +
                            " outside [1, " + std::to_string(last) +
                            "] for M = " + std::to_string(M));
}

void require_positive_power(const IntervalM& p, const char* what) {
    if (!certainly_positive(p)) throw InternalError(std::string(what) + ": p must be > 0");
}

// (a/b)^e for integers a, b > 0.
IntervalM rational_power(long a, long b, const IntervalM& e) {
    return pow(exact_integer(a) / exact_integer(b), e);
}

}  // namespace

IntervalM poly_gamma(int M, int m, const IntervalM& p) {
    require_stage(M, m, M, "poly_gamma");
    require_positive_power(p, "poly_gamma");
    if (m == M) return IntervalM(0);
    return rational_power(M - m, M - m + 1, p);
}

std::vector<IntervalM> poly_gammas(int M, const IntervalM& p) {
    std::vector<IntervalM> gammas;
    gammas.reserve(M > 1 ? M - 1 : 0);
    for (int m = 1; m < M; ++m) gammas.push_back(poly_gamma(M, m, p));
    return gammas;
}

IntervalM poly_delta_ratio(int M, int m, const IntervalM& p) {
    require_stage(M, m, M + 1, "poly_delta_ratio");
    require_positive_power(p, "poly_delta_ratio");
    if (m == M + 1) return IntervalM(0);
    return rational_power(M - m + 1, M, p);
}

std::vector<IntervalM> telescoped_delta_ratios(const std::vector<IntervalM>& gammas) {
    std::vector<IntervalM> ratios;
    ratios.reserve(gammas.size() + 1);
    IntervalM product(1);
    ratios.push_back(product);
    for (const IntervalM& g : gammas) {
        product *= g;
        ratios.push_back(product);
    }
    return ratios;
}

IntervalM poly_min_gamma(const IntervalM& p) {
    require_positive_power(p, "poly_min_gamma");
    return pow(IntervalM(2), -p);
}

IntervalM lr_poly_factor(int M, int m, const IntervalM& p) {
    require_stage(M, m, M, "lr_poly_factor");
    require_positive_power(p, "lr_poly_factor");
    if (m == M) return IntervalM(0);
    return rational_power(M - m, M - m + 1, p / 2);
}

IntervalM batch_poly_factor(int M, int m, const IntervalM& p, const IntervalM& balance) {
    require_stage(M, m, M - 1, "batch_poly_factor");
    require_positive_power(p, "batch_poly_factor");
    return rational_power(M - m + 1, M - m, p * balance);
}

IntervalM sgd_delta_ratio(const IntervalM& lr_factor, const IntervalM& batch_factor) {
    if (!certainly_positive(batch_factor))
        throw InternalError("sgd_delta_ratio: batch factor must be positive");
    return lr_factor / sqrt(batch_factor);
}

IntervalM lr_batch_poly_lr_factor(const IntervalM& gamma, const IntervalM& batch_factor) {
    if (!certainly_positive(batch_factor))
        throw InternalError("lr_batch_poly_lr_factor: batch factor must be positive");
    return gamma * sqrt(batch_factor);
}

std::string_view step_schedule_name(StepSchedule s) {
    switch (s) {
        case StepSchedule::lr_decay:
            return "lr";
        case StepSchedule::batch_growth:
            return "batch";
        case StepSchedule::hybrid:
            return "hybrid";
    }
    throw InternalError("step_schedule_name: invalid schedule");
}

std::string_view step_literal_name(StepLiteral v) {
    switch (v) {
        case StepLiteral::exact:
            return "exact";
        case StepLiteral::literal15:
            return "literal15";
        case StepLiteral::literal17:
            return "literal17";
    }
    throw InternalError("step_literal_name: invalid variant");
}

IntervalM inverse_sqrt2() {
    return IntervalM(1) / sqrt(IntervalM(2));
}

namespace {

// The decimal literals of the η factors, per variant: {lr schedule, hybrid schedule}.
struct LrLiterals {
    const char* lr;
    const char* hybrid;
};
LrLiterals lr_literals(StepLiteral v) {
    switch (v) {
        case StepLiteral::literal15:
            return {"0.707106781186548", "0.866025403784439"};
        case StepLiteral::literal17:
            return {"0.7071067811865476", "0.8660254037844386"};
        case StepLiteral::exact:
            break;
    }
    throw InternalError("lr_literals: exact variant has no literal");
}

StepFactors exact_step_factors(StepSchedule s) {
    switch (s) {
        case StepSchedule::lr_decay:
            return {inverse_sqrt2(), IntervalM(1)};
        case StepSchedule::batch_growth:
            return {IntervalM(1), IntervalM(2)};
        case StepSchedule::hybrid:
            return {sqrt(IntervalM(3)) / 2, IntervalM(3) / IntervalM(2)};
    }
    throw InternalError("exact_step_factors: invalid schedule");
}

template <class LiteralToInterval>
StepFactors literal_step_factors(StepSchedule s, StepLiteral v, LiteralToInterval convert) {
    if (v == StepLiteral::exact) return exact_step_factors(s);
    const LrLiterals lit = lr_literals(v);
    switch (s) {
        case StepSchedule::lr_decay:
            return {convert(lit.lr), IntervalM(1)};
        case StepSchedule::batch_growth:
            return {IntervalM(1), IntervalM(2)};
        case StepSchedule::hybrid:
            // 1.5 is exact in binary64 and in decimal.
            return {convert(lit.hybrid), IntervalM(3) / IntervalM(2)};
    }
    throw InternalError("literal_step_factors: invalid schedule");
}

}  // namespace

StepFactors step_factors(StepSchedule s, StepLiteral v) {
    // std::stod is correctly rounded (glibc strtod), as is Python's float(): the same binary64.
    return literal_step_factors(s, v, [](const char* text) { return IntervalM(std::stod(text)); });
}

StepFactors step_factors_decimal_value(StepSchedule s, StepLiteral v) {
    return literal_step_factors(s, v,
                                [](const char* text) { return IntervalM::from_string(text); });
}

IntervalM step_delta_ratio(const StepFactors& f) {
    return sgd_delta_ratio(f.lr_factor, f.batch_factor);
}

std::vector<long> code_batch_sizes(long b0, double factor, int steps) {
    if (b0 < 1 || steps < 0 || !(factor > 0))
        throw InternalError("code_batch_sizes: need b0 >= 1, steps >= 0, factor > 0");
    std::vector<long> sizes{b0};
    for (int k = 0; k < steps; ++k)
        // Python int(b * factor): the binary64 product truncated toward zero. The product of an
        // integer below 2^53 and a factor such as 1.5 or 2 is exact, so this is exact here too.
        sizes.push_back(static_cast<long>(std::trunc(static_cast<double>(sizes.back()) * factor)));
    return sizes;
}

StageCount stage_count(const IntervalM& inverse_accuracy, const IntervalM& p) {
    if (!certainly_gt(inverse_accuracy, IntervalM(1)))
        throw InternalError("stage_count: 1/eps must be > 1");
    require_positive_power(p, "stage_count");
    const IntervalM x = pow(inverse_accuracy, IntervalM(1) / p);
    if (!x.is_finite()) throw InternalError("stage_count: eps^{-1/p} overflows");
    long lo = ceil(x.lower()).convert_to<long>();
    long hi = ceil(x.upper()).convert_to<long>();
    // M* = ⌈x*⌉ for the true x* ∈ x, so M* ∈ [lo, hi]; tighten with the direct test M^p ≥ 1/ε.
    while (lo < hi && certainly_lt(pow(exact_integer(lo), p), inverse_accuracy)) ++lo;
    while (hi > lo && certainly_ge(pow(exact_integer(hi - 1), p), inverse_accuracy)) --hi;
    return {lo, hi};
}

IntervalM work_count(int M, const IntervalM& p) {
    if (M < 1) throw InternalError("work_count: M must be >= 1");
    require_positive_power(p, "work_count");
    const IntervalM minus_two_p = -2 * p;
    IntervalM sum(0);
    for (int k = 1; k <= M; ++k) sum += pow(IntervalM(k), minus_two_p);
    return pow(IntervalM(M), 2 * p) * sum;
}

WorkRegime work_regime(const IntervalM& p) {
    const IntervalM half = IntervalM(1) / 2;
    if (certainly_le(p, IntervalM(0)) || certainly_gt(p, IntervalM(1))) return WorkRegime::outside;
    if (!certainly_positive(p) || !certainly_le(p, IntervalM(1))) return WorkRegime::undecided;
    if (certainly_gt(p, half)) return WorkRegime::inverse_eps_squared;
    if (certainly_lt(p, half)) return WorkRegime::linear;
    if (p.is_point() && contains(p, half)) return WorkRegime::m_log_m;
    return WorkRegime::undecided;
}

std::string_view work_regime_name(WorkRegime r) {
    switch (r) {
        case WorkRegime::linear:
            return "O(M) (p < 1/2)";
        case WorkRegime::m_log_m:
            return "O(M log M) (p = 1/2)";
        case WorkRegime::inverse_eps_squared:
            return "O(eps^-2) (1/2 < p <= 1)";
        case WorkRegime::outside:
            return "p outside (0, 1]";
        case WorkRegime::undecided:
            return "undecided (p straddles 1/2)";
    }
    throw InternalError("work_regime_name: invalid regime");
}

}  // namespace gradcert::theory
