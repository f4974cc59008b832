#pragma once
// The register tiles of the ordered-FMA GEMM (gemm_ordered.hpp), one set per instruction-set
// level, each compiled in its own translation unit for its own -march: gemm_tiles_v3.cpp
// (x86-64-v3, AVX2 + FMA, 16 ymm registers) and gemm_tiles_v4.cpp (x86-64-v4, AVX-512, 32 zmm
// registers). Nothing else is shared with those units: they include only <immintrin.h> and this
// header and define everything else with internal linkage, so that no inline function compiled
// for AVX-512 can be picked by the linker for code that runs on a CPU without it.
//
// Contract of a tile call run(rows, vectors, kc, a, b, c, ldc, load_c), rows ≤ mr, vectors ≤
// nr / lanes: for r < rows and j < vectors·lanes,
//     acc = load_c ? c[r·ldc + j] : +0;  for p = 0 .. kc−1 in order: acc = fma(a[p·mr + r],
//     b[p·nr + j], acc);  c[r·ldc + j] = acc
// with one rounding per step (vfmadd), lanes vectorised over j only, never over p. Every tile of
// every level therefore returns the bits of that scalar chain: they differ in speed only.
namespace gradcert::engine::kernels {

using GemmTileFn = void (*)(int rows, int vectors, int kc, const float* a, const float* b, float* c,
                            long ldc, bool load_c);

struct GemmTiles {
    const char* name;  // "x86-64-v3" or "x86-64-v4"
    int mr;            // rows of a full tile (the packed A panel's width)
    int nr;            // columns of a full tile (the packed B panel's width), a multiple of lanes
    int lanes;         // floats per vector
    int kc, mc, nc;    // cache blocking: depth, rows and columns per packed block
    GemmTileFn run;
};

// The tile sets. gemm_tiles_v4() is compiled for x86-64-v4 and may be called only on a CPU with
// AVX-512F, BW, DQ and VL (gemm_ordered.cpp checks before its first call).
const GemmTiles& gemm_tiles_v3();
const GemmTiles& gemm_tiles_v4();

}  // namespace gradcert::engine::kernels
