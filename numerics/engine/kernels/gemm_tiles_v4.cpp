// The ordered-FMA GEMM's register tiles for x86-64-v4 (AVX-512): 8 rows × 48 columns, 24 zmm
// accumulators, three B vectors and one broadcast A value live per step (28 of the 32 zmm
// registers). Contract in gemm_tiles.hpp: the same scalar chain per element as the x86-64-v3 tiles,
// so the same bits. Compiled with -march=x86-64-v4 -ffp-contract=off; the only fused operation is
// the explicit _mm512_fmadd_ps. Everything here except gemm_tiles_v4() has internal linkage and
// nothing but <immintrin.h> is included (gemm_tiles.hpp says why).
#include <immintrin.h>

#include "numerics/engine/kernels/gemm_tiles.hpp"

namespace gradcert::engine::kernels {

namespace {

constexpr int kMr = 8, kNr = 48, kLanes = 16;

template <int R, int V>
void tile(int kc, const float* a, const float* b, float* c, long ldc, bool load_c) {
    __m512 acc[R][V];
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) {
            acc[r][v] = load_c ? _mm512_loadu_ps(c + r * ldc + v * kLanes) : _mm512_setzero_ps();
        }
    }
    for (int p = 0; p < kc; ++p) {
        __m512 bv[V];
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) bv[v] = _mm512_loadu_ps(b + p * kNr + v * kLanes);
#pragma GCC unroll 8
        for (int r = 0; r < R; ++r) {
            const __m512 ar = _mm512_set1_ps(a[p * kMr + r]);
#pragma GCC unroll 4
            for (int v = 0; v < V; ++v) acc[r][v] = _mm512_fmadd_ps(ar, bv[v], acc[r][v]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) _mm512_storeu_ps(c + r * ldc + v * kLanes, acc[r][v]);
    }
}

template <int R>
void tile_rows(int vectors, int kc, const float* a, const float* b, float* c, long ldc,
               bool load_c) {
    if (vectors == 3) {
        tile<R, 3>(kc, a, b, c, ldc, load_c);
    } else if (vectors == 2) {
        tile<R, 2>(kc, a, b, c, ldc, load_c);
    } else {
        tile<R, 1>(kc, a, b, c, ldc, load_c);
    }
}

void run(int rows, int vectors, int kc, const float* a, const float* b, float* c, long ldc,
         bool load_c) {
    switch (rows) {
        case 8:
            tile_rows<8>(vectors, kc, a, b, c, ldc, load_c);
            break;
        case 7:
            tile_rows<7>(vectors, kc, a, b, c, ldc, load_c);
            break;
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

// kc·nr·4 = 24 KiB of packed B per micro-panel (L1); mc·kc·4 = 64 KiB of packed A (L2).
constexpr GemmTiles kTiles{"x86-64-v4", kMr, kNr, kLanes, 128, 128, 768, &run};

}  // namespace

const GemmTiles& gemm_tiles_v4() {
    return kTiles;
}

}  // namespace gradcert::engine::kernels
