#pragma once
// Portable seeded normal variates for weight initialisation.
//
// std::normal_distribution is implementation-defined (libstdc++ and libc++ differ, and may
// change between versions), so the engine draws N(0, 1) by the Box–Muller transform from
// std::mt19937_64, whose output sequence the C++ standard fixes. Uniforms are
// u = (⌊x / 2^11⌋ + 1/2) · 2^-53 ∈ (0, 1) from one 64-bit draw each; a pair (u1, u2) gives
// z1 = √(−2 ln u1) cos(2π u2) and z2 = √(−2 ln u1) sin(2π u2), returned in that order. The
// sequence is reproducible wherever log, cos and sin are correctly rounded or identical (glibc
// on x86-64 for the same build).
#include <cstdint>
#include <random>

namespace gradcert::engine {

class NormalGenerator {
  public:
    explicit NormalGenerator(std::uint64_t seed) : engine_(seed) {}
    // The next N(0, 1) variate.
    double operator()();

  private:
    double uniform_open();
    std::mt19937_64 engine_;
    bool has_spare_ = false;
    double spare_ = 0.0;
};

}  // namespace gradcert::engine
