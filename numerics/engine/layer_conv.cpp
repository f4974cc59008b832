#include "numerics/engine/layer_conv.hpp"

#include <algorithm>
#include <vector>

#include "numerics/engine/chunk_sum.hpp"
#include "numerics/engine/kernels/conv_direct.hpp"
#include "numerics/engine/kernels/gemm.hpp"
#include "numerics/engine/kernels/scratch.hpp"
#include "numerics/engine/tensor.hpp"
#include "numerics/engine/threads.hpp"

namespace gradcert::engine {

namespace {

// Budget for one im2col chunk, in elements (4 MiB of float: an L2-to-L3-sized working set).
constexpr long chunk_budget = 1L << 20;

// Output columns q with 0 ≤ q·stride − pad + kernel_offset < width: the range [lo, hi).
struct ValidRange {
    int lo, hi;
};
ValidRange valid_outputs(int width, int outputs, int stride, int pad, int kernel_offset) {
    int shift = pad - kernel_offset;  // input column = q·stride − shift
    int lo = shift > 0 ? (shift + stride - 1) / stride : 0;
    int last = width - 1 + shift;  // q·stride ≤ last
    int hi = last < 0 ? 0 : std::min(outputs, last / stride + 1);
    return {std::min(lo, hi), hi};
}

// col[(ci·r + i)·s + j, (b·p + oy)·q + ox] = x[ci, first + b, oy·stride − pad + i, ox·stride − pad
// + j] (zero outside the image) for the images first .. first + count − 1. Serial.
template <class T>
void im2col(const Conv2dShape& sh, const T* x, int first, int count, T* col) {
    const int p = sh.p(), q = sh.q();
    const long plane = long(sh.h) * sh.w;
    const long row_length = long(count) * p * q;
    const int rows = int(sh.patch());
    for (int row = 0; row < rows; ++row) {
        const int ci = row / (sh.r * sh.s), i = (row / sh.s) % sh.r, j = row % sh.s;
        const ValidRange cols = valid_outputs(sh.w, q, sh.stride, sh.pad, j);
        const int offset = j - sh.pad;  // input column = ox·stride + offset
        for (int b = 0; b < count; ++b) {
            const T* src = x + (long(ci) * sh.n + first + b) * plane;
            T* dst = col + row * row_length + long(b) * p * q;
            for (int oy = 0; oy < p; ++oy) {
                T* out = dst + long(oy) * q;
                const int iy = oy * sh.stride - sh.pad + i;
                if (iy < 0 || iy >= sh.h) {
                    std::fill(out, out + q, T(0));
                    continue;
                }
                const T* in = src + long(iy) * sh.w;
                for (int ox = 0; ox < cols.lo; ++ox) out[ox] = T(0);
                for (int ox = cols.lo; ox < cols.hi; ++ox) out[ox] = in[ox * sh.stride + offset];
                for (int ox = cols.hi; ox < q; ++ox) out[ox] = T(0);
            }
        }
    }
}

// The adjoint of im2col: dx[ci, first + b, ...] (+)= the columns of dcol that read it. Serial.
template <class T>
void col2im(const Conv2dShape& sh, const T* dcol, int first, int count, T* dx, bool accumulate) {
    const int p = sh.p(), q = sh.q();
    const long plane = long(sh.h) * sh.w;
    const long row_length = long(count) * p * q;
    for (int ci = 0; ci < sh.c; ++ci) {
        for (int b = 0; b < count; ++b) {
            T* dst = dx + (long(ci) * sh.n + first + b) * plane;
            if (!accumulate) std::fill(dst, dst + plane, T(0));
            for (int i = 0; i < sh.r; ++i) {
                for (int j = 0; j < sh.s; ++j) {
                    const int row = (ci * sh.r + i) * sh.s + j;
                    const T* src = dcol + row * row_length + long(b) * p * q;
                    const ValidRange cols = valid_outputs(sh.w, q, sh.stride, sh.pad, j);
                    const int offset = j - sh.pad;
                    for (int oy = 0; oy < p; ++oy) {
                        const int iy = oy * sh.stride - sh.pad + i;
                        if (iy < 0 || iy >= sh.h) continue;
                        T* out = dst + long(iy) * sh.w;
                        const T* in = src + long(oy) * q;
                        for (int ox = cols.lo; ox < cols.hi; ++ox) {
                            out[ox * sh.stride + offset] += in[ox];
                        }
                    }
                }
            }
        }
    }
}

template <class T>
void add_bias(const Conv2dShape& sh, const T* bias, T* y) {
    const long total = long(sh.p()) * sh.q() * sh.n;
#pragma omp parallel for schedule(static) if (parallel_worth(long(sh.k) * total))
    for (int o = 0; o < sh.k; ++o) {
        T* row = y + o * total;
        const T b = bias[o];
#pragma omp simd
        for (long i = 0; i < total; ++i) row[i] += b;
    }
}

// The direct kernels run only when asked for (ConvAlgorithm::direct): their 64-byte register
// tiles were written for AVX-512's 32 registers, and on the engine's level x86-64-v3 (16 AVX2
// registers) they spill so badly that a measured resnet8 step ran at 2 GFLOP/s, 8x behind
// PyTorch (docs/engine.md, "Speed"); im2col + Eigen's GEMM is the default until they are
// re-tiled for AVX2.
bool direct_forward(const Conv2dShape& sh) {
    return sh.algorithm == ConvAlgorithm::direct && conv2d_direct_applies(sh);
}

bool direct_backward(const Conv2dShape& sh) {
    return sh.algorithm == ConvAlgorithm::direct && conv2d_direct_applies(sh);
}

}  // namespace

int conv2d_chunk_images(const Conv2dShape& sh) {
    if (sh.chunk_images > 0) return std::min(sh.chunk_images, sh.n);
    const long per_image = sh.patch() * sh.p() * sh.q();
    const long balanced = std::max(1, (sh.n + 7) / 8);
    return int(std::clamp<long>(chunk_budget / std::max<long>(per_image, 1), 1, balanced));
}

template <class T>
void conv2d_forward(const Conv2dShape& sh, const T* x, const T* weight, const T* bias, T* y) {
    if (direct_forward(sh)) {
        conv2d_direct_forward(sh, x, weight, bias, y);
        return;
    }
    const long pq = long(sh.p()) * sh.q(), hw = long(sh.h) * sh.w;
    const long total = pq * sh.n;
    const int chunk = conv2d_chunk_images(sh);
    const int chunks = (sh.n + chunk - 1) / chunk;
    const long work = long(sh.k) * sh.patch() * total;
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 16))
    for (int index = 0; index < chunks; ++index) {
        const int first = index * chunk;
        const int count = std::min(chunk, sh.n - first);
        const T* col = x + first * hw;
        long ld_col = sh.n * hw;
        if (!sh.is_pointwise()) {
            T* buffer =
                thread_scratch<T>().conv_input.reserve(std::size_t(sh.patch()) * count * pq);
            im2col(sh, x, first, count, buffer);
            col = buffer;
            ld_col = count * pq;
        }
        gemm<T>(false, false, sh.k, int(count * pq), int(sh.patch()), weight, sh.patch(), col,
                ld_col, T(0), y + first * pq, total);
    }
    if (bias != nullptr) add_bias(sh, bias, y);
}

template <class T>
void conv2d_backward(const Conv2dShape& sh, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx, bool accumulate_dx) {
    const long pq = long(sh.p()) * sh.q(), hw = long(sh.h) * sh.w;
    const long total = pq * sh.n;
    if (direct_backward(sh)) {
        conv2d_direct_backward(sh, x, weight, dy, dweight, dx, accumulate_dx);
    } else {
        const int chunk = conv2d_chunk_images(sh);
        const int chunks = (sh.n + chunk - 1) / chunk;
        const long weights = long(sh.k) * sh.patch();
        T* partial = thread_scratch<T>().chunk_partials.reserve(std::size_t(chunks) * weights);
        const long work = weights * total;
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 16))
        for (int index = 0; index < chunks; ++index) {
            const int first = index * chunk;
            const int count = std::min(chunk, sh.n - first);
            const T* dy_chunk = dy + first * pq;
            T* dw = partial + index * weights;
            if (sh.is_pointwise()) {
                gemm<T>(false, true, sh.k, int(sh.patch()), int(count * pq), dy_chunk, total,
                        x + first * hw, sh.n * hw, T(0), dw, sh.patch());
                if (dx != nullptr) {
                    gemm<T>(true, false, sh.c, int(count * pq), sh.k, weight, sh.patch(), dy_chunk,
                            total, T(accumulate_dx ? 1 : 0), dx + first * hw, sh.n * hw);
                }
                continue;
            }
            const long ld_col = count * pq;
            T* col = thread_scratch<T>().conv_input.reserve(std::size_t(sh.patch()) * ld_col);
            im2col(sh, x, first, count, col);
            gemm<T>(false, true, sh.k, int(sh.patch()), int(ld_col), dy_chunk, total, col, ld_col,
                    T(0), dw, sh.patch());
            if (dx != nullptr) {
                gemm<T>(true, false, int(sh.patch()), int(ld_col), sh.k, weight, sh.patch(),
                        dy_chunk, total, T(0), col, ld_col);
                col2im(sh, col, first, count, dx, accumulate_dx);
            }
        }
        sum_chunk_partials(partial, chunks, weights, dweight);
    }
    if (dbias != nullptr) {
#pragma omp parallel for schedule(static) if (parallel_worth(long(sh.k) * total))
        for (int o = 0; o < sh.k; ++o) {
            const T* row = dy + o * total;
            double sum = 0.0;
#pragma omp simd reduction(+ : sum)
            for (long i = 0; i < total; ++i) sum += double(row[i]);
            dbias[o] = T(sum);
        }
    }
}

template void conv2d_forward<float>(const Conv2dShape&, const float*, const float*, const float*,
                                    float*);
template void conv2d_forward<double>(const Conv2dShape&, const double*, const double*,
                                     const double*, double*);
template void conv2d_backward<float>(const Conv2dShape&, const float*, const float*, const float*,
                                     float*, float*, float*, bool);
template void conv2d_backward<double>(const Conv2dShape&, const double*, const double*,
                                      const double*, double*, double*, double*, bool);

}  // namespace gradcert::engine
