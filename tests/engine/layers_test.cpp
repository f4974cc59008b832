// Gradient checks of every layer of the SGD engine: forward against a direct double
// implementation, backward against central finite differences in double (relative error
// ‖g − ĝ‖/‖g + ĝ‖ < 1e-6), and the float instantiation against the double one.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>
#include <vector>

#include "numerics/engine/layer_batchnorm.hpp"
#include "numerics/engine/layer_conv.hpp"
#include "numerics/engine/layer_elementwise.hpp"
#include "numerics/engine/layer_linear.hpp"
#include "numerics/engine/layer_pool.hpp"
#include "numerics/engine/loss.hpp"
#include "numerics/util/error.hpp"
#include "tests/engine/core_fd.hpp"

using namespace gradcert::engine;
using gradcert::engine::test::finite_difference_gradient;
using gradcert::engine::test::random_vector;
using gradcert::engine::test::relative_error;
using gradcert::engine::test::weighted_sum;

namespace {

constexpr double fd_tolerance = 1e-6;

std::vector<float> to_float(const std::vector<double>& v) {
    return {v.begin(), v.end()};
}

// Direct convolution on channel planes: y[o, b, i, j] = bias[o] + Σ w[o, c, u, v]·x[c, b, i·s − p +
// u, j·s − p + v].
std::vector<double> direct_conv(const Conv2dShape& sh, const std::vector<double>& x,
                                const std::vector<double>& w, const double* bias) {
    const int p = sh.p(), q = sh.q();
    std::vector<double> y(std::size_t(sh.k) * sh.n * p * q);
    for (int o = 0; o < sh.k; ++o)
        for (int b = 0; b < sh.n; ++b)
            for (int i = 0; i < p; ++i)
                for (int j = 0; j < q; ++j) {
                    double s = bias != nullptr ? bias[o] : 0.0;
                    for (int c = 0; c < sh.c; ++c)
                        for (int u = 0; u < sh.r; ++u)
                            for (int v = 0; v < sh.s; ++v) {
                                const int iy = i * sh.stride - sh.pad + u;
                                const int ix = j * sh.stride - sh.pad + v;
                                if (iy < 0 || iy >= sh.h || ix < 0 || ix >= sh.w) continue;
                                s += w[((o * sh.c + c) * sh.r + u) * sh.s + v] *
                                     x[((std::size_t(c) * sh.n + b) * sh.h + iy) * sh.w + ix];
                            }
                    y[((std::size_t(o) * sh.n + b) * p + i) * q + j] = s;
                }
    return y;
}

struct ConvCase {
    int n, c, h, w, k, r, stride, pad;
    bool bias;
    int chunk;
};

}  // namespace

TEST_CASE("conv2d: forward equals a direct convolution, backward equals finite differences",
          "[sgd][core][layers]") {
    const ConvCase cs = GENERATE(
        ConvCase{2, 3, 5, 6, 4, 3, 1, 1, true, 0}, ConvCase{3, 2, 7, 5, 3, 3, 2, 1, false, 0},
        ConvCase{3, 4, 4, 4, 5, 1, 1, 0, false, 0}, ConvCase{2, 3, 5, 5, 2, 1, 2, 0, false, 0},
        ConvCase{3, 2, 6, 5, 3, 2, 1, 0, true, 2}, ConvCase{4, 2, 5, 5, 3, 3, 1, 1, true, 1},
        ConvCase{3, 3, 4, 4, 2, 1, 1, 0, false, 2});
    const bool direct = GENERATE(true, false);  // direct 3×3 kernels where they apply, or GEMM
    Conv2dShape sh{cs.n,
                   cs.c,
                   cs.h,
                   cs.w,
                   cs.k,
                   cs.r,
                   cs.r,
                   cs.stride,
                   cs.pad,
                   cs.chunk,
                   direct ? ConvAlgorithm::direct : ConvAlgorithm::gemm};
    CAPTURE(cs.n, cs.c, cs.h, cs.w, cs.k, cs.r, cs.stride, cs.pad, cs.chunk, direct);
    const std::size_t x_size = std::size_t(sh.c) * sh.n * sh.h * sh.w;
    const std::size_t y_size = std::size_t(sh.k) * sh.n * sh.p() * sh.q();
    std::vector<double> x = random_vector(x_size, 1);
    std::vector<double> w = random_vector(std::size_t(sh.k) * sh.patch(), 2);
    std::vector<double> b = random_vector(sh.k, 3);
    const std::vector<double> dy = random_vector(y_size, 4);
    const double* bias = cs.bias ? b.data() : nullptr;

    std::vector<double> y(y_size);
    conv2d_forward(sh, x.data(), w.data(), bias, y.data());
    CHECK(relative_error(y, direct_conv(sh, x, w, bias)) < 1e-14);

    std::vector<double> dx(x_size), dw(w.size()), db(b.size());
    conv2d_backward(sh, x.data(), w.data(), dy.data(), dw.data(), cs.bias ? db.data() : nullptr,
                    dx.data(), false);
    auto objective = [&] {
        conv2d_forward(sh, x.data(), w.data(), cs.bias ? b.data() : nullptr, y.data());
        return weighted_sum(dy, y);
    };
    CHECK(relative_error(dx, finite_difference_gradient(objective, x)) < fd_tolerance);
    CHECK(relative_error(dw, finite_difference_gradient(objective, w)) < fd_tolerance);
    if (cs.bias) CHECK(relative_error(db, finite_difference_gradient(objective, b)) < fd_tolerance);

    // accumulate_dx adds to what is there.
    std::vector<double> dx_acc(x_size, 1.0);
    conv2d_backward<double>(sh, x.data(), w.data(), dy.data(), dw.data(), nullptr, dx_acc.data(),
                            true);
    for (std::size_t i = 0; i < x_size; ++i)
        REQUIRE(dx_acc[i] == Approx(dx[i] + 1.0).margin(1e-12));

    // Float instantiation against double: relative error within 1e-6.
    std::vector<float> xf = to_float(x), wf = to_float(w), bf = to_float(b), dyf = to_float(dy);
    std::vector<float> yf(y_size), dxf(x_size), dwf(w.size()), dbf(b.size());
    conv2d_forward(sh, xf.data(), wf.data(), cs.bias ? bf.data() : nullptr, yf.data());
    conv2d_backward(sh, xf.data(), wf.data(), dyf.data(), dwf.data(),
                    cs.bias ? dbf.data() : nullptr, dxf.data(), false);
    conv2d_forward(sh, x.data(), w.data(), bias, y.data());
    CHECK(relative_error(yf, y) < 1e-6);
    CHECK(relative_error(dxf, dx) < 1e-6);
    CHECK(relative_error(dwf, dw) < 1e-6);
}

TEST_CASE("conv2d: the direct 3×3 kernels agree with im2col + GEMM on training-sized layers",
          "[sgd][core][layers]") {
    // Shapes of cnn-small and ResNet layers (channel blocks of 8, vector tails, image groups).
    const Conv2dShape shapes[] = {{16, 3, 32, 32, 32, 3, 3, 1, 1},
                                  {16, 16, 32, 32, 16, 3, 3, 1, 1},
                                  {20, 32, 16, 16, 64, 3, 3, 1, 1},
                                  {33, 64, 8, 8, 64, 3, 3, 1, 1},
                                  {9, 24, 4, 4, 12, 3, 3, 1, 1},
                                  {8, 5, 28, 28, 7, 3, 3, 1, 1},
                                  // stride 2 (ResNet stage entries), even and odd sizes
                                  {16, 16, 32, 32, 32, 3, 3, 2, 1},
                                  {20, 32, 16, 16, 64, 3, 3, 2, 1},
                                  {5, 7, 9, 11, 6, 3, 3, 2, 1},
                                  {3, 4, 7, 7, 9, 3, 3, 2, 1}};
    for (Conv2dShape sh : shapes) {
        CAPTURE(sh.n, sh.c, sh.h, sh.k);
        const std::size_t x_size = std::size_t(sh.c) * sh.n * sh.h * sh.w;
        const std::size_t y_size = std::size_t(sh.k) * sh.n * sh.p() * sh.q();
        const std::vector<float> x = to_float(random_vector(x_size, 5));
        const std::vector<float> w = to_float(random_vector(std::size_t(sh.k) * sh.patch(), 6));
        const std::vector<float> b = to_float(random_vector(sh.k, 7));
        const std::vector<float> dy = to_float(random_vector(y_size, 8));
        std::vector<float> y[2], dx[2], dw[2], db[2];
        for (int direct = 0; direct < 2; ++direct) {
            sh.algorithm = direct == 1 ? ConvAlgorithm::direct : ConvAlgorithm::gemm;
            y[direct].resize(y_size);
            dx[direct].assign(x_size, 0.5f);
            dw[direct].resize(w.size());
            db[direct].resize(b.size());
            conv2d_forward(sh, x.data(), w.data(), b.data(), y[direct].data());
            conv2d_backward(sh, x.data(), w.data(), dy.data(), dw[direct].data(), db[direct].data(),
                            dx[direct].data(), true);
        }
        CHECK(relative_error(y[1], y[0]) < 1e-6);
        CHECK(relative_error(dx[1], dx[0]) < 1e-6);
        CHECK(relative_error(dw[1], dw[0]) < 1e-6);
        CHECK(db[1] == db[0]);
    }
}

TEST_CASE("batch norm: statistics, running averages, evaluation mode and gradients",
          "[sgd][core][layers]") {
    const int c = 3;
    const long m = 4 * 2 * 3;  // n = 4 examples of 2×3 pixels
    std::vector<double> x = random_vector(c * m, 11, -2.0, 3.0);
    std::vector<double> weight = random_vector(c, 12, 0.5, 1.5);
    std::vector<double> bias = random_vector(c, 13);
    const std::vector<double> dy = random_vector(c * m, 14);
    std::vector<double> y(c * m), mean(c), invstd(c);
    std::vector<double> running_mean = {0.5, -0.25, 0.0}, running_var = {1.0, 2.0, 0.5};
    const BatchNormConfig config;
    batchnorm_forward_train<double>(c, m, x.data(), weight.data(), bias.data(), y.data(),
                                    mean.data(), invstd.data(), running_mean.data(),
                                    running_var.data(), config);
    const std::vector<double> old_mean = {0.5, -0.25, 0.0}, old_var = {1.0, 2.0, 0.5};
    for (int ch = 0; ch < c; ++ch) {
        double mu = 0.0, var = 0.0;
        for (long i = 0; i < m; ++i) mu += x[ch * m + i] / double(m);
        for (long i = 0; i < m; ++i) var += (x[ch * m + i] - mu) * (x[ch * m + i] - mu) / double(m);
        CHECK(mean[ch] == Approx(mu).epsilon(1e-14));
        CHECK(invstd[ch] == Approx(1.0 / std::sqrt(var + 1e-5)).epsilon(1e-12));
        CHECK(running_mean[ch] == Approx(0.9 * old_mean[ch] + 0.1 * mu).epsilon(1e-14));
        CHECK(running_var[ch] ==
              Approx(0.9 * old_var[ch] + 0.1 * var * double(m) / double(m - 1)).epsilon(1e-12));
        for (long i = 0; i < m; ++i) {
            const double expected =
                (x[ch * m + i] - mu) / std::sqrt(var + 1e-5) * weight[ch] + bias[ch];
            REQUIRE(y[ch * m + i] == Approx(expected).epsilon(1e-12).margin(1e-13));
        }
    }

    std::vector<double> y_eval(c * m);
    batchnorm_forward_eval(c, m, x.data(), weight.data(), bias.data(), running_mean.data(),
                           running_var.data(), y_eval.data(), config);
    for (int ch = 0; ch < c; ++ch) {
        for (long i = 0; i < m; ++i) {
            const double expected = (x[ch * m + i] - running_mean[ch]) /
                                        std::sqrt(running_var[ch] + 1e-5) * weight[ch] +
                                    bias[ch];
            REQUIRE(y_eval[ch * m + i] == Approx(expected).epsilon(1e-12).margin(1e-13));
        }
    }

    std::vector<double> dx(c * m), dweight(c), dbias(c);
    batchnorm_backward(c, m, x.data(), dy.data(), weight.data(), mean.data(), invstd.data(),
                       dweight.data(), dbias.data(), dx.data(), false);
    auto objective = [&] {
        batchnorm_forward_train<double>(c, m, x.data(), weight.data(), bias.data(), y.data(),
                                        mean.data(), invstd.data(), nullptr, nullptr, config);
        return weighted_sum(dy, y);
    };
    CHECK(relative_error(dx, finite_difference_gradient(objective, x)) < fd_tolerance);
    CHECK(relative_error(dweight, finite_difference_gradient(objective, weight)) < fd_tolerance);
    CHECK(relative_error(dbias, finite_difference_gradient(objective, bias)) < fd_tolerance);

    // One value per channel cannot be normalised in training mode (PyTorch raises too).
    CHECK_THROWS_AS(
        batchnorm_forward_train<double>(c, 1, x.data(), weight.data(), bias.data(), y.data(),
                                        mean.data(), invstd.data(), nullptr, nullptr, config),
        gradcert::InputError);
}

TEST_CASE("fused ReLU of batch norm and of the residual add equals the separate layers",
          "[sgd][core][layers]") {
    const int c = 4;
    const long m = 30;
    const std::vector<double> x = random_vector(c * m, 61, -2.0, 2.0);
    const std::vector<double> weight = random_vector(c, 62, 0.5, 1.5), bias = random_vector(c, 63);
    const std::vector<double> dy = random_vector(c * m, 64);
    std::vector<double> y(c * m), y_fused(c * m), mean(c), invstd(c), relu_y(c * m);
    BatchNormConfig config;
    batchnorm_forward_train<double>(c, m, x.data(), weight.data(), bias.data(), y.data(),
                                    mean.data(), invstd.data(), nullptr, nullptr, config);
    config.relu = true;
    batchnorm_forward_train<double>(c, m, x.data(), weight.data(), bias.data(), y_fused.data(),
                                    mean.data(), invstd.data(), nullptr, nullptr, config);
    relu_forward(c * m, y.data(), relu_y.data());
    CHECK(y_fused == relu_y);
    std::vector<double> masked(c * m), dx(c * m), dx_fused(c * m), dw(c), dw_fused(c), db(c),
        db_fused(c);
    relu_backward(c * m, relu_y.data(), dy.data(), masked.data(), false);
    batchnorm_backward(c, m, x.data(), masked.data(), weight.data(), mean.data(), invstd.data(),
                       dw.data(), db.data(), dx.data(), false);
    batchnorm_backward(c, m, x.data(), dy.data(), weight.data(), mean.data(), invstd.data(),
                       dw_fused.data(), db_fused.data(), dx_fused.data(), false, y_fused.data());
    CHECK(dx_fused == dx);
    CHECK(dw_fused == dw);
    CHECK(db_fused == db);

    std::vector<double> sum(c * m), sum_relu(c * m), fused(c * m);
    add_forward(c * m, x.data(), dy.data(), sum.data());
    relu_forward(c * m, sum.data(), sum_relu.data());
    add_relu_forward(c * m, x.data(), dy.data(), fused.data());
    CHECK(fused == sum_relu);
    // Max pool with a fused ReLU equals ReLU then max pool, values and gradients.
    const PoolShape pool{2, 6, 5, 2, 2};
    const std::vector<double> px = random_vector(60, 66);
    std::vector<double> px_relu(60), pooled(2 * 3 * 2), pooled_fused(2 * 3 * 2);
    std::vector<std::int32_t> arg(12), arg_fused(12);
    relu_forward(60, px.data(), px_relu.data());
    max_pool_forward(pool, px_relu.data(), pooled.data(), arg.data());
    max_pool_forward(pool, px.data(), pooled_fused.data(), arg_fused.data(), true);
    CHECK(pooled_fused == pooled);
    const std::vector<double> pdy = random_vector(12, 67);
    std::vector<double> d_pool(60), d_relu(60), d_fused(60);
    max_pool_backward(pool, pdy.data(), arg.data(), d_pool.data(), false);
    relu_backward(60, px_relu.data(), d_pool.data(), d_relu.data(), false);
    max_pool_backward(pool, pdy.data(), arg_fused.data(), d_fused.data(), false,
                      pooled_fused.data());
    CHECK(d_fused == d_relu);

    const std::vector<double> g = random_vector(c * m, 65);
    std::vector<double> g_masked(c * m), da(c * m, 1.0), dbb(c * m, 2.0);
    relu_backward(c * m, fused.data(), g.data(), g_masked.data(), false);
    add_relu_backward(c * m, fused.data(), g.data(), da.data(), true, dbb.data(), false);
    for (long i = 0; i < c * m; ++i) {
        REQUIRE(da[i] == 1.0 + g_masked[i]);
        REQUIRE(dbb[i] == g_masked[i]);
    }
}

TEST_CASE("relu, add and the layout conversions", "[sgd][core][layers]") {
    const long count = 60;
    std::vector<double> x = random_vector(count, 21);
    for (double& v : x) v = v < 0 ? v - 0.01 : v + 0.01;  // keep clear of the kink at 0
    const std::vector<double> dy = random_vector(count, 22);
    std::vector<double> y(count), dx(count);
    relu_forward(count, x.data(), y.data());
    for (long i = 0; i < count; ++i) REQUIRE(y[i] == std::max(x[i], 0.0));
    relu_backward(count, y.data(), dy.data(), dx.data(), false);
    auto relu_objective = [&] {
        relu_forward(count, x.data(), y.data());
        return weighted_sum(dy, y);
    };
    CHECK(relative_error(dx, finite_difference_gradient(relu_objective, x)) < fd_tolerance);

    std::vector<double> a = random_vector(count, 23), sum(count);
    add_forward(count, x.data(), a.data(), sum.data());
    for (long i = 0; i < count; ++i) REQUIRE(sum[i] == x[i] + a[i]);

    // planes_to_rows is a permutation whose inverse and adjoint is rows_to_planes.
    const int n = 3, c = 4;
    const long hw = 5;
    const std::vector<double> planes = random_vector(count, 24);
    std::vector<double> rows(count), back(count);
    planes_to_rows(n, c, hw, planes.data(), rows.data(), false);
    for (int b = 0; b < n; ++b)
        for (int ch = 0; ch < c; ++ch)
            for (long i = 0; i < hw; ++i)
                REQUIRE(rows[(b * c + ch) * hw + i] == planes[(ch * n + b) * hw + i]);
    rows_to_planes(n, c, hw, rows.data(), back.data(), false);
    CHECK(back == planes);
    rows_to_planes(n, c, hw, rows.data(), back.data(), true);
    for (long i = 0; i < count; ++i) REQUIRE(back[i] == 2.0 * planes[i]);
}

TEST_CASE("max pooling, average pooling and global average pooling", "[sgd][core][layers]") {
    const int kernel = GENERATE(2, 3);
    const PoolShape sh{6, 5, 7, kernel, 2};  // 6 planes of 5×7
    const std::size_t in_size = 6 * 5 * 7, out_size = 6 * std::size_t(sh.p()) * sh.q();
    // Distinct values 0.01 apart: no perturbation of 1e-6 changes a window's maximum.
    std::vector<double> x(in_size);
    std::iota(x.begin(), x.end(), 0.0);
    std::vector<double> order = random_vector(in_size, 31);
    std::vector<std::size_t> perm(in_size);
    std::iota(perm.begin(), perm.end(), 0);
    std::sort(perm.begin(), perm.end(),
              [&](std::size_t i, std::size_t j) { return order[i] < order[j]; });
    for (std::size_t i = 0; i < in_size; ++i) x[perm[i]] = 0.01 * double(i);
    const std::vector<double> dy = random_vector(out_size, 32);
    std::vector<double> y(out_size), dx(in_size);
    std::vector<std::int32_t> argmax(out_size);

    max_pool_forward(sh, x.data(), y.data(), argmax.data());
    for (long plane = 0; plane < sh.planes; ++plane)
        for (int i = 0; i < sh.p(); ++i)
            for (int j = 0; j < sh.q(); ++j) {
                double best = -1e300;
                for (int u = 0; u < kernel; ++u)
                    for (int v = 0; v < kernel; ++v)
                        best = std::max(best, x[(plane * 5 + i * 2 + u) * 7 + j * 2 + v]);
                REQUIRE(y[(plane * sh.p() + i) * sh.q() + j] == best);
            }
    max_pool_backward(sh, dy.data(), argmax.data(), dx.data(), false);
    auto max_objective = [&] {
        max_pool_forward(sh, x.data(), y.data(), argmax.data());
        return weighted_sum(dy, y);
    };
    CHECK(relative_error(dx, finite_difference_gradient(max_objective, x)) < fd_tolerance);

    avg_pool_forward(sh, x.data(), y.data());
    CHECK(y[0] == Approx((x[0] + x[1] + x[7] + x[8] +
                          (kernel == 3 ? x[2] + x[9] + x[14] + x[15] + x[16] : 0.0)) /
                         (kernel * kernel)));
    avg_pool_backward(sh, dy.data(), dx.data(), false);
    auto avg_objective = [&] {
        avg_pool_forward(sh, x.data(), y.data());
        return weighted_sum(dy, y);
    };
    CHECK(relative_error(dx, finite_difference_gradient(avg_objective, x)) < fd_tolerance);

    // Global average pooling: planes [c = 2, n = 3, 5×7] → rows [3, 2].
    std::vector<double> g(6), dg = random_vector(6, 33), dgx(in_size);
    global_avg_pool_forward(2, 3, 35, x.data(), g.data());
    double mean_c1_b2 = 0.0;
    for (int i = 0; i < 35; ++i) mean_c1_b2 += x[(1 * 3 + 2) * 35 + i] / 35.0;
    CHECK(g[2 * 2 + 1] == Approx(mean_c1_b2).epsilon(1e-14));
    global_avg_pool_backward(2, 3, 35, dg.data(), dgx.data(), false);
    auto gap_objective = [&] {
        global_avg_pool_forward(2, 3, 35, x.data(), g.data());
        return weighted_sum(dg, g);
    };
    CHECK(relative_error(dgx, finite_difference_gradient(gap_objective, x)) < fd_tolerance);
}

TEST_CASE("max pooling 2×2: vector and scalar paths keep the first maximum",
          "[sgd][core][layers]") {
    // Rows of 40 and 37 columns: 16-window vector blocks plus scalar tails; values on a coarse
    // grid, so windows have ties and the first maximum (row-major) must be chosen.
    for (int w : {40, 37}) {
        const PoolShape sh{3, 6, w, 2, 2};
        const std::size_t in_size = 3 * 6 * std::size_t(w), out_size = 3 * 3 * std::size_t(sh.q());
        std::vector<float> x(in_size);
        const std::vector<double> u = random_vector(in_size, 35);
        for (std::size_t i = 0; i < in_size; ++i) x[i] = float(std::floor(u[i] * 3.0));
        std::vector<float> y(out_size);
        std::vector<std::int32_t> argmax(out_size);
        max_pool_forward(sh, x.data(), y.data(), argmax.data());
        for (long plane = 0; plane < 3; ++plane)
            for (int i = 0; i < 3; ++i)
                for (int j = 0; j < sh.q(); ++j) {
                    int best = (2 * i) * w + 2 * j;
                    for (int v : {(2 * i) * w + 2 * j + 1, (2 * i + 1) * w + 2 * j,
                                  (2 * i + 1) * w + 2 * j + 1}) {
                        if (x[plane * 6 * w + v] > x[plane * 6 * w + best]) best = v;
                    }
                    const std::size_t o = (plane * 3 + i) * sh.q() + j;
                    REQUIRE(argmax[o] == best);
                    REQUIRE(y[o] == x[plane * 6 * w + best]);
                }
    }
}

TEST_CASE("linear layer", "[sgd][core][layers]") {
    const int n = 4, f = 7, o = 5;
    std::vector<double> x = random_vector(n * f, 41), w = random_vector(o * f, 42);
    std::vector<double> b = random_vector(o, 43);
    const std::vector<double> dy = random_vector(n * o, 44);
    std::vector<double> y(n * o), dx(n * f), dw(o * f), db(o);
    linear_forward(n, f, o, x.data(), w.data(), b.data(), y.data());
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < o; ++j) {
            double s = b[j];
            for (int k = 0; k < f; ++k) s += x[i * f + k] * w[j * f + k];
            REQUIRE(y[i * o + j] == Approx(s).epsilon(1e-14));
        }
    linear_backward(n, f, o, x.data(), w.data(), dy.data(), dw.data(), db.data(), dx.data(), false);
    auto objective = [&] {
        linear_forward(n, f, o, x.data(), w.data(), b.data(), y.data());
        return weighted_sum(dy, y);
    };
    CHECK(relative_error(dx, finite_difference_gradient(objective, x)) < fd_tolerance);
    CHECK(relative_error(dw, finite_difference_gradient(objective, w)) < fd_tolerance);
    CHECK(relative_error(db, finite_difference_gradient(objective, b)) < fd_tolerance);

    std::vector<float> xf = to_float(x), wf = to_float(w), bf = to_float(b), yf(n * o);
    linear_forward(n, f, o, xf.data(), wf.data(), bf.data(), yf.data());
    CHECK(relative_error(yf, y) < 1e-6);
}

TEST_CASE("softmax cross-entropy: value, gradient, accuracy and stability", "[sgd][core][layers]") {
    const int n = 5, classes = 4;
    std::vector<double> z = random_vector(n * classes, 51, -3.0, 3.0);
    const std::vector<std::int32_t> labels = {0, 3, 1, 1, 2};
    std::vector<double> dz(n * classes);
    int correct = -1;
    const double loss =
        softmax_cross_entropy(n, classes, z.data(), labels.data(), dz.data(), &correct);
    double expected = 0.0;
    int expected_correct = 0;
    for (int b = 0; b < n; ++b) {
        double total = 0.0;
        for (int j = 0; j < classes; ++j) total += std::exp(z[b * classes + j]);
        expected += (std::log(total) - z[b * classes + labels[b]]) / n;
        const auto row = z.begin() + b * classes;
        expected_correct += int(std::max_element(row, row + classes) - row) == labels[b];
    }
    CHECK(loss == Approx(expected).epsilon(1e-14));
    CHECK(correct == expected_correct);
    auto objective = [&] {
        return softmax_cross_entropy(n, classes, z.data(), labels.data(),
                                     static_cast<double*>(nullptr), nullptr);
    };
    CHECK(relative_error(dz, finite_difference_gradient(objective, z)) < fd_tolerance);

    // Huge logits neither overflow nor lose the answer: log(1 + e^-2000) − (−1000 − 1000) = 2000.
    std::vector<float> big = {1000.0f, -1000.0f};
    const std::int32_t wrong = 1;
    std::vector<float> dbig(2);
    CHECK(softmax_cross_entropy(1, 2, big.data(), &wrong, dbig.data(), nullptr) == Approx(2000.0));
    CHECK(dbig[0] == Approx(1.0f));
    CHECK(dbig[1] == Approx(-1.0f));

    const std::int32_t bad = 4;
    CHECK_THROWS_AS(softmax_cross_entropy(1, classes, z.data(), &bad, dz.data(), nullptr),
                    gradcert::InputError);
}
