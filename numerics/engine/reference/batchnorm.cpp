// Reference batch normalisation (reference/layers.hpp), statistics in double.
#include <cmath>

#include "numerics/engine/reference/layers.hpp"

namespace gradcert::engine::reference {

namespace {

struct Moments {
    double mean, var;  // batch mean and biased variance
};

template <class T>
Moments moments(long m, const T* x) {
    double sum = 0.0;
    for (long i = 0; i < m; ++i) sum += double(x[i]);
    const double mean = sum / double(m);
    double squares = 0.0;
    for (long i = 0; i < m; ++i) squares += (double(x[i]) - mean) * (double(x[i]) - mean);
    return {mean, squares / double(m)};
}

double apply_relu(double v, bool relu) {
    return relu && v < 0.0 ? 0.0 : v;
}

}  // namespace

template <class T>
void batchnorm_forward_train(int c, long m, const T* x, const T* weight, const T* bias, T* y,
                             T* mean, T* invstd, T* running_mean, T* running_var,
                             const BatchNormConfig& config) {
    for (int ch = 0; ch < c; ++ch) {
        const T* xc = x + ch * m;
        const Moments s = moments(m, xc);
        const double inv = 1.0 / std::sqrt(s.var + config.eps);
        for (long i = 0; i < m; ++i) {
            const double v = (double(xc[i]) - s.mean) * inv * double(weight[ch]) + double(bias[ch]);
            y[ch * m + i] = T(apply_relu(v, config.relu));
        }
        mean[ch] = T(s.mean);
        invstd[ch] = T(inv);
        if (running_mean != nullptr) {
            running_mean[ch] =
                T((1.0 - config.momentum) * running_mean[ch] + config.momentum * s.mean);
            running_var[ch] = T((1.0 - config.momentum) * running_var[ch] +
                                config.momentum * s.var * double(m) / double(m - 1));
        }
    }
}

template <class T>
void batchnorm_forward_eval(int c, long m, const T* x, const T* weight, const T* bias,
                            const T* running_mean, const T* running_var, T* y,
                            const BatchNormConfig& config) {
    for (int ch = 0; ch < c; ++ch) {
        const double inv = 1.0 / std::sqrt(double(running_var[ch]) + config.eps);
        for (long i = 0; i < m; ++i) {
            const double v =
                (double(x[ch * m + i]) - running_mean[ch]) * inv * weight[ch] + bias[ch];
            y[ch * m + i] = T(apply_relu(v, config.relu));
        }
    }
}

// With x̂ = (x − mean)·invstd and g the incoming gradient (zero where a fused ReLU clipped):
//   dbias = Σ g, dweight = Σ g·x̂, dx = weight·invstd·(g − dbias/m − x̂·dweight/m).
template <class T>
void batchnorm_backward(int c, long m, const T* x, const T* dy, const T* weight, const T* bias,
                        T* dweight, T* dbias, T* dx, const BatchNormConfig& config) {
    for (int ch = 0; ch < c; ++ch) {
        const T* xc = x + ch * m;
        const Moments s = moments(m, xc);
        const double inv = 1.0 / std::sqrt(s.var + config.eps);
        const auto xhat = [&](long i) { return (double(xc[i]) - s.mean) * inv; };
        const auto g = [&](long i) {
            const double out = xhat(i) * weight[ch] + bias[ch];
            return config.relu && !(out > 0.0) ? 0.0 : double(dy[ch * m + i]);
        };
        double sum_g = 0.0, sum_gx = 0.0;
        for (long i = 0; i < m; ++i) {
            sum_g += g(i);
            sum_gx += g(i) * xhat(i);
        }
        dbias[ch] = T(sum_g);
        dweight[ch] = T(sum_gx);
        if (dx == nullptr) continue;
        for (long i = 0; i < m; ++i) {
            dx[ch * m + i] = T(double(weight[ch]) * inv *
                               (g(i) - sum_g / double(m) - xhat(i) * sum_gx / double(m)));
        }
    }
}

template void batchnorm_forward_train<float>(int, long, const float*, const float*, const float*,
                                             float*, float*, float*, float*, float*,
                                             const BatchNormConfig&);
template void batchnorm_forward_train<double>(int, long, const double*, const double*,
                                              const double*, double*, double*, double*, double*,
                                              double*, const BatchNormConfig&);
template void batchnorm_forward_eval<float>(int, long, const float*, const float*, const float*,
                                            const float*, const float*, float*,
                                            const BatchNormConfig&);
template void batchnorm_forward_eval<double>(int, long, const double*, const double*, const double*,
                                             const double*, const double*, double*,
                                             const BatchNormConfig&);
template void batchnorm_backward<float>(int, long, const float*, const float*, const float*,
                                        const float*, float*, float*, float*,
                                        const BatchNormConfig&);
template void batchnorm_backward<double>(int, long, const double*, const double*, const double*,
                                         const double*, double*, double*, double*,
                                         const BatchNormConfig&);

}  // namespace gradcert::engine::reference
