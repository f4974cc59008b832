#pragma once
// Directed rounding of endpoint operations, for double (IEEE hardware) and Mpfr (MPFR) endpoints.
//
// Contract of every function below: *_down returns a value <= the exact real result and *_up a
// value >= it (for finite exact results; overflow goes to +-inf or +-max in the safe direction).
//
// double: SSE arithmetic is correctly rounded in each IEEE mode. HardwareUpward switches the
// MXCSR to round-upward (clearing flush-to-zero and denormals-are-zero) for its lifetime and
// restores the caller's MXCSR on destruction; *_down uses the identity down(a op b) =
// -up(-a op' b). Every operand and result passes through an empty volatile asm so that the
// compiler cannot move the arithmetic across the mode switches (GCC does not guarantee that
// with -frounding-math alone).
//
// Mpfr: each operation is one MPFR call with MPFR_RNDD or MPFR_RNDU into a result whose
// precision the caller chose (the working precision).
#include <cstdint>
#include <type_traits>

#include "numerics/interval/precision.hpp"

namespace gradcert::detail {

#if !defined(__x86_64__) && !defined(__i386__)
#error "gradcert's double intervals use the SSE MXCSR rounding control (x86-64 only)"
#endif

inline std::uint32_t read_mxcsr() {
    std::uint32_t csr;
    asm volatile("stmxcsr %0" : "=m"(csr) : : "memory");
    return csr;
}

inline void write_mxcsr(std::uint32_t csr) {
    asm volatile("ldmxcsr %0" : : "m"(csr) : "memory");
}

// Keeps a value in a register the compiler must treat as produced/consumed at this point.
inline double opaque(double x) {
    asm volatile("" : "+x"(x));
    return x;
}

inline constexpr std::uint32_t kMxcsrRoundingMask = 0x6000u;  // RC bits 13-14
inline constexpr std::uint32_t kMxcsrUpward = 0x4000u;
inline constexpr std::uint32_t kMxcsrDownward = 0x2000u;
inline constexpr std::uint32_t kMxcsrFlushToZero = 0x8000u;
inline constexpr std::uint32_t kMxcsrDenormalsAreZero = 0x0040u;

// RAII: round-upward for its lifetime; all arithmetic members must be called while it lives.
class HardwareUpward {
  public:
    HardwareUpward() : saved_(read_mxcsr()) { write_mxcsr(upward_word()); }
    ~HardwareUpward() { write_mxcsr(saved_); }
    HardwareUpward(const HardwareUpward&) = delete;
    HardwareUpward& operator=(const HardwareUpward&) = delete;

    static double add_up(double a, double b) { return opaque(opaque(a) + opaque(b)); }
    static double add_down(double a, double b) { return -opaque(opaque(-a) + opaque(-b)); }
    static double sub_up(double a, double b) { return opaque(opaque(a) - opaque(b)); }
    static double sub_down(double a, double b) { return -opaque(opaque(b) - opaque(a)); }
    static double mul_up(double a, double b) { return opaque(opaque(a) * opaque(b)); }
    static double mul_down(double a, double b) { return -opaque(opaque(-a) * opaque(b)); }
    static double div_up(double a, double b) { return opaque(opaque(a) / opaque(b)); }
    static double div_down(double a, double b) { return -opaque(opaque(-a) / opaque(b)); }
    static double sqrt_up(double a) { return opaque(__builtin_sqrt(opaque(a))); }
    // Switches to round-downward for one square root, then back to upward.
    double sqrt_down(double a) const {
        write_mxcsr(downward_word());
        double r = opaque(__builtin_sqrt(opaque(a)));
        write_mxcsr(upward_word());
        return r;
    }

  private:
    std::uint32_t clean() const {
        return saved_ & ~(kMxcsrRoundingMask | kMxcsrFlushToZero | kMxcsrDenormalsAreZero);
    }
    std::uint32_t upward_word() const { return clean() | kMxcsrUpward; }
    std::uint32_t downward_word() const { return clean() | kMxcsrDownward; }
    std::uint32_t saved_;
};

// RAII: round-to-nearest without flush-to-zero / denormals-are-zero for its lifetime. MPFR's
// double conversions (mpfr_set_d, mpfr_get_d) use SSE arithmetic and return wrong values for
// subnormals under FTZ/DAZ (measured: mpfr_get_d(3e-320, MPFR_RNDU) = 0), so every conversion
// between double endpoints and MPFR runs inside one.
class SseDefault {
  public:
    SseDefault() : saved_(read_mxcsr()) {
        write_mxcsr(saved_ & ~(kMxcsrRoundingMask | kMxcsrFlushToZero | kMxcsrDenormalsAreZero));
    }
    ~SseDefault() { write_mxcsr(saved_); }
    SseDefault(const SseDefault&) = delete;
    SseDefault& operator=(const SseDefault&) = delete;

  private:
    std::uint32_t saved_;
};

// SseDefault for double endpoints, nothing for Mpfr endpoints.
struct NoGuard {};
template <class T>
using ConversionGuard = std::conditional_t<std::is_same_v<T, double>, SseDefault, NoGuard>;

// In-place directed endpoint operations with one interface for both endpoint types. `Guard` must
// be alive while they are used; results are written to `r`, which may alias an operand.
template <class T>
struct Endpoint;

template <>
struct Endpoint<double> {
    using Guard = HardwareUpward;
    static void add_down(const Guard&, double& r, double a, double b) { r = Guard::add_down(a, b); }
    static void add_up(const Guard&, double& r, double a, double b) { r = Guard::add_up(a, b); }
    static void sub_down(const Guard&, double& r, double a, double b) { r = Guard::sub_down(a, b); }
    static void sub_up(const Guard&, double& r, double a, double b) { r = Guard::sub_up(a, b); }
    static void mul_down(const Guard&, double& r, double a, double b) { r = Guard::mul_down(a, b); }
    static void mul_up(const Guard&, double& r, double a, double b) { r = Guard::mul_up(a, b); }
    static void div_down(const Guard&, double& r, double a, double b) { r = Guard::div_down(a, b); }
    static void div_up(const Guard&, double& r, double a, double b) { r = Guard::div_up(a, b); }
    static void sqrt_down(const Guard& g, double& r, double a) { r = g.sqrt_down(a); }
    static void sqrt_up(const Guard&, double& r, double a) { r = Guard::sqrt_up(a); }
    static int sign(double a) { return (a > 0) - (a < 0); }
    static bool less(double a, double b) { return a < b; }
};

template <>
struct Endpoint<Mpfr> {
    struct Guard {};
    static void add_down(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_add(raw(r), raw(a), raw(b), MPFR_RNDD);
    }
    static void add_up(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_add(raw(r), raw(a), raw(b), MPFR_RNDU);
    }
    static void sub_down(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_sub(raw(r), raw(a), raw(b), MPFR_RNDD);
    }
    static void sub_up(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_sub(raw(r), raw(a), raw(b), MPFR_RNDU);
    }
    static void mul_down(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_mul(raw(r), raw(a), raw(b), MPFR_RNDD);
    }
    static void mul_up(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_mul(raw(r), raw(a), raw(b), MPFR_RNDU);
    }
    static void div_down(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_div(raw(r), raw(a), raw(b), MPFR_RNDD);
    }
    static void div_up(const Guard&, Mpfr& r, const Mpfr& a, const Mpfr& b) {
        mpfr_div(raw(r), raw(a), raw(b), MPFR_RNDU);
    }
    static void sqrt_down(const Guard&, Mpfr& r, const Mpfr& a) {
        mpfr_sqrt(raw(r), raw(a), MPFR_RNDD);
    }
    static void sqrt_up(const Guard&, Mpfr& r, const Mpfr& a) {
        mpfr_sqrt(raw(r), raw(a), MPFR_RNDU);
    }
    static int sign(const Mpfr& a) { return mpfr_sgn(raw(a)); }
    static bool less(const Mpfr& a, const Mpfr& b) { return mpfr_less_p(raw(a), raw(b)) != 0; }
};

}  // namespace gradcert::detail
