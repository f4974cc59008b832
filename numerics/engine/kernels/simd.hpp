#pragma once
// 64-byte vectors (16 floats or 8 doubles) for the hand-written kernels, with the only FMA the
// engine asks for explicitly: the engine is compiled with -ffp-contract=off, so a·b + c is two
// roundings everywhere except where fmadd() says one (docs/engine.md, "Same bits on every
// machine"). Requires AVX-512F (the engine's ISA level x86-64-v4, checked by isa.hpp).
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

// a·b + c rounded once per lane (vfmadd…ps / …pd).
inline Vec<float> fmadd(const Vec<float>& a, const Vec<float>& b, const Vec<float>& c) {
    return (Vec<float>)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
}
inline Vec<double> fmadd(const Vec<double>& a, const Vec<double>& b, const Vec<double>& c) {
    return (Vec<double>)_mm512_fmadd_pd((__m512d)a, (__m512d)b, (__m512d)c);
}

// Keeps v in a register: without it GCC folds the load or broadcast into every multiply-add that
// uses v (a memory operand each time), which makes the tiles load-bound. An empty `asm` with a
// register operand; it emits no instruction and does not change any value.
template <class T>
inline void in_register(Vec<T>& v) {
    asm("" : "+v"(v));
}

// Σ lanes, in lane order (plain adds).
template <class T>
inline T lane_sum(const Vec<T>& v) {
    T s = 0;
    for (int l = 0; l < Simd<T>::lanes; ++l) s += v[l];
    return s;
}

}  // namespace gradcert::engine::kernels
