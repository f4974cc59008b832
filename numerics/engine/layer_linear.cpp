#include "numerics/engine/layer_linear.hpp"

#include "numerics/engine/kernels/gemm.hpp"
#include "numerics/engine/threads.hpp"

namespace gradcert::engine {

template <class T>
void linear_forward(int n, int f, int o, const T* x, const T* weight, const T* bias, T* y) {
    gemm_parallel<T>(false, true, n, o, f, x, f, weight, f, T(0), y, o);
    if (bias == nullptr) return;
#pragma omp parallel for schedule(static) if (parallel_worth(long(n) * o))
    for (int b = 0; b < n; ++b) {
        T* row = y + long(b) * o;
#pragma omp simd
        for (int j = 0; j < o; ++j) row[j] += bias[j];
    }
}

template <class T>
void linear_backward(int n, int f, int o, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx, bool accumulate_dx) {
    gemm_parallel<T>(true, false, o, f, n, dy, o, x, f, T(0), dweight, f);
    if (dbias != nullptr) {
#pragma omp parallel for schedule(static) if (parallel_worth(long(n) * o))
        for (int j = 0; j < o; ++j) {
            double sum = 0.0;
            for (int b = 0; b < n; ++b) sum += double(dy[long(b) * o + j]);
            dbias[j] = T(sum);
        }
    }
    if (dx != nullptr) {
        gemm_parallel<T>(false, false, n, f, o, dy, o, weight, f, T(accumulate_dx), dx, f);
    }
}

template void linear_forward<float>(int, int, int, const float*, const float*, const float*,
                                    float*);
template void linear_forward<double>(int, int, int, const double*, const double*, const double*,
                                     double*);
template void linear_backward<float>(int, int, int, const float*, const float*, const float*,
                                     float*, float*, float*, bool);
template void linear_backward<double>(int, int, int, const double*, const double*, const double*,
                                      double*, double*, double*, bool);

}  // namespace gradcert::engine
