// Reference 2-D convolution (reference/layers.hpp): the seven nested loops of the definition.
#include "numerics/engine/reference/layers.hpp"

namespace gradcert::engine::reference {

namespace {

// x[ci, b, iy, ix], or 0 outside the image (zero padding).
template <class T>
double input_at(const Conv2dShape& sh, const T* x, int ci, int b, int iy, int ix) {
    if (iy < 0 || iy >= sh.h || ix < 0 || ix >= sh.w) return 0.0;
    return double(x[((long(ci) * sh.n + b) * sh.h + iy) * sh.w + ix]);
}

}  // namespace

template <class T>
void conv2d_forward(const Conv2dShape& sh, const T* x, const T* weight, const T* bias, T* y) {
    const int p = sh.p(), q = sh.q();
    for (int o = 0; o < sh.k; ++o)
        for (int b = 0; b < sh.n; ++b)
            for (int oy = 0; oy < p; ++oy)
                for (int ox = 0; ox < q; ++ox) {
                    double sum = bias != nullptr ? double(bias[o]) : 0.0;
                    for (int ci = 0; ci < sh.c; ++ci)
                        for (int i = 0; i < sh.r; ++i)
                            for (int j = 0; j < sh.s; ++j) {
                                const int iy = oy * sh.stride - sh.pad + i;
                                const int ix = ox * sh.stride - sh.pad + j;
                                sum +=
                                    double(weight[((long(o) * sh.c + ci) * sh.r + i) * sh.s + j]) *
                                    input_at(sh, x, ci, b, iy, ix);
                            }
                    y[((long(o) * sh.n + b) * p + oy) * q + ox] = T(sum);
                }
}

template <class T>
void conv2d_backward(const Conv2dShape& sh, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx) {
    const int p = sh.p(), q = sh.q();
    const auto grad = [&](int o, int b, int oy, int ox) {
        return double(dy[((long(o) * sh.n + b) * p + oy) * q + ox]);
    };
    // dweight[o, ci, i, j] = Σ_{b, oy, ox} dy[o, b, oy, ox] · x[ci, b, oy·s − pad + i, …].
    for (int o = 0; o < sh.k; ++o)
        for (int ci = 0; ci < sh.c; ++ci)
            for (int i = 0; i < sh.r; ++i)
                for (int j = 0; j < sh.s; ++j) {
                    double sum = 0.0;
                    for (int b = 0; b < sh.n; ++b)
                        for (int oy = 0; oy < p; ++oy)
                            for (int ox = 0; ox < q; ++ox) {
                                sum += grad(o, b, oy, ox) * input_at(sh, x, ci, b,
                                                                     oy * sh.stride - sh.pad + i,
                                                                     ox * sh.stride - sh.pad + j);
                            }
                    dweight[((long(o) * sh.c + ci) * sh.r + i) * sh.s + j] = T(sum);
                }
    if (dbias != nullptr) {
        for (int o = 0; o < sh.k; ++o) {
            double sum = 0.0;
            for (int b = 0; b < sh.n; ++b)
                for (int oy = 0; oy < p; ++oy)
                    for (int ox = 0; ox < q; ++ox) sum += grad(o, b, oy, ox);
            dbias[o] = T(sum);
        }
    }
    if (dx == nullptr) return;
    // dx[ci, b, iy, ix] = Σ over the outputs whose window reads (iy, ix).
    for (int ci = 0; ci < sh.c; ++ci)
        for (int b = 0; b < sh.n; ++b)
            for (int iy = 0; iy < sh.h; ++iy)
                for (int ix = 0; ix < sh.w; ++ix) {
                    double sum = 0.0;
                    for (int o = 0; o < sh.k; ++o)
                        for (int i = 0; i < sh.r; ++i)
                            for (int j = 0; j < sh.s; ++j) {
                                const int ty = iy + sh.pad - i, tx = ix + sh.pad - j;
                                if (ty < 0 || tx < 0 || ty % sh.stride != 0 || tx % sh.stride != 0)
                                    continue;
                                const int oy = ty / sh.stride, ox = tx / sh.stride;
                                if (oy >= p || ox >= q) continue;
                                sum +=
                                    grad(o, b, oy, ox) *
                                    double(weight[((long(o) * sh.c + ci) * sh.r + i) * sh.s + j]);
                            }
                    dx[((long(ci) * sh.n + b) * sh.h + iy) * sh.w + ix] = T(sum);
                }
}

template void conv2d_forward<float>(const Conv2dShape&, const float*, const float*, const float*,
                                    float*);
template void conv2d_forward<double>(const Conv2dShape&, const double*, const double*,
                                     const double*, double*);
template void conv2d_backward<float>(const Conv2dShape&, const float*, const float*, const float*,
                                     float*, float*, float*);
template void conv2d_backward<double>(const Conv2dShape&, const double*, const double*,
                                      const double*, double*, double*, double*);

}  // namespace gradcert::engine::reference
