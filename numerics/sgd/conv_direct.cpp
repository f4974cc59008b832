#include "numerics/sgd/conv_direct.hpp"

#include <algorithm>
#include <cstring>

#include "numerics/sgd/tensor.hpp"
#include "numerics/sgd/threads.hpp"

namespace gradcert::sgd {

namespace {

// 64-byte vectors of T (16 floats or 8 doubles).
template <class T>
struct Simd {
    typedef T vec __attribute__((vector_size(64)));
    static constexpr int lanes = 64 / sizeof(T);
};
template <class T>
using Vec = typename Simd<T>::vec;

template <class T>
inline Vec<T> load(const T* p) {
    Vec<T> v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class T>
inline void store(T* p, const Vec<T>& v) {
    std::memcpy(p, &v, sizeof v);
}
template <class T>
inline T lane_sum(const Vec<T>& v) {
    T s = 0;
    for (int l = 0; l < Simd<T>::lanes; ++l) s += v[l];
    return s;
}

template <class T>
T* scratch(int slot, std::size_t count) {
    return thread_scratch<T>(slot, count);
}

constexpr int max_vectors = 3;   // vectors per forward tile
constexpr int max_channels = 8;  // output channels per forward tile

// Geometry of the padded planes of one image.
struct Padded {
    int h, w, wp;
    long outputs;     // h·wp outputs in padded coordinates
    long plane;       // stride between padded planes, with zeroed slack for the tiles' over-reads
    long margin;      // zeros before an output-gradient plane's data (a multiple of the lanes)
    long grad_plane;  // stride between output-gradient planes (see fill_gradient_plane)
};

long round_up(long value, long multiple) {
    return (value + multiple - 1) / multiple * multiple;
}

template <class T>
Padded padded_geometry(const Conv2dShape& sh) {
    const int lanes = Simd<T>::lanes;
    Padded g{sh.h, sh.w, sh.w + 2, 0, 0, 0, 0};
    g.outputs = long(g.h) * g.wp;
    g.plane = round_up(long(g.h + 2) * g.wp + max_vectors * lanes + 2, lanes);
    g.margin = round_up(g.wp + 1, lanes);
    g.grad_plane = round_up(g.margin + g.outputs + g.wp + max_vectors * lanes + 2, lanes);
    return g;
}

// dst (a padded plane) = src (an h × w plane) with a zero border and zero slack.
template <class T>
void pad_plane(const Padded& g, const T* src, T* dst) {
    std::fill(dst, dst + g.wp, T(0));
    for (int y = 0; y < g.h; ++y) {
        T* row = dst + long(y + 1) * g.wp;
        row[0] = T(0);
        const T* in = src + long(y) * g.w;
        for (int x = 0; x < g.w; ++x) row[x + 1] = in[x];
        row[g.w + 1] = T(0);
    }
    std::fill(dst + long(g.h + 1) * g.wp, dst + g.plane, T(0));
}

// dst = an output-gradient plane: `margin` zeros, then src (h × w) in padded coordinates
// y·wp + x with zeros in the columns x ≥ w, then zeros. The data starts lane-aligned (for the
// weight gradient), and dst + margin − (wp + 1) is the same plane with a zero border (for the data
// gradient, a convolution of the bordered plane).
template <class T>
void fill_gradient_plane(const Padded& g, const T* src, T* dst) {
    std::fill(dst, dst + g.margin, T(0));
    T* data = dst + g.margin;
    for (int y = 0; y < g.h; ++y) {
        T* row = data + long(y) * g.wp;
        const T* in = src + long(y) * g.w;
        for (int x = 0; x < g.w; ++x) row[x] = in[x];
        row[g.w] = T(0);
        row[g.w + 1] = T(0);
    }
    std::fill(data + g.outputs, dst + g.grad_plane, T(0));
}

// out[t][o .. o + NV·lanes) = Σ_{c, i, j} wk[c][i·3 + j][t] · in[c][o + i·wp + j + ...].
template <class T, int KT, int NV>
void forward_tile(const T* in, long plane, int channels, int wp, const T* wk, T* out,
                  long out_plane, long o) {
    constexpr int lanes = Simd<T>::lanes;
    Vec<T> acc[KT][NV];
    for (int t = 0; t < KT; ++t)
        for (int v = 0; v < NV; ++v) acc[t][v] = Vec<T>{};
    for (int c = 0; c < channels; ++c) {
        const T* src = in + c * plane + o;
        const T* wc = wk + c * 9 * KT;
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j) {
                Vec<T> x[NV];
                for (int v = 0; v < NV; ++v) x[v] = load(src + i * wp + j + v * lanes);
                const T* wij = wc + (i * 3 + j) * KT;
                for (int t = 0; t < KT; ++t) {
                    const Vec<T> w = Vec<T>{} + wij[t];
                    for (int v = 0; v < NV; ++v) acc[t][v] += w * x[v];
                }
            }
        }
    }
    for (int t = 0; t < KT; ++t)
        for (int v = 0; v < NV; ++v) store(out + t * out_plane + o + v * lanes, acc[t][v]);
}

template <class T, int KT>
void forward_channels(const T* in, long plane, int channels, int wp, long outputs, const T* wk,
                      T* out, long out_plane) {
    constexpr int lanes = Simd<T>::lanes;
    long o = 0;
    for (; outputs - o > 2 * lanes; o += 3 * lanes) {
        forward_tile<T, KT, 3>(in, plane, channels, wp, wk, out, out_plane, o);
    }
    if (outputs - o > lanes) {
        forward_tile<T, KT, 2>(in, plane, channels, wp, wk, out, out_plane, o);
    } else if (outputs > o) {
        forward_tile<T, KT, 1>(in, plane, channels, wp, wk, out, out_plane, o);
    }
}

// Output channels are processed in blocks of 8, then 4, 2, 1.
inline int channel_block(int remaining) {
    return remaining >= 8 ? 8 : remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1;
}

// One image: out [outs][out_plane] (padded coordinates) from in [ins][plane].
template <class T>
void forward_image(const Padded& g, const T* in, int ins, int outs, const T* packed, T* out,
                   long out_plane) {
    for (int k0 = 0; k0 < outs;) {
        const int kt = channel_block(outs - k0);
        const T* wk = packed + long(k0) * ins * 9;
        T* o = out + k0 * out_plane;
        switch (kt) {
            case 8:
                forward_channels<T, 8>(in, g.plane, ins, g.wp, g.outputs, wk, o, out_plane);
                break;
            case 4:
                forward_channels<T, 4>(in, g.plane, ins, g.wp, g.outputs, wk, o, out_plane);
                break;
            case 2:
                forward_channels<T, 2>(in, g.plane, ins, g.wp, g.outputs, wk, o, out_plane);
                break;
            default:
                forward_channels<T, 1>(in, g.plane, ins, g.wp, g.outputs, wk, o, out_plane);
        }
        k0 += kt;
    }
}

// Packs weights for forward_image: block k0 of kt output channels holds [in][i·3 + j][kt].
// Forward: out channel k, in channel c reads weight[k, c, i, j]. Backward data (flip): out
// channel c, in channel k reads weight[k, c, 2 − i, 2 − j].
template <class T>
void pack_weights(const T* weight, int k, int c, bool flip, T* packed) {
    const int outs = flip ? c : k, ins = flip ? k : c;
    for (int k0 = 0; k0 < outs;) {
        const int kt = channel_block(outs - k0);
        T* block = packed + long(k0) * ins * 9;
        for (int in = 0; in < ins; ++in)
            for (int ij = 0; ij < 9; ++ij)
                for (int t = 0; t < kt; ++t) {
                    const int out = k0 + t;
                    block[(in * 9 + ij) * kt + t] =
                        flip ? weight[(long(in) * c + out) * 9 + (8 - ij)]
                             : weight[(long(out) * c + in) * 9 + ij];
                }
        k0 += kt;
    }
}

long out_plane_size(const Padded& g) {
    return g.plane;  // ≥ outputs + 3 vectors of slack
}

// dst[y][x] (+)= out[y·wp + x] (+ bias) for one h × w plane.
template <class T>
void unpad_plane(const Padded& g, const T* out, T bias, T* dst, bool accumulate) {
    for (int y = 0; y < g.h; ++y) {
        const T* src = out + long(y) * g.wp;
        T* row = dst + long(y) * g.w;
        if (accumulate) {
            for (int x = 0; x < g.w; ++x) row[x] += src[x];
        } else {
            for (int x = 0; x < g.w; ++x) row[x] = src[x] + bias;
        }
    }
}

// partial[(k0 + t)·c + ch][i·3 + j] (j = 0, 1, 2) = Σ_images Σ_o dy[k0 + t][o]·in[ch][o + i·wp + j]
// for one input channel ch, kernel row i and KT output channels; dy holds a group's
// output-gradient planes, in its padded input planes. Lane-aligned loads of dy, 3 loads of the
// input per 3·KT multiply-adds.
template <class T, int KT>
void weight_tile(const Padded& g, const T* in, const T* dy, int images, int c, int k, int ch, int i,
                 int k0, T* partial) {
    constexpr int lanes = Simd<T>::lanes;
    Vec<T> acc[KT][3];
    for (int t = 0; t < KT; ++t)
        for (int j = 0; j < 3; ++j) acc[t][j] = Vec<T>{};
    for (int b = 0; b < images; ++b) {
        const T* src = in + (long(b) * c + ch) * g.plane + i * g.wp;
        const T* d = dy + (long(b) * k + k0) * g.grad_plane + g.margin;
        for (long o = 0; o < g.outputs; o += lanes) {
            Vec<T> x[3];
            for (int j = 0; j < 3; ++j) x[j] = load(src + o + j);
            for (int t = 0; t < KT; ++t) {
                const Vec<T> dv = load(d + t * g.grad_plane + o);
                for (int j = 0; j < 3; ++j) acc[t][j] += dv * x[j];
            }
        }
    }
    for (int t = 0; t < KT; ++t)
        for (int j = 0; j < 3; ++j) {
            partial[(long(k0 + t) * c + ch) * 9 + i * 3 + j] = lane_sum<T>(acc[t][j]);
        }
}

template <class T>
void weight_group(const Padded& g, const T* in, const T* dy, int images, int c, int k, T* partial) {
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

// Images per weight-gradient group: enough pixels to amortise the lane sums, at least 8 groups
// when the batch allows (load balance). Depends on the shape only.
int group_images(const Padded& g, int n) {
    const long wanted = (2048 + g.outputs - 1) / g.outputs;
    const int cap = std::max(1, (n + 7) / 8);
    return int(std::clamp<long>(wanted, 1, cap));
}

}  // namespace

bool conv2d_direct_applies(const Conv2dShape& sh) {
    return sh.r == 3 && sh.s == 3 && sh.stride == 1 && sh.pad == 1;
}

template <class T>
void conv2d_direct_forward(const Conv2dShape& sh, const T* x, const T* weight, const T* bias,
                           T* y) {
    const Padded g = padded_geometry<T>(sh);
    const long hw = long(sh.h) * sh.w;
    T* packed = scratch<T>(3, std::size_t(sh.k) * sh.c * 9);
    pack_weights(weight, sh.k, sh.c, false, packed);
    const long work = long(sh.n) * sh.k * sh.c * hw;
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 16))
    for (int b = 0; b < sh.n; ++b) {
        T* in = scratch<T>(0, std::size_t(sh.c) * g.plane);
        T* out = scratch<T>(1, std::size_t(sh.k) * out_plane_size(g));
        for (int ch = 0; ch < sh.c; ++ch)
            pad_plane(g, x + (long(ch) * sh.n + b) * hw, in + ch * g.plane);
        forward_image(g, in, sh.c, sh.k, packed, out, out_plane_size(g));
        for (int o = 0; o < sh.k; ++o) {
            unpad_plane(g, out + o * out_plane_size(g), bias != nullptr ? bias[o] : T(0),
                        y + (long(o) * sh.n + b) * hw, false);
        }
    }
}

template <class T>
void conv2d_direct_backward(const Conv2dShape& sh, const T* x, const T* weight, const T* dy,
                            T* dweight, T* dx, bool accumulate_dx) {
    const Padded g = padded_geometry<T>(sh);
    const long hw = long(sh.h) * sh.w;
    const long weights = long(sh.k) * sh.c * 9;
    const int per_group = group_images(g, sh.n);
    const int groups = (sh.n + per_group - 1) / per_group;
    T* partial = scratch<T>(2, std::size_t(groups) * weights);
    T* flipped = scratch<T>(3, std::size_t(weights));
    if (dx != nullptr) pack_weights(weight, sh.k, sh.c, true, flipped);
    const long work = long(sh.n) * sh.k * sh.c * hw;
#pragma omp parallel for schedule(dynamic, 1) if (parallel_worth(work / 16))
    for (int group = 0; group < groups; ++group) {
        const int first = group * per_group;
        const int images = std::min(per_group, sh.n - first);
        T* in = scratch<T>(0, std::size_t(images) * sh.c * g.plane);
        T* dyp =
            scratch<T>(1, std::size_t(images) * sh.k * g.grad_plane + std::size_t(sh.c) * g.plane);
        T* out = dyp + std::size_t(images) * sh.k * g.grad_plane;
        // The bordered view of the gradient planes (see fill_gradient_plane).
        Padded bordered = g;
        bordered.plane = g.grad_plane;
        for (int b = 0; b < images; ++b) {
            for (int ch = 0; ch < sh.c; ++ch) {
                pad_plane(g, x + (long(ch) * sh.n + first + b) * hw,
                          in + (long(b) * sh.c + ch) * g.plane);
            }
            for (int o = 0; o < sh.k; ++o) {
                fill_gradient_plane(g, dy + (long(o) * sh.n + first + b) * hw,
                                    dyp + (long(b) * sh.k + o) * g.grad_plane);
            }
            if (dx == nullptr) continue;
            forward_image(bordered, dyp + long(b) * sh.k * g.grad_plane + g.margin - (g.wp + 1),
                          sh.k, sh.c, flipped, out, g.plane);
            for (int ch = 0; ch < sh.c; ++ch) {
                unpad_plane(g, out + ch * g.plane, T(0), dx + (long(ch) * sh.n + first + b) * hw,
                            accumulate_dx);
            }
        }
        weight_group(g, in, dyp, images, sh.c, sh.k, partial + group * weights);
    }
#pragma omp parallel for schedule(static) if (parallel_worth(weights * groups))
    for (long e = 0; e < weights; ++e) {
        double sum = 0.0;
        for (int group = 0; group < groups; ++group) sum += double(partial[group * weights + e]);
        dweight[e] = T(sum);
    }
}

template void conv2d_direct_forward<float>(const Conv2dShape&, const float*, const float*,
                                           const float*, float*);
template void conv2d_direct_forward<double>(const Conv2dShape&, const double*, const double*,
                                            const double*, double*);
template void conv2d_direct_backward<float>(const Conv2dShape&, const float*, const float*,
                                            const float*, float*, float*, bool);
template void conv2d_direct_backward<double>(const Conv2dShape&, const double*, const double*,
                                             const double*, double*, double*, bool);

}  // namespace gradcert::sgd
