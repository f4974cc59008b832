// The ordered-FMA GEMM's register tiles for x86-64-v3 (AVX2 + FMA): 6 rows × 16 columns, twelve
// ymm accumulators, two B vectors and one broadcast A value live per step (15 of the 16 ymm
// registers). Contract in gemm_tiles.hpp. Compiled with -march=x86-64-v3 -ffp-contract=off; the
// only fused operation is the explicit _mm256_fmadd_ps.
#include <immintrin.h>

#include "numerics/engine/kernels/gemm_tiles.hpp"

namespace gradcert::engine::kernels {

namespace {

constexpr int kMr = 6, kNr = 16, kLanes = 8;

template <int R, int V>
void tile(int kc, const float* a, const float* b, float* c, long ldc, bool load_c) {
    __m256 acc[R][V];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) {
            acc[r][v] = load_c ? _mm256_loadu_ps(c + r * ldc + v * kLanes) : _mm256_setzero_ps();
        }
    }
    for (int p = 0; p < kc; ++p) {
        __m256 bv[V];
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) bv[v] = _mm256_loadu_ps(b + p * kNr + v * kLanes);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            const __m256 ar = _mm256_broadcast_ss(a + p * kMr + r);
#pragma GCC unroll 4
            for (int v = 0; v < V; ++v) acc[r][v] = _mm256_fmadd_ps(ar, bv[v], acc[r][v]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) _mm256_storeu_ps(c + r * ldc + v * kLanes, acc[r][v]);
    }
}

template <int R>
void tile_rows(int vectors, int kc, const float* a, const float* b, float* c, long ldc,
               bool load_c) {
    if (vectors == 2) {
        tile<R, 2>(kc, a, b, c, ldc, load_c);
    } else {
        tile<R, 1>(kc, a, b, c, ldc, load_c);
    }
}

void run(int rows, int vectors, int kc, const float* a, const float* b, float* c, long ldc,
         bool load_c) {
    switch (rows) {
        case 6:
            tile_rows<6>(vectors, kc, a, b, c, ldc, load_c);
            break;
        case 5:
            tile_rows<5>(vectors, kc, a, b, c, ldc, load_c);
            break;
        case 4:
            tile_rows<4>(vectors, kc, a, b, c, ldc, load_c);
            break;
        case 3:
            tile_rows<3>(vectors, kc, a, b, c, ldc, load_c);
            break;
        case 2:
            tile_rows<2>(vectors, kc, a, b, c, ldc, load_c);
            break;
        default:
            tile_rows<1>(vectors, kc, a, b, c, ldc, load_c);
            break;
    }
}

// kc·nr·4 = 16 KiB of packed B per micro-panel (L1); mc·kc·4 = 96 KiB of packed A (L2).
constexpr GemmTiles kTiles{"x86-64-v3", kMr, kNr, kLanes, 256, 96, 768, &run};

}  // namespace

const GemmTiles& gemm_tiles_v3() {
    return kTiles;
}

}  // namespace gradcert::engine::kernels
