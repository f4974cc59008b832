#include "numerics/engine/kernels/conv_direct.hpp"

#include <algorithm>

#include "numerics/engine/chunk_sum.hpp"
#include "numerics/engine/kernels/scratch.hpp"
#include "numerics/engine/kernels/simd.hpp"
#include "numerics/engine/threads.hpp"

namespace gradcert::engine {

namespace {

using kernels::fmadd;
using kernels::in_register;
using kernels::lane_sum;
using kernels::load;
using kernels::Simd;
using kernels::store;
using kernels::Vec;

constexpr int max_vectors = 3;   // vectors per forward tile
constexpr int taps_per_row = 3;  // kernel width

long round_up(long value, long multiple) {
    return (value + multiple - 1) / multiple * multiple;
}

// How one image of a 3×3, padding-1 convolution with stride s ∈ {1, 2} is laid out for the
// kernels. Each input channel becomes s² "phase planes" Φ_ab[u][v] = x[s·u + a − 1][s·v + b − 1]
// (zero outside the image) of hq rows of width wq, and tap (i, j) of output (y, x) reads
// Φ_{i mod s, j mod s}[y + i/s][x + j/s]. Outputs are computed in row-stride-wq coordinates
// o = y·wq + x; the wq − q columns x ≥ q are computed and dropped (stride 1: 2, stride 2: 1).
struct Geometry {
    int stride, h, w, p, q;
    int wq, hq;         // phase-plane width (the output row stride) and height
    int phases;         // stride²
    long plane;         // stride between phase planes, with zeroed slack for the tiles' over-reads
    long block;         // phases·plane: one input channel
    long outputs;       // p·wq
    long taps[9];       // tap (i, j) offset inside a channel block
    long margin;        // zeros before an output-gradient plane's data (a multiple of the lanes)
    long grad_plane;    // stride between output-gradient planes (see fill_gradient_plane)
    long grad_outputs;  // data-gradient outputs of one phase: rows (h or hq) × wq
};

template <class T>
Geometry geometry(const Conv2dShape& sh) {
    const int lanes = Simd<T>::lanes;
    Geometry g{};
    g.stride = sh.stride;
    g.h = sh.h;
    g.w = sh.w;
    g.p = sh.p();
    g.q = sh.q();
    g.wq = g.q + 2 / g.stride;
    g.hq = g.p + 2 / g.stride;
    g.phases = g.stride * g.stride;
    g.outputs = long(g.p) * g.wq;
    g.grad_outputs = long(g.stride == 1 ? g.h : g.hq) * g.wq;
    const long reach = 2 / g.stride * (long(g.wq) + 1);  // largest in-plane tap offset
    g.plane = round_up(std::max(long(g.hq) * g.wq, g.outputs + reach) + max_vectors * lanes, lanes);
    g.block = g.phases * g.plane;
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) {
            const int phase = (i % g.stride) * g.stride + (j % g.stride);
            g.taps[i * 3 + j] = phase * g.plane + long(i / g.stride) * g.wq + j / g.stride;
        }
    }
    g.margin = round_up(g.wq + 1, lanes);
    g.grad_plane = round_up(g.margin + g.grad_outputs + g.wq + 1 + max_vectors * lanes, lanes);
    return g;
}

// The range [lo, hi) of v with 0 ≤ s·(v + e) + b − 1 < size (a phase-plane row or column index v
// that lands inside the image), clipped to [0, count).
struct Span {
    int lo, hi;
};
inline Span inside(int stride, int e, int b, int size, int count) {
    const int first = std::max(0, e * stride + b - 1);  // s·(v + e) + b − 1 at v = 0
    const int lo = first == e * stride + b - 1 ? 0 : (1 - b - e * stride + stride - 1) / stride;
    const int hi = std::min(count, (size - b + 1 + stride - 1) / stride - e);
    return {std::min(lo, std::max(hi, 0)), std::max(hi, 0)};
}

// dst (one channel block) = the phase planes of src (an h × w plane), zero outside the image and
// in the slack.
template <class T>
void fill_phases(const Geometry& g, const T* src, T* dst) {
    for (int a = 0; a < g.stride; ++a) {
        for (int b = 0; b < g.stride; ++b) {
            T* phase = dst + (a * g.stride + b) * g.plane;
            const Span cols = inside(g.stride, 0, b, g.w, g.wq);
            for (int u = 0; u < g.hq; ++u) {
                T* row = phase + long(u) * g.wq;
                const int y = g.stride * u + a - 1;
                if (y < 0 || y >= g.h) {
                    for (int v = 0; v < g.wq; ++v) row[v] = T(0);
                    continue;
                }
                const T* in = src + long(y) * g.w;
                for (int v = 0; v < cols.lo; ++v) row[v] = T(0);
                if (g.stride == 1) {
                    for (int v = cols.lo; v < cols.hi; ++v) row[v] = in[v + b - 1];
                } else {
                    for (int v = cols.lo; v < cols.hi; ++v) row[v] = in[2 * v + b - 1];
                }
                for (int v = cols.hi; v < g.wq; ++v) row[v] = T(0);
            }
            std::fill(phase + long(g.hq) * g.wq, phase + g.plane, T(0));
        }
    }
}

// dst = an output-gradient plane: `margin` zeros, then src (p × q) in coordinates y·wq + x with
// zeros in the columns x ≥ q, then zeros. The data starts lane-aligned (for the weight gradient),
// and dst + margin − (wq + 1) is the plane with a zero top row and left column (for the data
// gradient).
template <class T>
void fill_gradient_plane(const Geometry& g, const T* src, T* dst) {
    std::fill(dst, dst + g.margin, T(0));
    T* data = dst + g.margin;
    for (int y = 0; y < g.p; ++y) {
        T* row = data + long(y) * g.wq;
        const T* in = src + long(y) * g.q;
        for (int x = 0; x < g.q; ++x) row[x] = in[x];
        for (int x = g.q; x < g.wq; ++x) row[x] = T(0);
    }
    std::fill(data + g.outputs, dst + g.grad_plane, T(0));
}

// out[t][o .. o + NV·lanes) = Σ_{c, tap} wk[c][tap][t] · in[c·in_stride + taps[tap] + o + ...].
template <class T, int KT, int NV>
void forward_tile(const T* in, long in_stride, int channels, const long* taps, int ntaps,
                  const T* wk, T* out, long out_plane, long o) {
    constexpr int lanes = Simd<T>::lanes;
    Vec<T> acc[KT][NV];
    for (int t = 0; t < KT; ++t)
        for (int v = 0; v < NV; ++v) acc[t][v] = Vec<T>{};
    for (int c = 0; c < channels; ++c) {
        const T* src = in + c * in_stride + o;
        const T* wc = wk + c * ntaps * KT;
        for (int tap = 0; tap < ntaps; ++tap) {
            Vec<T> x[NV];
            for (int v = 0; v < NV; ++v) x[v] = load(src + taps[tap] + v * lanes);
            const T* wt = wc + tap * KT;
            for (int t = 0; t < KT; ++t) {
                Vec<T> w = Vec<T>{} + wt[t];
                in_register<T>(w);
                for (int v = 0; v < NV; ++v) acc[t][v] = fmadd(w, x[v], acc[t][v]);
            }
        }
    }
    for (int t = 0; t < KT; ++t)
        for (int v = 0; v < NV; ++v) store(out + t * out_plane + o + v * lanes, acc[t][v]);
}

// The 3×3 stride-1 case with constant offsets i·wq + j (the hot loop of most layers).
template <class T, int KT, int NV>
void forward_tile_3x3(const T* in, long in_stride, int channels, int wq, const T* wk, T* out,
                      long out_plane, long o) {
    constexpr int lanes = Simd<T>::lanes;
    Vec<T> acc[KT][NV];
    for (int t = 0; t < KT; ++t)
        for (int v = 0; v < NV; ++v) acc[t][v] = Vec<T>{};
    for (int c = 0; c < channels; ++c) {
        const T* src = in + c * in_stride + o;
        const T* wc = wk + c * 9 * KT;
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j) {
                Vec<T> x[NV];
                for (int v = 0; v < NV; ++v) x[v] = load(src + i * wq + j + v * lanes);
                const T* wt = wc + (i * 3 + j) * KT;
                for (int t = 0; t < KT; ++t) {
                    Vec<T> w = Vec<T>{} + wt[t];
                    in_register<T>(w);
                    for (int v = 0; v < NV; ++v) acc[t][v] = fmadd(w, x[v], acc[t][v]);
                }
            }
        }
    }
    for (int t = 0; t < KT; ++t)
        for (int v = 0; v < NV; ++v) store(out + t * out_plane + o + v * lanes, acc[t][v]);
}

// A tap list: offsets and, when `dense` (the 9 taps i·wq + j of a stride-1 row-stride-wq
// plane), the constant-offset kernel is used.
struct Taps {
    const long* offsets;
    int count;
    bool dense;
    int wq;
};

template <class T, int KT, int NV>
void run_tile(const T* in, long in_stride, int channels, const Taps& taps, const T* wk, T* out,
              long out_plane, long o) {
    if (taps.dense) {
        forward_tile_3x3<T, KT, NV>(in, in_stride, channels, taps.wq, wk, out, out_plane, o);
    } else {
        forward_tile<T, KT, NV>(in, in_stride, channels, taps.offsets, taps.count, wk, out,
                                out_plane, o);
    }
}

template <class T, int KT>
void forward_channels(const T* in, long in_stride, int channels, const Taps& taps, long outputs,
                      const T* wk, T* out, long out_plane) {
    constexpr int lanes = Simd<T>::lanes;
    long o = 0;
    for (; outputs - o > 2 * lanes; o += 3 * lanes) {
        run_tile<T, KT, 3>(in, in_stride, channels, taps, wk, out, out_plane, o);
    }
    if (outputs - o > lanes) {
        run_tile<T, KT, 2>(in, in_stride, channels, taps, wk, out, out_plane, o);
    } else if (outputs > o) {
        run_tile<T, KT, 1>(in, in_stride, channels, taps, wk, out, out_plane, o);
    }
}

// Output channels are processed in blocks of 8, then 4, 2, 1.
inline int channel_block(int remaining) {
    return remaining >= 8 ? 8 : remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1;
}

// One image: out [outs][out_plane] (outputs in row-stride-wq coordinates) from `ins` input
// channels `in_stride` apart, with weights packed by pack_weights for the same tap list.
template <class T>
void convolve_image(const T* in, long in_stride, int ins, int outs, const Taps& taps, long outputs,
                    const T* packed, T* out, long out_plane) {
    for (int k0 = 0; k0 < outs;) {
        const int kt = channel_block(outs - k0);
        const T* wk = packed + long(k0) * ins * taps.count;
        T* o = out + k0 * out_plane;
        switch (kt) {
            case 8:
                forward_channels<T, 8>(in, in_stride, ins, taps, outputs, wk, o, out_plane);
                break;
            case 4:
                forward_channels<T, 4>(in, in_stride, ins, taps, outputs, wk, o, out_plane);
                break;
            case 2:
                forward_channels<T, 2>(in, in_stride, ins, taps, outputs, wk, o, out_plane);
                break;
            default:
                forward_channels<T, 1>(in, in_stride, ins, taps, outputs, wk, o, out_plane);
        }
        k0 += kt;
    }
}

// Packs weight [k, c, 3, 3] for convolve_image with the kernel entries `entries` (i·3 + j, one per
// tap): block k0 of kt output channels holds [in][tap][kt]. Forward: outputs are the k channels,
// inputs the c channels. Data gradient (transpose): outputs c, inputs k.
template <class T>
void pack_weights(const T* weight, int k, int c, bool transpose, const int* entries, int count,
                  T* packed) {
    const int outs = transpose ? c : k, ins = transpose ? k : c;
    for (int k0 = 0; k0 < outs;) {
        const int kt = channel_block(outs - k0);
        T* block = packed + long(k0) * ins * count;
        for (int in = 0; in < ins; ++in)
            for (int tap = 0; tap < count; ++tap)
                for (int t = 0; t < kt; ++t) {
                    const int out = k0 + t;
                    const long row = transpose ? long(in) * c + out : long(out) * c + in;
                    block[(in * count + tap) * kt + t] = weight[row * 9 + entries[tap]];
                }
        k0 += kt;
    }
}

// dst[y][x] = out[y·wq + x] + bias for one p × q output plane.
template <class T>
void store_output_plane(const Geometry& g, const T* out, T bias, T* dst) {
    for (int y = 0; y < g.p; ++y) {
        const T* src = out + long(y) * g.wq;
        T* row = dst + long(y) * g.q;
        for (int x = 0; x < g.q; ++x) row[x] = src[x] + bias;
    }
}

// dx[s·(u + e) + a − 1][s·(v + e) + b − 1] (+)= out[u·wq + v] for phase (a, b) of one input
// channel, e = 2/s − 1 (the shift of input_gradient_taps).
template <class T>
void store_input_gradient(const Geometry& g, const T* out, int a, int b, T* dx, bool accumulate) {
    const int e = 2 / g.stride - 1;
    const Span rows = inside(g.stride, e, a, g.h, int(g.grad_outputs / g.wq));
    const Span cols = inside(g.stride, e, b, g.w, g.wq);
    const int x0 = g.stride * e + b - 1;  // x of v = 0
    for (int u = rows.lo; u < rows.hi; ++u) {
        const T* src = out + long(u) * g.wq;
        T* row = dx + long(g.stride * (u + e) + a - 1) * g.w;  // row[s·v + x0] is x
        if (g.stride == 1 && accumulate) {
            for (int v = cols.lo; v < cols.hi; ++v) row[v + x0] += src[v];
        } else if (g.stride == 1) {
            for (int v = cols.lo; v < cols.hi; ++v) row[v + x0] = src[v];
        } else if (accumulate) {
            for (int v = cols.lo; v < cols.hi; ++v) row[2 * v + x0] += src[v];
        } else {
            for (int v = cols.lo; v < cols.hi; ++v) row[2 * v + x0] = src[v];
        }
    }
}

// partial[(k0 + t)·c + ch][i·3 + j] (j = 0, 1, 2) = Σ_images Σ_o dy[k0 + t][o]·in[ch][tap(i, j) +
// o] for one input channel ch, kernel row i and KT output channels; dy holds a group's
// output-gradient planes, in its input channel blocks. Lane-aligned loads of dy, 3 loads of the
// input per 3·KT multiply-adds.
template <class T, int KT>
void weight_tile(const Geometry& g, const T* in, const T* dy, int images, int c, int k, int ch,
                 int i, int k0, T* partial) {
    constexpr int lanes = Simd<T>::lanes;
    Vec<T> acc[KT][taps_per_row];
    for (int t = 0; t < KT; ++t)
        for (int j = 0; j < taps_per_row; ++j) acc[t][j] = Vec<T>{};
    const long* row_taps = g.taps + i * 3;
    for (int b = 0; b < images; ++b) {
        const T* src = in + (long(b) * c + ch) * g.block;
        const T* d = dy + (long(b) * k + k0) * g.grad_plane + g.margin;
        for (long o = 0; o < g.outputs; o += lanes) {
            Vec<T> x[taps_per_row];
            for (int j = 0; j < taps_per_row; ++j) x[j] = load(src + row_taps[j] + o);
            for (int t = 0; t < KT; ++t) {
                Vec<T> dv = load(d + t * g.grad_plane + o);
                in_register<T>(dv);
                for (int j = 0; j < taps_per_row; ++j) acc[t][j] = fmadd(dv, x[j], acc[t][j]);
            }
        }
    }
    for (int t = 0; t < KT; ++t)
        for (int j = 0; j < taps_per_row; ++j) {
            partial[(long(k0 + t) * c + ch) * 9 + i * 3 + j] = lane_sum<T>(acc[t][j]);
        }
}

template <class T>
void weight_group(const Geometry& g, const T* in, const T* dy, int images, int c, int k,
                  T* partial) {
    for (int ch = 0; ch < c; ++ch) {
        for (int i = 0; i < 3; ++i) {
            for (int k0 = 0; k0 < k;) {
                const int kt = channel_block(k - k0);
                switch (kt) {
                    case 8:
                        weight_tile<T, 8>(g, in, dy, images, c, k, ch, i, k0, partial);
                        break;
                    case 4:
                        weight_tile<T, 4>(g, in, dy, images, c, k, ch, i, k0, partial);
                        break;
                    case 2:
                        weight_tile<T, 2>(g, in, dy, images, c, k, ch, i, k0, partial);
                        break;
                    default:
                        weight_tile<T, 1>(g, in, dy, images, c, k, ch, i, k0, partial);
                }
                k0 += kt;
            }
        }
    }
}

// Images per weight-gradient group: enough outputs to amortise the lane sums, at least 8 groups
// when the batch allows (load balance). Depends on the shape only.
int group_images(const Geometry& g, int n) {
    const long wanted = (8192 + g.outputs - 1) / g.outputs;
    const int cap = std::max(1, (n + 7) / 8);
    return int(std::clamp<long>(wanted, 1, cap));
}

// The data gradient of phase (a, b), dΦ_ab[u][v] = Σ_{i ≡ a, j ≡ b (mod s)} w[i][j]·dy[u − i/s]
// [v − j/s], as a convolution of the bordered output gradient (one zero row above, one zero
// column left): output u·wq + v holds dΦ_ab[u + e][v + e] with e = 2/s − 1, and tap (i, j) reads
// offset (2/s − i/s)·wq + (2/s − j/s). Taps run from the largest i, j down, so stride 1 lists
// the offsets i'·wq + j' in the order of the constant-offset kernel (the flipped kernel).
// Returns the number of taps.
int input_gradient_taps(const Geometry& g, int a, int b, long* offsets, int* entries) {
    const int reach = 2 / g.stride;
    int count = 0;
    for (int i = a + (2 - a) / g.stride * g.stride; i >= a; i -= g.stride) {
        for (int j = b + (2 - b) / g.stride * g.stride; j >= b; j -= g.stride) {
            offsets[count] = long(reach - i / g.stride) * g.wq + (reach - j / g.stride);
            entries[count] = i * 3 + j;
            ++count;
        }
    }
    return count;
}

}  // namespace

bool conv2d_direct_applies(const Conv2dShape& sh) {
    return sh.r == 3 && sh.s == 3 && sh.pad == 1 && (sh.stride == 1 || sh.stride == 2);
}

template <class T>
void conv2d_direct_forward(const Conv2dShape& sh, const T* x, const T* weight, const T* bias,
                           T* y) {
    const Geometry g = geometry<T>(sh);
    const long hw = long(sh.h) * sh.w, pq = long(g.p) * g.q;
    const int entries[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    const Taps taps{g.taps, 9, g.stride == 1, g.wq};
    T* packed = thread_scratch<T>().packed_weights.reserve(std::size_t(sh.k) * sh.c * 9);
    pack_weights(weight, sh.k, sh.c, false, entries, 9, packed);
    const long work = long(sh.n) * sh.k * sh.c * pq;
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 16))
    for (int b = 0; b < sh.n; ++b) {
        T* in = thread_scratch<T>().conv_input.reserve(std::size_t(sh.c) * g.block);
        T* out = thread_scratch<T>().conv_output.reserve(std::size_t(sh.k) * g.plane);
        for (int ch = 0; ch < sh.c; ++ch) {
            fill_phases(g, x + (long(ch) * sh.n + b) * hw, in + ch * g.block);
        }
        convolve_image(in, g.block, sh.c, sh.k, taps, g.outputs, packed, out, g.plane);
        for (int o = 0; o < sh.k; ++o) {
            store_output_plane(g, out + o * g.plane, bias != nullptr ? bias[o] : T(0),
                               y + (long(o) * sh.n + b) * pq);
        }
    }
}

template <class T>
void conv2d_direct_backward(const Conv2dShape& sh, const T* x, const T* weight, const T* dy,
                            T* dweight, T* dx, bool accumulate_dx) {
    const Geometry g = geometry<T>(sh);
    const long hw = long(sh.h) * sh.w, pq = long(g.p) * g.q;
    const long weights = long(sh.k) * sh.c * 9;
    const int per_group = group_images(g, sh.n);
    const int groups = (sh.n + per_group - 1) / per_group;
    T* partial = thread_scratch<T>().chunk_partials.reserve(std::size_t(groups) * weights);
    // Data-gradient tap lists and packed weights, one per phase.
    long offsets[4][9];
    int entries[4][9], counts[4];
    T* packed = thread_scratch<T>().packed_weights.reserve(std::size_t(weights));
    T* packed_phase[4];
    for (int phase = 0, used = 0; phase < g.phases; ++phase) {
        counts[phase] = input_gradient_taps(g, phase / g.stride, phase % g.stride, offsets[phase],
                                            entries[phase]);
        packed_phase[phase] = packed + long(used) * sh.k * sh.c;
        if (dx != nullptr) {
            pack_weights(weight, sh.k, sh.c, true, entries[phase], counts[phase],
                         packed_phase[phase]);
        }
        used += counts[phase];
    }
    const long work = long(sh.n) * sh.k * sh.c * pq;
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 16))
    for (int group = 0; group < groups; ++group) {
        const int first = group * per_group;
        const int images = std::min(per_group, sh.n - first);
        T* in = thread_scratch<T>().conv_input.reserve(std::size_t(images) * sh.c * g.block);
        T* dyp = thread_scratch<T>().conv_output.reserve(std::size_t(images) * sh.k * g.grad_plane +
                                                         std::size_t(sh.c) * g.plane);
        T* out = dyp + std::size_t(images) * sh.k * g.grad_plane;
        for (int b = 0; b < images; ++b) {
            for (int ch = 0; ch < sh.c; ++ch) {
                fill_phases(g, x + (long(ch) * sh.n + first + b) * hw,
                            in + (long(b) * sh.c + ch) * g.block);
            }
            for (int o = 0; o < sh.k; ++o) {
                fill_gradient_plane(g, dy + (long(o) * sh.n + first + b) * pq,
                                    dyp + (long(b) * sh.k + o) * g.grad_plane);
            }
            if (dx == nullptr) continue;
            // The bordered gradient planes: a zero row above and a zero column left of the data.
            const T* bordered = dyp + long(b) * sh.k * g.grad_plane + g.margin - (g.wq + 1);
            for (int phase = 0; phase < g.phases; ++phase) {
                const Taps taps{offsets[phase], counts[phase], g.stride == 1, g.wq};
                convolve_image(bordered, g.grad_plane, sh.k, sh.c, taps, g.grad_outputs,
                               packed_phase[phase], out, g.plane);
                for (int ch = 0; ch < sh.c; ++ch) {
                    T* dst = dx + (long(ch) * sh.n + first + b) * hw;
                    // The phases cover disjoint pixels, so each pixel is written once.
                    store_input_gradient(g, out + ch * g.plane, phase / g.stride, phase % g.stride,
                                         dst, accumulate_dx);
                }
            }
        }
        weight_group(g, in, dyp, images, sh.c, sh.k, partial + group * weights);
    }
    sum_chunk_partials(partial, groups, weights, dweight);
}

template void conv2d_direct_forward<float>(const Conv2dShape&, const float*, const float*,
                                           const float*, float*);
template void conv2d_direct_forward<double>(const Conv2dShape&, const double*, const double*,
                                            const double*, double*);
template void conv2d_direct_backward<float>(const Conv2dShape&, const float*, const float*,
                                            const float*, float*, float*, bool);
template void conv2d_direct_backward<double>(const Conv2dShape&, const double*, const double*,
                                             const double*, double*, double*, bool);

}  // namespace gradcert::engine
