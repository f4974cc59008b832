#pragma once
// 64-byte vectors (16 floats or 8 doubles) for the hand-written kernels, with the only FMA the
// engine asks for explicitly: the engine is compiled with -ffp-contract=off, so a·b + c is two
// roundings everywhere except where fmadd() says one (docs/engine.md, "Same bits on every
// machine"). The vectors are GCC vector extensions of 64 bytes whatever the ISA: on the engine's
// level x86-64-v3 (AVX2 + FMA, checked by isa.hpp) each is two 32-byte halves. Every operation is
// lane-wise and lane_sum() adds in lane order, so the values are those of 16 (8) independent float
// (double) lanes, identical whether a machine executes them as one AVX-512 or two AVX2
// instructions.
#include <immintrin.h>

#include <cstring>

namespace gradcert::engine::kernels {

template <class T>
struct Simd {
    typedef T vec __attribute__((vector_size(64)));
    static constexpr int lanes = 64 / sizeof(T);
};
template <class T>
using Vec = typename Simd<T>::vec;

template <class T>
inline Vec<T> load(const T* p) {
    Vec<T> v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T>
inline void store(T* p, const Vec<T>& v) {
    std::memcpy(p, &v, sizeof v);
}

// The two 32-byte halves of a 64-byte vector, for operations the vector extensions lack.
template <class T>
struct Halves {
    typedef T half __attribute__((vector_size(32)));
    half lo, hi;
};
template <class T>
inline Halves<T> split(const Vec<T>& v) {
    Halves<T> h;
    std::memcpy(&h.lo, &v, 32);
    std::memcpy(&h.hi, reinterpret_cast<const char*>(&v) + 32, 32);
    return h;
}
template <class T>
inline Vec<T> join(const Halves<T>& h) {
    Vec<T> v;
    std::memcpy(&v, &h.lo, 32);
    std::memcpy(reinterpret_cast<char*>(&v) + 32, &h.hi, 32);
    return v;
}

// a·b + c rounded once per lane (vfmadd…ps / …pd on each 32-byte half).
inline Vec<float> fmadd(const Vec<float>& a, const Vec<float>& b, const Vec<float>& c) {
    const Halves<float> x = split<float>(a), y = split<float>(b), z = split<float>(c);
    Halves<float> r;
    r.lo = (Halves<float>::half)_mm256_fmadd_ps((__m256)x.lo, (__m256)y.lo, (__m256)z.lo);
    r.hi = (Halves<float>::half)_mm256_fmadd_ps((__m256)x.hi, (__m256)y.hi, (__m256)z.hi);
    return join<float>(r);
}
inline Vec<double> fmadd(const Vec<double>& a, const Vec<double>& b, const Vec<double>& c) {
    const Halves<double> x = split<double>(a), y = split<double>(b), z = split<double>(c);
    Halves<double> r;
    r.lo = (Halves<double>::half)_mm256_fmadd_pd((__m256d)x.lo, (__m256d)y.lo, (__m256d)z.lo);
    r.hi = (Halves<double>::half)_mm256_fmadd_pd((__m256d)x.hi, (__m256d)y.hi, (__m256d)z.hi);
    return join<double>(r);
}

// Keeps v in a register: without it GCC folds the load or broadcast into every multiply-add that
// uses v (a memory operand each time), which makes the tiles load-bound. An empty `asm` with a
// register operand per 32-byte half; it emits no instruction and does not change any value.
template <class T>
inline void in_register(Vec<T>& v) {
    Halves<T> h = split<T>(v);
    asm("" : "+x"(h.lo), "+x"(h.hi));
    v = join<T>(h);
}

// Σ lanes, in lane order (plain adds).
template <class T>
inline T lane_sum(const Vec<T>& v) {
    T s = 0;
    for (int l = 0; l < Simd<T>::lanes; ++l) s += v[l];
    return s;
}

}  // namespace gradcert::engine::kernels
