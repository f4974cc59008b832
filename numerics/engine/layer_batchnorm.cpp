#include "numerics/engine/layer_batchnorm.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>

#include "numerics/engine/threads.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

// y = (x − center)·scale + shift on one plane (centred first: no cancellation when |mean| ≫ std),
// then max(0, y) when relu.
template <class T>
void affine_plane(long m, const T* x, T center, T scale, T shift, T* y, bool relu) {
    if (relu) {
#pragma omp simd
        for (long i = 0; i < m; ++i) {
            const T v = (x[i] - center) * scale + shift;
            y[i] = v > T(0) ? v : T(0);
        }
    } else {
#pragma omp simd
        for (long i = 0; i < m; ++i) y[i] = (x[i] - center) * scale + shift;
    }
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
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(long(c) * m))
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
        affine_plane(m, xc, T(mu), T(scale), bias[ch], y + ch * m, config.relu);
    }
}

template <class T>
void batchnorm_forward_eval(int c, long m, const T* x, const T* weight, const T* bias,
                            const T* running_mean, const T* running_var, T* y,
                            const BatchNormConfig& config) {
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(long(c) * m))
    for (int ch = 0; ch < c; ++ch) {
        const double inv = 1.0 / std::sqrt(double(running_var[ch]) + config.eps);
        const double scale = inv * double(weight[ch]);
        affine_plane(m, x + ch * m, running_mean[ch], T(scale), bias[ch], y + ch * m, config.relu);
    }
}

namespace {

// Σ g and Σ g·(x − mu) in double over one channel, g = dy (Relu: dy where y > 0, else 0).
// Floats run 16 at a time in four double-vector accumulators (a fixed order), doubles serially.
template <class T, bool Relu>
void gradient_sums(long m, const T* x, const T* dy, const T* y, double mu, double& sum_g,
                   double& sum_gx) {
    long i = 0;
    sum_g = 0.0;
    sum_gx = 0.0;
    if constexpr (std::is_same_v<T, float>) {
        typedef float F8 __attribute__((vector_size(32)));
        typedef double D8 __attribute__((vector_size(64)));
        D8 g_acc[2] = {}, gx_acc[2] = {};
        const D8 center = D8{} + mu;
        for (; i + 16 <= m; i += 16) {
            for (int half = 0; half < 2; ++half) {
                F8 g, xv;
                std::memcpy(&g, dy + i + 8 * half, sizeof g);
                std::memcpy(&xv, x + i + 8 * half, sizeof xv);
                if constexpr (Relu) {
                    F8 yv;
                    std::memcpy(&yv, y + i + 8 * half, sizeof yv);
                    g = yv > F8{} ? g : F8{};
                }
                const D8 gd = __builtin_convertvector(g, D8);
                g_acc[half] += gd;
                gx_acc[half] += gd * (__builtin_convertvector(xv, D8) - center);
            }
        }
        for (int l = 0; l < 8; ++l) {
            sum_g += g_acc[0][l] + g_acc[1][l];
            sum_gx += gx_acc[0][l] + gx_acc[1][l];
        }
    }
    for (; i < m; ++i) {
        const double g = (!Relu || y[i] > T(0)) ? double(dy[i]) : 0.0;
        sum_g += g;
        sum_gx += g * (double(x[i]) - mu);
    }
}

// One channel of batchnorm_backward; with Relu, dy counts only where y > 0.
template <class T, bool Relu>
void channel_backward(long m, const T* xc, const T* dyc, const T* yc, T weight, T mean, T invstd,
                      T* dweight, T* dbias, T* dxc, bool accumulate_dx) {
    const double mu = double(mean);
    double sum_dy = 0.0, sum_dy_centered = 0.0;
    gradient_sums<T, Relu>(m, xc, dyc, yc, mu, sum_dy, sum_dy_centered);
    const double inv = double(invstd);
    const double dw = sum_dy_centered * inv;  // Σ dy·x̂
    *dweight = T(dw);
    *dbias = T(sum_dy);
    if (dxc == nullptr) return;
    // dx = weight·invstd·(dy − Σdy/m − x̂·Σ(dy·x̂)/m) = a·dy + b·(x − mean) + shift.
    const double a = double(weight) * inv;
    const double b = -a * inv * dw / double(m);
    const double shift = -a * sum_dy / double(m);
    const T ta = T(a), tb = T(b), tshift = T(shift);
    if constexpr (Relu) {
        if (accumulate_dx) {
#pragma omp simd
            for (long i = 0; i < m; ++i) {
                const T g = yc[i] > T(0) ? dyc[i] : T(0);
                dxc[i] += ta * g + tb * (xc[i] - mean) + tshift;
            }
        } else {
#pragma omp simd
            for (long i = 0; i < m; ++i) {
                const T g = yc[i] > T(0) ? dyc[i] : T(0);
                dxc[i] = ta * g + tb * (xc[i] - mean) + tshift;
            }
        }
    } else {
        if (accumulate_dx) {
#pragma omp simd
            for (long i = 0; i < m; ++i) dxc[i] += ta * dyc[i] + tb * (xc[i] - mean) + tshift;
        } else {
#pragma omp simd
            for (long i = 0; i < m; ++i) dxc[i] = ta * dyc[i] + tb * (xc[i] - mean) + tshift;
        }
    }
}

}  // namespace

template <class T>
void batchnorm_backward(int c, long m, const T* x, const T* dy, const T* weight, const T* mean,
                        const T* invstd, T* dweight, T* dbias, T* dx, bool accumulate_dx,
                        const T* relu_output) {
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(long(c) * m))
    for (int ch = 0; ch < c; ++ch) {
        const long offset = ch * m;
        T* dxc = dx == nullptr ? nullptr : dx + offset;
        if (relu_output != nullptr) {
            channel_backward<T, true>(m, x + offset, dy + offset, relu_output + offset, weight[ch],
                                      mean[ch], invstd[ch], dweight + ch, dbias + ch, dxc,
                                      accumulate_dx);
        } else {
            channel_backward<T, false>(m, x + offset, dy + offset, nullptr, weight[ch], mean[ch],
                                       invstd[ch], dweight + ch, dbias + ch, dxc, accumulate_dx);
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
                                        const float*, const float*, float*, float*, float*, bool,
                                        const float*);
template void batchnorm_backward<double>(int, long, const double*, const double*, const double*,
                                         const double*, const double*, double*, double*, double*,
                                         bool, const double*);

}  // namespace gradcert::engine
