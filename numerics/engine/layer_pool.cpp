#include "numerics/engine/layer_pool.hpp"

#include <algorithm>
#include <cstring>

#include "numerics/engine/threads.hpp"

namespace gradcert::engine {

namespace {

// The 2 × 2, stride-2 window: four compares in row-major order (a strict > keeps the first
// maximum). Floats take 16 windows at a time with vector compares and blends.
typedef float Floats __attribute__((vector_size(64)));
typedef std::int32_t Ints __attribute__((vector_size(64)));

inline void even_odd(const float* p, Floats& even, Floats& odd) {
    Floats lo, hi;
    std::memcpy(&lo, p, sizeof lo);
    std::memcpy(&hi, p + 16, sizeof hi);
    const Ints evens = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
    even = __builtin_shuffle(lo, hi, evens);
    odd = __builtin_shuffle(lo, hi, evens + 1);
}

template <class T>
int max_pool_row_2x2_vector(const T*, const T*, int, int, int, T*, std::int32_t*) {
    return 0;
}

template <>
int max_pool_row_2x2_vector<float>(const float* r0, const float* r1, int q, int w, int top,
                                   float* yrow, std::int32_t* arow) {
    const Ints lanes = {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30};
    int ox = 0;
    for (; ox + 16 <= q; ox += 16) {
        Floats a, b, c, d;
        even_odd(r0 + 2 * ox, a, b);
        even_odd(r1 + 2 * ox, c, d);
        const Ints base = lanes + (top + 2 * ox);
        const Ints take_b = b > a;
        const Floats ab = take_b ? b : a;
        const Ints iab = take_b ? base + 1 : base;
        const Ints take_c = c > ab;
        const Floats abc = take_c ? c : ab;
        const Ints iabc = take_c ? base + w : iab;
        const Ints take_d = d > abc;
        const Floats best = take_d ? d : abc;
        const Ints index = take_d ? base + (w + 1) : iabc;
        std::memcpy(yrow + ox, &best, sizeof best);
        std::memcpy(arow + ox, &index, sizeof index);
    }
    return ox;
}

template <class T>
void max_pool_plane_2x2(const PoolShape& sh, const T* xp, T* yp, std::int32_t* ap) {
    const int p = sh.p(), q = sh.q();
    for (int oy = 0; oy < p; ++oy) {
        const int top = 2 * oy * sh.w;
        const T* r0 = xp + top;
        const T* r1 = r0 + sh.w;
        T* yrow = yp + long(oy) * q;
        std::int32_t* arow = ap + long(oy) * q;
        for (int ox = max_pool_row_2x2_vector(r0, r1, q, sh.w, top, yrow, arow); ox < q; ++ox) {
            const int x0 = 2 * ox;
            int index = x0;
            if (r0[x0 + 1] > r0[index]) index = x0 + 1;
            if (r1[x0] > r0[index]) index = sh.w + x0;
            const T best = r0[index];
            if (r1[x0 + 1] > best) index = sh.w + x0 + 1;
            yrow[ox] = r0[index];
            arow[ox] = top + index;
        }
    }
}

template <class T>
void max_pool_plane(const PoolShape& sh, const T* xp, T* yp, std::int32_t* ap) {
    const int p = sh.p(), q = sh.q();
    for (int oy = 0; oy < p; ++oy) {
        for (int ox = 0; ox < q; ++ox) {
            int best = (oy * sh.stride) * sh.w + ox * sh.stride;
            for (int i = 0; i < sh.kernel; ++i) {
                for (int j = 0; j < sh.kernel; ++j) {
                    const int idx = (oy * sh.stride + i) * sh.w + ox * sh.stride + j;
                    if (xp[idx] > xp[best]) best = idx;
                }
            }
            yp[long(oy) * q + ox] = xp[best];
            ap[long(oy) * q + ox] = best;
        }
    }
}

}  // namespace

template <class T>
void max_pool_forward(const PoolShape& sh, const T* x, T* y, std::int32_t* argmax, bool relu) {
    const long in_plane = long(sh.h) * sh.w, out_plane = long(sh.p()) * sh.q();
#pragma omp parallel for schedule(static) if (parallel_worth(sh.planes * in_plane))
    for (long plane = 0; plane < sh.planes; ++plane) {
        const T* xp = x + plane * in_plane;
        T* yp = y + plane * out_plane;
        std::int32_t* ap = argmax + plane * out_plane;
        if (sh.kernel == 2 && sh.stride == 2) {
            max_pool_plane_2x2(sh, xp, yp, ap);
        } else {
            max_pool_plane(sh, xp, yp, ap);
        }
        if (relu) {
            for (long o = 0; o < out_plane; ++o) yp[o] = yp[o] > T(0) ? yp[o] : T(0);
        }
    }
}

template <class T>
void max_pool_backward(const PoolShape& sh, const T* dy, const std::int32_t* argmax, T* dx,
                       bool accumulate_dx, const T* relu_output) {
    const long in_plane = long(sh.h) * sh.w, out_plane = long(sh.p()) * sh.q();
#pragma omp parallel for schedule(static) if (parallel_worth(sh.planes * in_plane))
    for (long plane = 0; plane < sh.planes; ++plane) {
        T* dxp = dx + plane * in_plane;
        if (!accumulate_dx) std::fill(dxp, dxp + in_plane, T(0));
        for (long o = plane * out_plane; o < (plane + 1) * out_plane; ++o) {
            if (relu_output == nullptr || relu_output[o] > T(0)) dxp[argmax[o]] += dy[o];
        }
    }
}

template <class T>
void avg_pool_forward(const PoolShape& sh, const T* x, T* y) {
    const int p = sh.p(), q = sh.q();
    const long in_plane = long(sh.h) * sh.w, out_plane = long(p) * q;
    const T scale = T(1) / T(sh.kernel * sh.kernel);
#pragma omp parallel for schedule(static) if (parallel_worth(sh.planes * in_plane))
    for (long plane = 0; plane < sh.planes; ++plane) {
        const T* xp = x + plane * in_plane;
        for (int oy = 0; oy < p; ++oy) {
            for (int ox = 0; ox < q; ++ox) {
                T sum = 0;
                for (int i = 0; i < sh.kernel; ++i) {
                    for (int j = 0; j < sh.kernel; ++j) {
                        sum += xp[(oy * sh.stride + i) * sh.w + ox * sh.stride + j];
                    }
                }
                y[plane * out_plane + long(oy) * q + ox] = sum * scale;
            }
        }
    }
}

template <class T>
void avg_pool_backward(const PoolShape& sh, const T* dy, T* dx, bool accumulate_dx) {
    const int p = sh.p(), q = sh.q();
    const long in_plane = long(sh.h) * sh.w, out_plane = long(p) * q;
    const T scale = T(1) / T(sh.kernel * sh.kernel);
#pragma omp parallel for schedule(static) if (parallel_worth(sh.planes * in_plane))
    for (long plane = 0; plane < sh.planes; ++plane) {
        T* dxp = dx + plane * in_plane;
        if (!accumulate_dx) std::fill(dxp, dxp + in_plane, T(0));
        for (int oy = 0; oy < p; ++oy) {
            for (int ox = 0; ox < q; ++ox) {
                const T g = dy[plane * out_plane + long(oy) * q + ox] * scale;
                for (int i = 0; i < sh.kernel; ++i) {
                    for (int j = 0; j < sh.kernel; ++j) {
                        dxp[(oy * sh.stride + i) * sh.w + ox * sh.stride + j] += g;
                    }
                }
            }
        }
    }
}

template <class T>
void global_avg_pool_forward(int c, int n, long hw, const T* x, T* y) {
#pragma omp parallel for collapse(2) schedule(static) if (parallel_worth(long(c) * n * hw))
    for (int ch = 0; ch < c; ++ch) {
        for (int b = 0; b < n; ++b) {
            const T* xp = x + (long(ch) * n + b) * hw;
            double sum = 0.0;
#pragma omp simd reduction(+ : sum)
            for (long i = 0; i < hw; ++i) sum += double(xp[i]);
            y[long(b) * c + ch] = T(sum / double(hw));
        }
    }
}

template <class T>
void global_avg_pool_backward(int c, int n, long hw, const T* dy, T* dx, bool accumulate_dx) {
    const T scale = T(1) / T(hw);
#pragma omp parallel for collapse(2) schedule(static) if (parallel_worth(long(c) * n * hw))
    for (int ch = 0; ch < c; ++ch) {
        for (int b = 0; b < n; ++b) {
            T* dxp = dx + (long(ch) * n + b) * hw;
            const T g = dy[long(b) * c + ch] * scale;
            if (accumulate_dx) {
                for (long i = 0; i < hw; ++i) dxp[i] += g;
            } else {
                std::fill(dxp, dxp + hw, g);
            }
        }
    }
}

#define GRADCERT_SGD_POOL_INSTANTIATE(T)                                                          \
    template void max_pool_forward<T>(const PoolShape&, const T*, T*, std::int32_t*, bool);       \
    template void max_pool_backward<T>(const PoolShape&, const T*, const std::int32_t*, T*, bool, \
                                       const T*);                                                 \
    template void avg_pool_forward<T>(const PoolShape&, const T*, T*);                            \
    template void avg_pool_backward<T>(const PoolShape&, const T*, T*, bool);                     \
    template void global_avg_pool_forward<T>(int, int, long, const T*, T*);                       \
    template void global_avg_pool_backward<T>(int, int, long, const T*, T*, bool);
GRADCERT_SGD_POOL_INSTANTIATE(float)
GRADCERT_SGD_POOL_INSTANTIATE(double)
#undef GRADCERT_SGD_POOL_INSTANTIATE

}  // namespace gradcert::engine
