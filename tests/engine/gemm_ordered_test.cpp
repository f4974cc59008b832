// The ordered-FMA GEMM (numerics/engine/kernels/gemm_ordered.hpp): the x86-64-v3 tiles, the
// x86-64-v4 tiles and the scalar std::fma reference give the same bits, for every transposition,
// beta ∈ {0, 1}, shapes that are and are not multiples of the tiles and cache blocks, k = 0, and 1
// or 2 threads; the reference is the product (error within the bound of a k-term sum), fuses each
// multiply-add and sums k in order. On a CPU without AVX-512 the v4 comparisons are skipped with a
// warning (the v3 ones still run).
#include "numerics/engine/kernels/gemm_ordered.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "numerics/engine/threads.hpp"

using namespace gradcert::engine;

namespace {

struct Case {
    bool ta, tb;
    int m, n, k;
    float beta;
};

// Operands with leading dimensions larger than their rows (strided views), values of several
// binades so that rounding differences would show.
struct Operands {
    long lda, ldb, ldc;
    std::vector<float> a, b, c0;
};

Operands make_operands(const Case& cs, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
    std::uniform_int_distribution<int> binade(-6, 6);
    auto value = [&] { return std::ldexp(unit(gen), binade(gen)); };
    Operands o;
    const int a_rows = cs.ta ? cs.k : cs.m, a_cols = cs.ta ? cs.m : cs.k;
    const int b_rows = cs.tb ? cs.n : cs.k, b_cols = cs.tb ? cs.k : cs.n;
    o.lda = a_cols + 3;
    o.ldb = b_cols + 5;
    o.ldc = cs.n + 7;
    o.a.resize(std::size_t(std::max(a_rows, 1)) * o.lda);
    o.b.resize(std::size_t(std::max(b_rows, 1)) * o.ldb);
    o.c0.resize(std::size_t(std::max(cs.m, 1)) * o.ldc);
    for (float& x : o.a) x = value();
    for (float& x : o.b) x = value();
    for (float& x : o.c0) x = value();
    return o;
}

// C after the product by `path` with `threads` threads (gemm_ordered_parallel, or the serial
// gemm_ordered when threads == 0).
std::vector<float> product(GemmPath path, int threads, const Case& cs, const Operands& o) {
    std::vector<float> c = o.c0;
    if (threads == 0) {
        gemm_ordered(path, cs.ta, cs.tb, cs.m, cs.n, cs.k, o.a.data(), o.lda, o.b.data(), o.ldb,
                     cs.beta, c.data(), o.ldc);
        return c;
    }
    const int before = gradcert::engine::threads();
    set_threads(threads);
    gemm_ordered_parallel(path, cs.ta, cs.tb, cs.m, cs.n, cs.k, o.a.data(), o.lda, o.b.data(),
                          o.ldb, cs.beta, c.data(), o.ldc);
    set_threads(before);
    return c;
}

bool same_bits(const std::vector<float>& x, const std::vector<float>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

std::string describe(const Case& cs) {
    return std::string(cs.ta ? "Aᵀ" : "A") + (cs.tb ? "·Bᵀ" : "·B") + " m=" + std::to_string(cs.m) +
           " n=" + std::to_string(cs.n) + " k=" + std::to_string(cs.k) +
           " beta=" + std::to_string(int(cs.beta));
}

// The shapes: tile edges of both levels (6 × 16, 8 × 48), their cache blocks (k past 128 and
// 256, n past 768, m past 96 and 128), the zoo's layer shapes in small, k = 0 and 1.
std::vector<Case> cases() {
    const int dims[][3] = {{1, 1, 1},     {1, 1, 0},     {5, 7, 0},      {6, 16, 1},
                           {8, 48, 3},    {7, 17, 9},    {13, 47, 129},  {9, 49, 257},
                           {97, 33, 40},  {130, 50, 20}, {3, 800, 5},    {16, 144, 300},
                           {32, 100, 64}, {2, 10, 512},  {200, 96, 130}, {24, 31, 1}};
    std::vector<Case> out;
    for (const auto& d : dims) {
        for (int t = 0; t < 4; ++t) {
            for (float beta : {0.0f, 1.0f})
                out.push_back({t / 2 == 1, t % 2 == 1, d[0], d[1], d[2], beta});
        }
    }
    std::mt19937 gen(11);
    std::uniform_int_distribution<int> dim(1, 300), flag(0, 1);
    for (int r = 0; r < 24; ++r) {
        out.push_back(
            {flag(gen) == 1, flag(gen) == 1, dim(gen), dim(gen), dim(gen) / 2, float(flag(gen))});
    }
    return out;
}

}  // namespace

TEST_CASE("Ordered GEMM: v3 tiles, v4 tiles and the scalar reference give the same bits",
          "[sgd][gemm]") {
    const bool has_v4 = gemm_path_available(GemmPath::v4);
    if (!has_v4) WARN("this CPU lacks AVX-512F/BW/DQ/VL: the x86-64-v4 comparisons are skipped");
    unsigned seed = 1;
    for (const Case& cs : cases()) {
        INFO(describe(cs));
        const Operands o = make_operands(cs, seed++);
        const std::vector<float> ref = product(GemmPath::reference, 0, cs, o);
        CHECK(same_bits(product(GemmPath::v3, 0, cs, o), ref));
        CHECK(same_bits(product(GemmPath::v3, 1, cs, o), ref));
        CHECK(same_bits(product(GemmPath::v3, 2, cs, o), ref));
        if (has_v4) {
            CHECK(same_bits(product(GemmPath::v4, 0, cs, o), ref));
            CHECK(same_bits(product(GemmPath::v4, 1, cs, o), ref));
            CHECK(same_bits(product(GemmPath::v4, 2, cs, o), ref));
        }
    }
}

TEST_CASE("Ordered GEMM: large blocked products split over 2 threads keep the reference's bits",
          "[sgd][gemm]") {
    // The zoo's mlp forward X·Wᵀ at b = 32 (3072 → 512) and a conv weight gradient dY·colᵀ: large
    // enough that gemm_ordered_parallel really splits (parallel_worth) and blocks in k and n.
    const Case shapes[] = {{false, true, 32, 512, 3072, 0.0f},
                           {false, true, 64, 576, 1024, 0.0f},
                           {true, false, 288, 1024, 32, 1.0f}};
    for (const Case& cs : shapes) {
        INFO(describe(cs));
        const Operands o = make_operands(cs, 99);
        const std::vector<float> ref = product(GemmPath::reference, 0, cs, o);
        CHECK(same_bits(product(GemmPath::v3, 2, cs, o), ref));
        if (gemm_path_available(GemmPath::v4)) {
            CHECK(same_bits(product(GemmPath::v4, 2, cs, o), ref));
        } else {
            WARN("this CPU lacks AVX-512: x86-64-v4 skipped for " << describe(cs));
        }
    }
}

TEST_CASE("Ordered GEMM: the reference is the product, fused and summed over k in order",
          "[sgd][gemm]") {
    SECTION("within the rounding bound of a k-term sum, against double") {
        const Case cs{false, true, 9, 21, 300, 1.0f};
        const Operands o = make_operands(cs, 5);
        const std::vector<float> c = product(GemmPath::reference, 0, cs, o);
        const double u = std::ldexp(1.0, -24);
        for (int i = 0; i < cs.m; ++i) {
            for (int j = 0; j < cs.n; ++j) {
                double exact = o.c0[i * o.ldc + j], magnitude = std::fabs(exact);
                for (int p = 0; p < cs.k; ++p) {
                    const double t = double(o.a[i * o.lda + p]) * double(o.b[j * o.ldb + p]);
                    exact += t;
                    magnitude += std::fabs(t);
                }
                // |fl − exact| ≤ γ_k · Σ|terms| with γ_k = k·u / (1 − k·u) (one rounding per step).
                const double bound = cs.k * u / (1.0 - cs.k * u) * magnitude;
                CHECK(std::fabs(double(c[i * o.ldc + j]) - exact) <= bound);
            }
        }
    }
    SECTION("each step is one rounding and k runs in order, on every path") {
        // k = 1: a·b + c with a·b = 1 + 2⁻¹¹ + 2⁻²⁴ and c = −(1 + 2⁻¹¹): fused 2⁻²⁴, unfused 0.
        const float e = std::ldexp(1.0f, -12);
        const float a1[] = {1.0f + e}, b1[] = {1.0f + e};
        // k = 6: 2²⁵, 1, 1, 1, 1, −2²⁵ in order is 0 (each 1 is a quarter of 2²⁵'s ulp and is
        // absorbed); the exact sum, and any order adding two of the ones first (pairs, lanes), is
        // not.
        const float big = std::ldexp(1.0f, 25);
        const float a6[] = {big, 1.0f, 1.0f, 1.0f, 1.0f, -big}, b6[] = {1, 1, 1, 1, 1, 1};
        std::vector<GemmPath> paths = {GemmPath::reference, GemmPath::v3};
        if (gemm_path_available(GemmPath::v4)) paths.push_back(GemmPath::v4);
        for (GemmPath path : paths) {
            INFO(gemm_path_name(path));
            float c1 = -(1.0f + 2 * e);
            gemm_ordered(path, false, false, 1, 1, 1, a1, 1, b1, 1, 1.0f, &c1, 1);
            CHECK(c1 == std::ldexp(1.0f, -24));
            float c6 = std::numeric_limits<float>::quiet_NaN();
            gemm_ordered(path, false, false, 1, 1, 6, a6, 6, b6, 1, 0.0f, &c6, 1);
            CHECK(c6 == 0.0f);
        }
    }
}

TEST_CASE("Ordered GEMM: k = 0 writes zeros (beta 0) or leaves C (beta 1); path selection",
          "[sgd][gemm]") {
    std::vector<float> c(12, std::numeric_limits<float>::quiet_NaN());
    gemm_ordered(GemmPath::v3, false, false, 3, 4, 0, nullptr, 1, nullptr, 4, 0.0f, c.data(), 4);
    for (float x : c) CHECK(x == 0.0f);
    std::vector<float> d(12, 2.5f);
    gemm_ordered(gemm_path(), true, true, 3, 4, 0, nullptr, 3, nullptr, 1, 1.0f, d.data(), 4);
    for (float x : d) CHECK(x == 2.5f);
    CHECK_THROWS_AS(gemm_ordered(GemmPath::v3, false, false, 1, 1, 1, d.data(), 1, d.data(), 1,
                                 0.5f, c.data(), 1),
                    std::invalid_argument);

    if (std::getenv("GRADCERT_GEMM_PATH") == nullptr) {
        INFO("engine GEMM path: " << gemm_path_name(gemm_path()));
        CHECK(gemm_path() == (gemm_path_available(GemmPath::v4) ? GemmPath::v4 : GemmPath::v3));
    }
    const GemmPath before = set_gemm_path(GemmPath::v3);
    CHECK(gemm_path() == GemmPath::v3);
    set_gemm_path(before);
}
