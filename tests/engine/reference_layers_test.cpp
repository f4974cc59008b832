// Every fast layer against the plain reference layers of numerics/engine/reference/ (loops of the
// definition, sums in double): in double the two must agree to rounding (1e-12 relative to the
// largest reference value), in float to 1e-5 — on the shapes the zoo uses, covering the direct
// 3×3 kernels (stride 1 and 2), im2col + GEMM, 1×1 shortcuts, and the fused ReLUs.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "numerics/engine/layer_batchnorm.hpp"
#include "numerics/engine/layer_conv.hpp"
#include "numerics/engine/layer_elementwise.hpp"
#include "numerics/engine/layer_linear.hpp"
#include "numerics/engine/layer_pool.hpp"
#include "numerics/engine/reference/layers.hpp"

using namespace gradcert::engine;
namespace ref = gradcert::engine::reference;

namespace {

template <class T>
std::vector<T> random_vector(std::size_t count, std::uint32_t seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::vector<T> v(count);
    for (T& e : v) e = T(normal(gen));
    return v;
}

template <class T>
double tolerance() {
    return sizeof(T) == sizeof(double) ? 1e-12 : 1e-5;
}

// max |fast − reference| ≤ tol · max(1, max |reference|).
template <class T>
void check_close(const std::vector<T>& fast, const std::vector<T>& expected,
                 const std::string& what) {
    REQUIRE(fast.size() == expected.size());
    double scale = 1.0, worst = 0.0;
    for (std::size_t i = 0; i < fast.size(); ++i) {
        scale = std::max(scale, std::abs(double(expected[i])));
        worst = std::max(worst, std::abs(double(fast[i]) - double(expected[i])));
    }
    INFO(what << ": max difference " << worst << " at scale " << scale);
    CHECK(worst <= tolerance<T>() * scale);
}

template <class T>
void compare_conv(Conv2dShape sh, const std::string& name) {
    const long xs = long(sh.c) * sh.n * sh.h * sh.w, ws = long(sh.k) * sh.patch();
    const long ys = long(sh.k) * sh.n * sh.p() * sh.q();
    const std::vector<T> x = random_vector<T>(xs, 1), w = random_vector<T>(ws, 2);
    const std::vector<T> bias = random_vector<T>(sh.k, 3), dy = random_vector<T>(ys, 4);
    std::vector<T> y(ys), y_ref(ys), dw(ws), dw_ref(ws), db(sh.k), db_ref(sh.k), dx(xs), dx_ref(xs);
    conv2d_forward(sh, x.data(), w.data(), bias.data(), y.data());
    ref::conv2d_forward(sh, x.data(), w.data(), bias.data(), y_ref.data());
    check_close(y, y_ref, name + " forward");
    conv2d_backward(sh, x.data(), w.data(), dy.data(), dw.data(), db.data(), dx.data(), false);
    ref::conv2d_backward(sh, x.data(), w.data(), dy.data(), dw_ref.data(), db_ref.data(),
                         dx_ref.data());
    check_close(dw, dw_ref, name + " weight gradient");
    check_close(db, db_ref, name + " bias gradient");
    check_close(dx, dx_ref, name + " input gradient");
}

Conv2dShape conv_shape(int n, int c, int hw, int k, int r, int stride, int pad, ConvAlgorithm a) {
    Conv2dShape sh;
    sh.n = n, sh.c = c, sh.h = sh.w = hw, sh.k = k, sh.r = sh.s = r;
    sh.stride = stride, sh.pad = pad, sh.algorithm = a;
    return sh;
}

template <class T>
void compare_convolutions() {
    const ConvAlgorithm automatic = ConvAlgorithm::automatic;
    compare_conv<T>(conv_shape(4, 3, 32, 16, 3, 1, 1, automatic), "stem 3→16, 32×32 (direct)");
    compare_conv<T>(conv_shape(3, 16, 16, 32, 3, 2, 1, automatic), "16→32 stride 2 (direct)");
    compare_conv<T>(conv_shape(3, 16, 16, 32, 3, 1, 1, ConvAlgorithm::gemm), "3×3 im2col + GEMM");
    compare_conv<T>(conv_shape(2, 32, 4, 64, 3, 1, 1, automatic), "32→64 on 4×4 (GEMM)");
    compare_conv<T>(conv_shape(3, 16, 16, 32, 1, 2, 0, automatic), "1×1 stride-2 shortcut");
    compare_conv<T>(conv_shape(3, 8, 8, 8, 1, 1, 0, automatic), "1×1 pointwise");
    compare_conv<T>(conv_shape(2, 3, 12, 5, 5, 1, 2, automatic), "5×5 padding 2");
}

template <class T>
void compare_linear() {
    const int n = 7, f = 300, o = 37;
    const std::vector<T> x = random_vector<T>(n * f, 5), w = random_vector<T>(o * f, 6);
    const std::vector<T> bias = random_vector<T>(o, 7), dy = random_vector<T>(n * o, 8);
    std::vector<T> y(n * o), y_ref(n * o), dw(o * f), dw_ref(o * f), db(o), db_ref(o);
    std::vector<T> dx(n * f), dx_ref(n * f);
    linear_forward(n, f, o, x.data(), w.data(), bias.data(), y.data());
    ref::linear_forward(n, f, o, x.data(), w.data(), bias.data(), y_ref.data());
    check_close(y, y_ref, "linear forward");
    linear_backward(n, f, o, x.data(), w.data(), dy.data(), dw.data(), db.data(), dx.data(), false);
    ref::linear_backward(n, f, o, x.data(), w.data(), dy.data(), dw_ref.data(), db_ref.data(),
                         dx_ref.data());
    check_close(dw, dw_ref, "linear weight gradient");
    check_close(db, db_ref, "linear bias gradient");
    check_close(dx, dx_ref, "linear input gradient");
}

template <class T>
void compare_batchnorm(bool relu) {
    const int c = 5;
    const long m = 2 * 9 * 9;
    const std::string name = relu ? "batch norm + ReLU" : "batch norm";
    const std::vector<T> x = random_vector<T>(c * m, 9), dy = random_vector<T>(c * m, 10);
    std::vector<T> weight = random_vector<T>(c, 11), bias = random_vector<T>(c, 12);
    BatchNormConfig config;
    config.relu = relu;
    std::vector<T> y(c * m), y_ref(c * m), mean(c), mean_ref(c), inv(c), inv_ref(c);
    std::vector<T> rm(c, T(0.5)), rv(c, T(2)), rm_ref = rm, rv_ref = rv;
    batchnorm_forward_train(c, m, x.data(), weight.data(), bias.data(), y.data(), mean.data(),
                            inv.data(), rm.data(), rv.data(), config);
    ref::batchnorm_forward_train(c, m, x.data(), weight.data(), bias.data(), y_ref.data(),
                                 mean_ref.data(), inv_ref.data(), rm_ref.data(), rv_ref.data(),
                                 config);
    check_close(y, y_ref, name + " forward");
    check_close(mean, mean_ref, name + " batch mean");
    check_close(inv, inv_ref, name + " inverse std");
    check_close(rm, rm_ref, name + " running mean");
    check_close(rv, rv_ref, name + " running variance");
    std::vector<T> dw(c), dw_ref(c), db(c), db_ref(c), dx(c * m), dx_ref(c * m);
    batchnorm_backward(c, m, x.data(), dy.data(), weight.data(), mean.data(), inv.data(), dw.data(),
                       db.data(), dx.data(), false, relu ? y.data() : nullptr);
    ref::batchnorm_backward(c, m, x.data(), dy.data(), weight.data(), bias.data(), dw_ref.data(),
                            db_ref.data(), dx_ref.data(), config);
    check_close(dw, dw_ref, name + " weight gradient");
    check_close(db, db_ref, name + " bias gradient");
    check_close(dx, dx_ref, name + " input gradient");
    std::vector<T> e(c * m), e_ref(c * m);
    batchnorm_forward_eval(c, m, x.data(), weight.data(), bias.data(), rm.data(), rv.data(),
                           e.data(), config);
    ref::batchnorm_forward_eval(c, m, x.data(), weight.data(), bias.data(), rm.data(), rv.data(),
                                e_ref.data(), config);
    check_close(e, e_ref, name + " evaluation");
}

template <class T>
void compare_pools(bool relu) {
    const std::string tag = relu ? " + ReLU" : "";
    for (int size : {32, 7}) {
        PoolShape sh;
        sh.planes = 6;
        sh.h = sh.w = size;
        const long xs = sh.planes * size * size, ys = sh.planes * sh.p() * sh.q();
        const std::vector<T> x = random_vector<T>(xs, 13), dy = random_vector<T>(ys, 14);
        std::vector<T> y(ys), y_ref(ys), dx(xs), dx_ref(xs);
        std::vector<std::int32_t> argmax(ys);
        max_pool_forward(sh, x.data(), y.data(), argmax.data(), relu);
        ref::max_pool_forward(sh, x.data(), y_ref.data(), relu);
        check_close(y, y_ref, "max pool forward" + tag);
        max_pool_backward(sh, dy.data(), argmax.data(), dx.data(), false,
                          relu ? y.data() : nullptr);
        ref::max_pool_backward(sh, x.data(), dy.data(), dx_ref.data(), relu);
        check_close(dx, dx_ref, "max pool backward" + tag);
        if (relu) continue;
        avg_pool_forward(sh, x.data(), y.data());
        ref::avg_pool_forward(sh, x.data(), y_ref.data());
        check_close(y, y_ref, "average pool forward");
        avg_pool_backward(sh, dy.data(), dx.data(), false);
        ref::avg_pool_backward(sh, dy.data(), dx_ref.data());
        check_close(dx, dx_ref, "average pool backward");
    }
    const int c = 6, n = 3;
    const long hw = 8 * 8;
    const std::vector<T> x = random_vector<T>(c * n * hw, 15), dy = random_vector<T>(n * c, 16);
    std::vector<T> y(n * c), y_ref(n * c), dx(c * n * hw), dx_ref(c * n * hw);
    global_avg_pool_forward(c, n, hw, x.data(), y.data());
    ref::global_avg_pool_forward(c, n, hw, x.data(), y_ref.data());
    check_close(y, y_ref, "global average pool forward");
    global_avg_pool_backward(c, n, hw, dy.data(), dx.data(), false);
    ref::global_avg_pool_backward(c, n, hw, dy.data(), dx_ref.data());
    check_close(dx, dx_ref, "global average pool backward");
}

template <class T>
void compare_elementwise() {
    const long count = 1000;
    const std::vector<T> a = random_vector<T>(count, 17), b = random_vector<T>(count, 18);
    const std::vector<T> dy = random_vector<T>(count, 19);
    std::vector<T> y(count), y_ref(count), dx(count), dx_ref(count), sum(count);
    relu_forward(count, a.data(), y.data());
    ref::relu_forward(count, a.data(), y_ref.data());
    check_close(y, y_ref, "relu forward");
    relu_backward(count, y.data(), dy.data(), dx.data(), false);
    ref::relu_backward(count, y_ref.data(), dy.data(), dx_ref.data());
    check_close(dx, dx_ref, "relu backward");
    // The fused residual add + ReLU against add followed by the reference ReLU.
    for (long i = 0; i < count; ++i) sum[i] = a[i] + b[i];
    add_relu_forward(count, a.data(), b.data(), y.data());
    ref::relu_forward(count, sum.data(), y_ref.data());
    check_close(y, y_ref, "add + relu forward");
    std::vector<T> db(count);
    add_relu_backward(count, y.data(), dy.data(), dx.data(), false, db.data(), false);
    ref::relu_backward(count, y_ref.data(), dy.data(), dx_ref.data());
    check_close(dx, dx_ref, "add + relu backward (first input)");
    check_close(db, dx_ref, "add + relu backward (second input)");
}

}  // namespace

TEST_CASE("reference layers: every fast layer equals the plain reference",
          "[sgd][core][reference]") {
    SECTION("double") {
        compare_convolutions<double>();
        compare_linear<double>();
        compare_batchnorm<double>(false);
        compare_batchnorm<double>(true);
        compare_pools<double>(false);
        compare_pools<double>(true);
        compare_elementwise<double>();
    }
    SECTION("float") {
        compare_convolutions<float>();
        compare_linear<float>();
        compare_batchnorm<float>(false);
        compare_batchnorm<float>(true);
        compare_pools<float>(false);
        compare_pools<float>(true);
        compare_elementwise<float>();
    }
}
