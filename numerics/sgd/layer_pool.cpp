#include "numerics/sgd/layer_pool.hpp"

#include <algorithm>

#include "numerics/sgd/threads.hpp"

namespace gradcert::sgd {

template <class T>
void max_pool_forward(const PoolShape& sh, const T* x, T* y, std::int32_t* argmax) {
    const int p = sh.p(), q = sh.q();
    const long in_plane = long(sh.h) * sh.w, out_plane = long(p) * q;
#pragma omp parallel for schedule(static) if (parallel_worth(sh.planes * in_plane))
    for (long plane = 0; plane < sh.planes; ++plane) {
        const T* xp = x + plane * in_plane;
        for (int oy = 0; oy < p; ++oy) {
            for (int ox = 0; ox < q; ++ox) {
                int best = (oy * sh.stride) * sh.w + ox * sh.stride;
                for (int i = 0; i < sh.kernel; ++i) {
                    for (int j = 0; j < sh.kernel; ++j) {
                        const int idx = (oy * sh.stride + i) * sh.w + ox * sh.stride + j;
                        if (xp[idx] > xp[best]) best = idx;
                    }
                }
                const long out = plane * out_plane + long(oy) * q + ox;
                y[out] = xp[best];
                argmax[out] = best;
            }
        }
    }
}

template <class T>
void max_pool_backward(const PoolShape& sh, const T* dy, const std::int32_t* argmax, T* dx,
                       bool accumulate_dx) {
    const long in_plane = long(sh.h) * sh.w, out_plane = long(sh.p()) * sh.q();
#pragma omp parallel for schedule(static) if (parallel_worth(sh.planes * in_plane))
    for (long plane = 0; plane < sh.planes; ++plane) {
        T* dxp = dx + plane * in_plane;
        if (!accumulate_dx) std::fill(dxp, dxp + in_plane, T(0));
        for (long o = plane * out_plane; o < (plane + 1) * out_plane; ++o) dxp[argmax[o]] += dy[o];
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

#define GRADCERT_SGD_POOL_INSTANTIATE(T)                                                           \
    template void max_pool_forward<T>(const PoolShape&, const T*, T*, std::int32_t*);              \
    template void max_pool_backward<T>(const PoolShape&, const T*, const std::int32_t*, T*, bool); \
    template void avg_pool_forward<T>(const PoolShape&, const T*, T*);                             \
    template void avg_pool_backward<T>(const PoolShape&, const T*, T*, bool);                      \
    template void global_avg_pool_forward<T>(int, int, long, const T*, T*);                        \
    template void global_avg_pool_backward<T>(int, int, long, const T*, T*, bool);
GRADCERT_SGD_POOL_INSTANTIATE(float)
GRADCERT_SGD_POOL_INSTANTIATE(double)
#undef GRADCERT_SGD_POOL_INSTANTIATE

}  // namespace gradcert::sgd
