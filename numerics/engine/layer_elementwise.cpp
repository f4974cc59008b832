#include "numerics/engine/layer_elementwise.hpp"

#include "numerics/engine/threads.hpp"

namespace gradcert::engine {

template <class T>
void relu_forward(long count, const T* x, T* y) {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
    for (long i = 0; i < count; ++i) y[i] = x[i] > T(0) ? x[i] : T(0);
}

template <class T>
void relu_backward(long count, const T* y, const T* dy, T* dx, bool accumulate_dx) {
    if (accumulate_dx) {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
        for (long i = 0; i < count; ++i) dx[i] += y[i] > T(0) ? dy[i] : T(0);
    } else {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
        for (long i = 0; i < count; ++i) dx[i] = y[i] > T(0) ? dy[i] : T(0);
    }
}

template <class T>
void add_forward(long count, const T* a, const T* b, T* y) {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
    for (long i = 0; i < count; ++i) y[i] = a[i] + b[i];
}

template <class T>
void add_relu_forward(long count, const T* a, const T* b, T* y) {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
    for (long i = 0; i < count; ++i) {
        const T v = a[i] + b[i];
        y[i] = v > T(0) ? v : T(0);
    }
}

namespace {

template <class T, bool AccumulateA, bool AccumulateB>
void add_relu_backward_both(long count, const T* y, const T* dy, T* da, T* db) {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
    for (long i = 0; i < count; ++i) {
        const T g = y[i] > T(0) ? dy[i] : T(0);
        if constexpr (AccumulateA) {
            da[i] += g;
        } else {
            da[i] = g;
        }
        if constexpr (AccumulateB) {
            db[i] += g;
        } else {
            db[i] = g;
        }
    }
}

}  // namespace

template <class T>
void add_relu_backward(long count, const T* y, const T* dy, T* da, bool accumulate_a, T* db,
                       bool accumulate_b) {
    if (da == nullptr || db == nullptr) {
        if (da != nullptr) relu_backward(count, y, dy, da, accumulate_a);
        if (db != nullptr) relu_backward(count, y, dy, db, accumulate_b);
        return;
    }
    if (accumulate_a && accumulate_b) add_relu_backward_both<T, true, true>(count, y, dy, da, db);
    if (accumulate_a && !accumulate_b) add_relu_backward_both<T, true, false>(count, y, dy, da, db);
    if (!accumulate_a && accumulate_b) add_relu_backward_both<T, false, true>(count, y, dy, da, db);
    if (!accumulate_a && !accumulate_b) {
        add_relu_backward_both<T, false, false>(count, y, dy, da, db);
    }
}

template <class T>
void accumulate_copy(long count, const T* src, T* dst, bool accumulate) {
    if (accumulate) {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
        for (long i = 0; i < count; ++i) dst[i] += src[i];
    } else {
#pragma omp parallel for simd schedule(static) if (parallel_worth(count))
        for (long i = 0; i < count; ++i) dst[i] = src[i];
    }
}

namespace {

// Copies the hw-blocks of a [outer, inner, hw] array into a [inner, outer, hw] array.
template <class T>
void swap_outer_axes(int outer, int inner, long hw, const T* x, T* y, bool accumulate) {
#pragma omp parallel for collapse(2) schedule(static) if (parallel_worth(long(outer) * inner * hw))
    for (int a = 0; a < outer; ++a) {
        for (int b = 0; b < inner; ++b) {
            const T* src = x + (long(a) * inner + b) * hw;
            T* dst = y + (long(b) * outer + a) * hw;
            if (accumulate) {
                for (long i = 0; i < hw; ++i) dst[i] += src[i];
            } else {
                for (long i = 0; i < hw; ++i) dst[i] = src[i];
            }
        }
    }
}

}  // namespace

template <class T>
void rows_to_planes(int n, int c, long hw, const T* x, T* y, bool accumulate) {
    swap_outer_axes(n, c, hw, x, y, accumulate);
}

template <class T>
void planes_to_rows(int n, int c, long hw, const T* x, T* y, bool accumulate) {
    swap_outer_axes(c, n, hw, x, y, accumulate);
}

#define GRADCERT_SGD_ELEMENTWISE_INSTANTIATE(T)                                       \
    template void relu_forward<T>(long, const T*, T*);                                \
    template void relu_backward<T>(long, const T*, const T*, T*, bool);               \
    template void add_forward<T>(long, const T*, const T*, T*);                       \
    template void accumulate_copy<T>(long, const T*, T*, bool);                       \
    template void add_relu_forward<T>(long, const T*, const T*, T*);                  \
    template void add_relu_backward<T>(long, const T*, const T*, T*, bool, T*, bool); \
    template void rows_to_planes<T>(int, int, long, const T*, T*, bool);              \
    template void planes_to_rows<T>(int, int, long, const T*, T*, bool);
GRADCERT_SGD_ELEMENTWISE_INSTANTIATE(float)
GRADCERT_SGD_ELEMENTWISE_INSTANTIATE(double)
#undef GRADCERT_SGD_ELEMENTWISE_INSTANTIATE

}  // namespace gradcert::engine
