// Reference pooling and elementwise layers (reference/layers.hpp).
#include "numerics/engine/reference/layers.hpp"

namespace gradcert::engine::reference {

namespace {

// The row-major index within the plane of the first maximum of window (oy, ox).
template <class T>
long window_argmax(const PoolShape& sh, const T* plane, int oy, int ox) {
    long best = long(oy * sh.stride) * sh.w + ox * sh.stride;
    for (int i = 0; i < sh.kernel; ++i)
        for (int j = 0; j < sh.kernel; ++j) {
            const long at = long(oy * sh.stride + i) * sh.w + ox * sh.stride + j;
            if (plane[at] > plane[best]) best = at;
        }
    return best;
}

}  // namespace

template <class T>
void max_pool_forward(const PoolShape& sh, const T* x, T* y, bool relu) {
    const int p = sh.p(), q = sh.q();
    for (long pl = 0; pl < sh.planes; ++pl) {
        const T* plane = x + pl * sh.h * sh.w;
        for (int oy = 0; oy < p; ++oy)
            for (int ox = 0; ox < q; ++ox) {
                const T v = plane[window_argmax(sh, plane, oy, ox)];
                y[(pl * p + oy) * q + ox] = relu && v < T(0) ? T(0) : v;
            }
    }
}

template <class T>
void max_pool_backward(const PoolShape& sh, const T* x, const T* dy, T* dx, bool relu) {
    const int p = sh.p(), q = sh.q();
    for (long i = 0; i < sh.planes * sh.h * sh.w; ++i) dx[i] = T(0);
    for (long pl = 0; pl < sh.planes; ++pl) {
        const T* plane = x + pl * sh.h * sh.w;
        for (int oy = 0; oy < p; ++oy)
            for (int ox = 0; ox < q; ++ox) {
                const long at = window_argmax(sh, plane, oy, ox);
                if (relu && !(plane[at] > T(0))) continue;
                dx[pl * sh.h * sh.w + at] += dy[(pl * p + oy) * q + ox];
            }
    }
}

template <class T>
void avg_pool_forward(const PoolShape& sh, const T* x, T* y) {
    const int p = sh.p(), q = sh.q();
    for (long pl = 0; pl < sh.planes; ++pl)
        for (int oy = 0; oy < p; ++oy)
            for (int ox = 0; ox < q; ++ox) {
                double sum = 0.0;
                for (int i = 0; i < sh.kernel; ++i)
                    for (int j = 0; j < sh.kernel; ++j)
                        sum +=
                            double(x[(pl * sh.h + oy * sh.stride + i) * sh.w + ox * sh.stride + j]);
                y[(pl * p + oy) * q + ox] = T(sum / (sh.kernel * sh.kernel));
            }
}

template <class T>
void avg_pool_backward(const PoolShape& sh, const T* dy, T* dx) {
    const int p = sh.p(), q = sh.q();
    for (long i = 0; i < sh.planes * sh.h * sh.w; ++i) dx[i] = T(0);
    for (long pl = 0; pl < sh.planes; ++pl)
        for (int oy = 0; oy < p; ++oy)
            for (int ox = 0; ox < q; ++ox) {
                const double share = double(dy[(pl * p + oy) * q + ox]) / (sh.kernel * sh.kernel);
                for (int i = 0; i < sh.kernel; ++i)
                    for (int j = 0; j < sh.kernel; ++j)
                        dx[(pl * sh.h + oy * sh.stride + i) * sh.w + ox * sh.stride + j] +=
                            T(share);
            }
}

template <class T>
void global_avg_pool_forward(int c, int n, long hw, const T* x, T* y) {
    for (int ch = 0; ch < c; ++ch)
        for (int b = 0; b < n; ++b) {
            double sum = 0.0;
            for (long i = 0; i < hw; ++i) sum += double(x[(long(ch) * n + b) * hw + i]);
            y[long(b) * c + ch] = T(sum / double(hw));
        }
}

template <class T>
void global_avg_pool_backward(int c, int n, long hw, const T* dy, T* dx) {
    for (int ch = 0; ch < c; ++ch)
        for (int b = 0; b < n; ++b)
            for (long i = 0; i < hw; ++i)
                dx[(long(ch) * n + b) * hw + i] = T(double(dy[long(b) * c + ch]) / double(hw));
}

template <class T>
void relu_forward(long count, const T* x, T* y) {
    for (long i = 0; i < count; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
}

template <class T>
void relu_backward(long count, const T* y, const T* dy, T* dx) {
    for (long i = 0; i < count; ++i) dx[i] = y[i] > T(0) ? dy[i] : T(0);
}

#define GRADCERT_REFERENCE_POOL(T)                                                      \
    template void max_pool_forward<T>(const PoolShape&, const T*, T*, bool);            \
    template void max_pool_backward<T>(const PoolShape&, const T*, const T*, T*, bool); \
    template void avg_pool_forward<T>(const PoolShape&, const T*, T*);                  \
    template void avg_pool_backward<T>(const PoolShape&, const T*, T*);                 \
    template void global_avg_pool_forward<T>(int, int, long, const T*, T*);             \
    template void global_avg_pool_backward<T>(int, int, long, const T*, T*);            \
    template void relu_forward<T>(long, const T*, T*);                                  \
    template void relu_backward<T>(long, const T*, const T*, T*);
GRADCERT_REFERENCE_POOL(float)
GRADCERT_REFERENCE_POOL(double)
#undef GRADCERT_REFERENCE_POOL

}  // namespace gradcert::engine::reference
