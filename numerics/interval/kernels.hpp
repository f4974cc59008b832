#pragma once
// Internal: mutable access to interval endpoints for the implementation files, and helpers shared
// by them. Not part of the public API.
#include <stdexcept>
#include <utility>

#include "numerics/interval/interval.hpp"
#include "numerics/interval/rounding.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::detail {

// Precision in bits of results with endpoints T: 53 for double, working_precision() for Mpfr.
template <class T>
long result_precision() {
    if constexpr (std::is_same_v<T, double>)
        return 53;
    else
        return working_precision();
}

// An endpoint value ready to be written by a directed operation (precision result_precision()).
template <class T>
T blank_endpoint() {
    if constexpr (std::is_same_v<T, double>)
        return 0.0;
    else
        return mpfr_with_precision(working_precision());
}

struct Kernels {
    template <class T>
    static T& lo(Interval<T>& x) {
        return x.lo_;
    }
    template <class T>
    static T& hi(Interval<T>& x) {
        return x.hi_;
    }
    // Builds from endpoints known to satisfy the class invariant.
    template <class T>
    static Interval<T> make(T lo, T hi) {
        return Interval<T>(std::move(lo), std::move(hi), typename Interval<T>::Unchecked{});
    }
    // An interval whose endpoints are ready to be written (values unspecified).
    template <class T>
    static Interval<T> blank() {
        return make<T>(blank_endpoint<T>(), blank_endpoint<T>());
    }
    // True when x's endpoints already have the result precision (in-place update possible).
    template <class T>
    static bool has_result_precision(const Interval<T>& x) {
        if constexpr (std::is_same_v<T, double>)
            return true;
        else
            return precision_bits(x.lo_) == working_precision() &&
                   precision_bits(x.hi_) == working_precision();
    }
};

[[noreturn]] inline void throw_domain(const char* what) {
    throw DomainError(what);
}

}  // namespace gradcert::detail
