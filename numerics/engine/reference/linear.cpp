// Reference fully connected layer (reference/layers.hpp).
#include "numerics/engine/reference/layers.hpp"

namespace gradcert::engine::reference {

template <class T>
void linear_forward(int n, int f, int o, const T* x, const T* weight, const T* bias, T* y) {
    for (int b = 0; b < n; ++b)
        for (int u = 0; u < o; ++u) {
            double sum = bias != nullptr ? double(bias[u]) : 0.0;
            for (int v = 0; v < f; ++v) sum += double(x[long(b) * f + v]) * weight[long(u) * f + v];
            y[long(b) * o + u] = T(sum);
        }
}

template <class T>
void linear_backward(int n, int f, int o, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx) {
    for (int u = 0; u < o; ++u)
        for (int v = 0; v < f; ++v) {
            double sum = 0.0;
            for (int b = 0; b < n; ++b) sum += double(dy[long(b) * o + u]) * x[long(b) * f + v];
            dweight[long(u) * f + v] = T(sum);
        }
    if (dbias != nullptr) {
        for (int u = 0; u < o; ++u) {
            double sum = 0.0;
            for (int b = 0; b < n; ++b) sum += double(dy[long(b) * o + u]);
            dbias[u] = T(sum);
        }
    }
    if (dx == nullptr) return;
    for (int b = 0; b < n; ++b)
        for (int v = 0; v < f; ++v) {
            double sum = 0.0;
            for (int u = 0; u < o; ++u)
                sum += double(dy[long(b) * o + u]) * weight[long(u) * f + v];
            dx[long(b) * f + v] = T(sum);
        }
}

template void linear_forward<float>(int, int, int, const float*, const float*, const float*,
                                    float*);
template void linear_forward<double>(int, int, int, const double*, const double*, const double*,
                                     double*);
template void linear_backward<float>(int, int, int, const float*, const float*, const float*,
                                     float*, float*, float*);
template void linear_backward<double>(int, int, int, const double*, const double*, const double*,
                                      double*, double*, double*);

}  // namespace gradcert::engine::reference
