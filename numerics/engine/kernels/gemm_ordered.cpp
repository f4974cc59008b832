#include "numerics/engine/kernels/gemm_ordered.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "numerics/engine/kernels/gemm_tiles.hpp"
#include "numerics/engine/kernels/scratch.hpp"
#include "numerics/engine/threads.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

using kernels::GemmTiles;

bool cpu_has_v4() {
    __builtin_cpu_init();
    return __builtin_cpu_supports("x86-64-v4") != 0;
}

GemmPath parse_path(const std::string& text) {
    if (text == "reference") return GemmPath::reference;
    if (text == "v3" || text == "x86-64-v3") return GemmPath::v3;
    if (text == "v4" || text == "x86-64-v4") return GemmPath::v4;
    throw InputError("GRADCERT_GEMM_PATH: unknown GEMM path '" + text +
                     "' (expected reference, v3 or v4)");
}

void require_available(GemmPath path) {
    if (!gemm_path_available(path)) {
        throw InputError(std::string("the GEMM path ") + gemm_path_name(path) +
                         " needs AVX-512F/BW/DQ/VL, which this CPU lacks");
    }
}

GemmPath initial_path() {
    const char* env = std::getenv("GRADCERT_GEMM_PATH");
    if (env == nullptr || *env == '\0') {
        return gemm_path_available(GemmPath::v4) ? GemmPath::v4 : GemmPath::v3;
    }
    const GemmPath path = parse_path(env);
    require_available(path);
    return path;
}

std::atomic<GemmPath>& current_path() {
    static std::atomic<GemmPath> path{initial_path()};
    return path;
}

const GemmTiles& tiles(GemmPath path) {
    return path == GemmPath::v4 ? kernels::gemm_tiles_v4() : kernels::gemm_tiles_v3();
}

// op(A)[i][p] and op(B)[p][j].
inline float a_at(const float* a, long lda, bool trans, long i, long p) {
    return trans ? a[p * lda + i] : a[i * lda + p];
}
inline float b_at(const float* b, long ldb, bool trans, long p, long j) {
    return trans ? b[j * ldb + p] : b[p * ldb + j];
}

void check_beta(float beta) {
    if (beta != 0.0f && beta != 1.0f) throw std::invalid_argument("gemm: beta must be 0 or 1");
}

void zero_or_keep(int m, int n, float beta, float* c, long ldc) {
    if (beta != 0.0f) return;
    for (int i = 0; i < m; ++i) std::fill(c + long(i) * ldc, c + long(i) * ldc + n, 0.0f);
}

void gemm_reference(bool ta, bool tb, int m, int n, int k, const float* a, long lda, const float* b,
                    long ldb, float beta, float* c, long ldc) {
    for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
            float acc = beta != 0.0f ? c[long(i) * ldc + j] : 0.0f;
            for (int p = 0; p < k; ++p)
                acc = std::fma(a_at(a, lda, ta, i, p), b_at(b, ldb, tb, p, j), acc);
            c[long(i) * ldc + j] = acc;
        }
    }
}

// Rows i0 .. i0 + rows − 1, depths k0 .. k0 + kc − 1 of op(A) into panels of mr rows:
// out[(i / mr)·mr·kc + p·mr + i % mr]. A last, shorter panel is left short (its tile has fewer
// rows).
void pack_a(const float* a, long lda, bool ta, int i0, int rows, int k0, int kc, int mr,
            float* out) {
    for (int ip = 0; ip < rows; ip += mr) {
        const int h = std::min(mr, rows - ip);
        float* dst = out + long(ip) * kc;
        if (!ta) {
            for (int r = 0; r < h; ++r) {
                const float* src = a + long(i0 + ip + r) * lda + k0;
                for (int p = 0; p < kc; ++p) dst[long(p) * mr + r] = src[p];
            }
        } else {
            for (int p = 0; p < kc; ++p) {
                const float* src = a + long(k0 + p) * lda + i0 + ip;
                for (int r = 0; r < h; ++r) dst[long(p) * mr + r] = src[r];
            }
        }
    }
}

// Columns j0 .. j0 + cols − 1, depths k0 .. k0 + kc − 1 of op(B) into panels of nr columns:
// out[(j / nr)·nr·kc + p·nr + j % nr], zero-padded to nr columns (padding columns are computed
// and dropped; they never meet a real column, whose chain is its own).
void pack_b(const float* b, long ldb, bool tb, int j0, int cols, int k0, int kc, int nr,
            float* out) {
    for (int jp = 0; jp < cols; jp += nr) {
        const int w = std::min(nr, cols - jp);
        float* dst = out + long(jp) * kc;
        if (!tb) {
            for (int p = 0; p < kc; ++p) {
                const float* src = b + long(k0 + p) * ldb + j0 + jp;
                float* row = dst + long(p) * nr;
                std::copy(src, src + w, row);
                std::fill(row + w, row + nr, 0.0f);
            }
        } else {
            for (int j = 0; j < w; ++j) {
                const float* src = b + long(j0 + jp + j) * ldb + k0;
                for (int p = 0; p < kc; ++p) dst[long(p) * nr + j] = src[p];
            }
            for (int p = 0; p < kc; ++p)
                std::fill(dst + long(p) * nr + w, dst + long(p) * nr + nr, 0.0f);
        }
    }
}

// One tile whose columns end inside a vector: computed in a local buffer, the valid part copied.
void edge_tile(const GemmTiles& t, int h, int w, int kc, const float* ap, const float* bp, float* c,
               long ldc, bool load_c) {
    constexpr int kMaxTile = 8 * 48;
    alignas(64) float tmp[kMaxTile] = {};
    const int vectors = (w + t.lanes - 1) / t.lanes, stride = vectors * t.lanes;
    if (h * stride > kMaxTile) throw std::logic_error("gemm_ordered: tile larger than its buffer");
    if (load_c) {
        for (int r = 0; r < h; ++r) std::copy(c + r * ldc, c + r * ldc + w, tmp + r * stride);
    }
    t.run(h, vectors, kc, ap, bp, tmp, stride, load_c);
    for (int r = 0; r < h; ++r) std::copy(tmp + r * stride, tmp + r * stride + w, c + r * ldc);
}

// The blocked product on the calling thread: column blocks of nc, depth blocks of kc (each
// continuing every element's chain from C), row blocks of mc, then nr × mr register tiles.
void gemm_blocked(const GemmTiles& t, bool ta, bool tb, int m, int n, int k, const float* a,
                  long lda, const float* b, long ldb, float beta, float* c, long ldc) {
    Scratch<float>& scratch = thread_scratch<float>();
    // Whole panels: a short last panel still spans mr rows (nr columns) of stride.
    const int nc_max = std::min(n, t.nc), mc_max = std::min(m, t.mc);
    const std::size_t b_cols = std::size_t((nc_max + t.nr - 1) / t.nr) * t.nr;
    const std::size_t a_rows = std::size_t((mc_max + t.mr - 1) / t.mr) * t.mr;
    float* pb = scratch.gemm_pack_b.reserve(std::size_t(t.kc) * b_cols);
    float* pa = scratch.gemm_pack_a.reserve(std::size_t(t.kc) * a_rows);
    for (int jc = 0; jc < n; jc += t.nc) {
        const int nb = std::min(t.nc, n - jc);
        for (int pc = 0; pc < k; pc += t.kc) {
            const int kb = std::min(t.kc, k - pc);
            const bool load_c = pc > 0 || beta != 0.0f;
            pack_b(b, ldb, tb, jc, nb, pc, kb, t.nr, pb);
            for (int ic = 0; ic < m; ic += t.mc) {
                const int mb = std::min(t.mc, m - ic);
                pack_a(a, lda, ta, ic, mb, pc, kb, t.mr, pa);
                for (int jr = 0; jr < nb; jr += t.nr) {
                    const int w = std::min(t.nr, nb - jr);
                    const float* bp = pb + long(jr) * kb;
                    for (int ir = 0; ir < mb; ir += t.mr) {
                        const int h = std::min(t.mr, mb - ir);
                        const float* ap = pa + long(ir) * kb;
                        float* cp = c + long(ic + ir) * ldc + jc + jr;
                        if (w % t.lanes == 0) {
                            t.run(h, w / t.lanes, kb, ap, bp, cp, ldc, load_c);
                        } else {
                            edge_tile(t, h, w, kb, ap, bp, cp, ldc, load_c);
                        }
                    }
                }
            }
        }
    }
}

// A grid of gm × gn output blocks (rows in whole tiles of mr, columns of nr) with about four blocks
// per thread, choosing the grid that repacks the least (A is packed once per block column, B once
// per block row).
struct Grid {
    int gm = 1, gn = 1;
};
Grid choose_grid(const GemmTiles& t, int m, int n, int nthreads) {
    const int row_tiles = (m + t.mr - 1) / t.mr, col_tiles = (n + t.nr - 1) / t.nr;
    const int target = 4 * nthreads;
    Grid best;
    double best_cost = -1.0;
    for (int gm = 1; gm <= std::min(target, row_tiles); ++gm) {
        const int gn = std::min(col_tiles, (target + gm - 1) / gm);
        if (gm * gn < std::min(target, row_tiles * col_tiles) / 2) continue;
        const double cost = double(m) * gn + double(n) * gm;
        if (best_cost < 0.0 || cost < best_cost) {
            best_cost = cost;
            best = {gm, gn};
        }
    }
    return best;
}

}  // namespace

const char* gemm_path_name(GemmPath path) {
    switch (path) {
        case GemmPath::reference:
            return "reference";
        case GemmPath::v3:
            return "x86-64-v3";
        case GemmPath::v4:
            return "x86-64-v4";
    }
    return "?";
}

bool gemm_path_available(GemmPath path) {
    static const bool v4 = cpu_has_v4();
    return path != GemmPath::v4 || v4;
}

GemmPath gemm_path() {
    return current_path().load(std::memory_order_relaxed);
}

GemmPath set_gemm_path(GemmPath path) {
    require_available(path);
    return current_path().exchange(path);
}

void gemm_ordered(GemmPath path, bool ta, bool tb, int m, int n, int k, const float* a, long lda,
                  const float* b, long ldb, float beta, float* c, long ldc) {
    check_beta(beta);
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        zero_or_keep(m, n, beta, c, ldc);
        return;
    }
    if (path == GemmPath::reference) {
        gemm_reference(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    require_available(path);
    gemm_blocked(tiles(path), ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
}

void gemm_ordered_parallel(GemmPath path, bool ta, bool tb, int m, int n, int k, const float* a,
                           long lda, const float* b, long ldb, float beta, float* c, long ldc) {
    check_beta(beta);
    const long work = long(m) * n * k;
    if (path == GemmPath::reference || m <= 0 || n <= 0 || k <= 0 || threads() < 2 ||
        !parallel_worth(work / 64)) {
        gemm_ordered(path, ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    require_available(path);
    const GemmTiles& t = tiles(path);
    const Grid g = choose_grid(t, m, n, threads());
    // Block boundaries in whole tiles, so that only the matrix's own edges make edge tiles.
    const int row_tiles = (m + t.mr - 1) / t.mr, col_tiles = (n + t.nr - 1) / t.nr;
#pragma omp parallel for schedule(dynamic, 1)
    for (int item = 0; item < g.gm * g.gn; ++item) {
        const int bi = item / g.gn, bj = item % g.gn;
        const int i0 = std::min(m, int(long(row_tiles) * bi / g.gm) * t.mr);
        const int i1 = std::min(m, int(long(row_tiles) * (bi + 1) / g.gm) * t.mr);
        const int j0 = std::min(n, int(long(col_tiles) * bj / g.gn) * t.nr);
        const int j1 = std::min(n, int(long(col_tiles) * (bj + 1) / g.gn) * t.nr);
        if (i1 <= i0 || j1 <= j0) continue;
        gemm_blocked(t, ta, tb, i1 - i0, j1 - j0, k, ta ? a + i0 : a + long(i0) * lda, lda,
                     tb ? b + long(j0) * ldb : b + j0, ldb, beta, c + long(i0) * ldc + j0, ldc);
    }
}

}  // namespace gradcert::engine
