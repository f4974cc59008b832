#include "numerics/sgd/layer_batchnorm.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "numerics/sgd/threads.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::sgd {

namespace {

// y = (x − center)·scale + shift on one plane (centred first: no cancellation when |mean| ≫ std).
template <class T>
void affine_plane(long m, const T* x, T center, T scale, T shift, T* y) {
#pragma omp simd
    for (long i = 0; i < m; ++i) y[i] = (x[i] - center) * scale + shift;
}

}  // namespace

template <class T>
void batchnorm_forward_train(int c, long m, const T* x, const T* weight, const T* bias, T* y,
                             T* mean, T* invstd, T* running_mean, T* running_var,
                             const BatchNormConfig& config) {
    if (m < 2) {
        throw_input_error("batch norm", "training needs more than one value per channel, got " +
                                            std::to_string(m));
    }
#pragma omp parallel for schedule(static) if (parallel_worth(long(c) * m))
    for (int ch = 0; ch < c; ++ch) {
        const T* xc = x + ch * m;
        double sum = 0.0, sum_squares = 0.0;
#pragma omp simd reduction(+ : sum, sum_squares)
        for (long i = 0; i < m; ++i) {
            const double v = double(xc[i]);
            sum += v;
            sum_squares += v * v;
        }
        const double mu = sum / double(m);
        const double var = std::max(sum_squares / double(m) - mu * mu, 0.0);
        const double inv = 1.0 / std::sqrt(var + config.eps);
        mean[ch] = T(mu);
        invstd[ch] = T(inv);
        if (running_mean != nullptr) {
            const double mom = config.momentum;
            running_mean[ch] = T((1.0 - mom) * double(running_mean[ch]) + mom * mu);
            running_var[ch] =
                T((1.0 - mom) * double(running_var[ch]) + mom * var * double(m) / double(m - 1));
        }
        const double scale = inv * double(weight[ch]);
        affine_plane(m, xc, T(mu), T(scale), bias[ch], y + ch * m);
    }
}

template <class T>
void batchnorm_forward_eval(int c, long m, const T* x, const T* weight, const T* bias,
                            const T* running_mean, const T* running_var, T* y,
                            const BatchNormConfig& config) {
#pragma omp parallel for schedule(static) if (parallel_worth(long(c) * m))
    for (int ch = 0; ch < c; ++ch) {
        const double inv = 1.0 / std::sqrt(double(running_var[ch]) + config.eps);
        const double scale = inv * double(weight[ch]);
        affine_plane(m, x + ch * m, running_mean[ch], T(scale), bias[ch], y + ch * m);
    }
}

template <class T>
void batchnorm_backward(int c, long m, const T* x, const T* dy, const T* weight, const T* mean,
                        const T* invstd, T* dweight, T* dbias, T* dx, bool accumulate_dx) {
#pragma omp parallel for schedule(static) if (parallel_worth(long(c) * m))
    for (int ch = 0; ch < c; ++ch) {
        const T* xc = x + ch * m;
        const T* dyc = dy + ch * m;
        const double mu = double(mean[ch]);
        double sum_dy = 0.0, sum_dy_centered = 0.0;
#pragma omp simd reduction(+ : sum_dy, sum_dy_centered)
        for (long i = 0; i < m; ++i) {
            sum_dy += double(dyc[i]);
            sum_dy_centered += double(dyc[i]) * (double(xc[i]) - mu);
        }
        const double inv = double(invstd[ch]);
        const double dw = sum_dy_centered * inv;  // Σ dy·x̂
        dweight[ch] = T(dw);
        dbias[ch] = T(sum_dy);
        if (dx == nullptr) continue;
        // dx = weight·invstd·(dy − Σdy/m − x̂·Σ(dy·x̂)/m) = a·dy + b·(x − mean) + shift.
        const double a = double(weight[ch]) * inv;
        const double b = -a * inv * dw / double(m);
        const double shift = -a * sum_dy / double(m);
        const T ta = T(a), tb = T(b), tshift = T(shift), tmu = mean[ch];
        T* dxc = dx + ch * m;
        if (accumulate_dx) {
#pragma omp simd
            for (long i = 0; i < m; ++i) dxc[i] += ta * dyc[i] + tb * (xc[i] - tmu) + tshift;
        } else {
#pragma omp simd
            for (long i = 0; i < m; ++i) dxc[i] = ta * dyc[i] + tb * (xc[i] - tmu) + tshift;
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
                                        const float*, const float*, float*, float*, float*, bool);
template void batchnorm_backward<double>(int, long, const double*, const double*, const double*,
                                         const double*, const double*, double*, double*, double*,
                                         bool);

}  // namespace gradcert::sgd
