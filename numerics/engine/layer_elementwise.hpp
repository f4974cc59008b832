#pragma once
// Element-wise layers and layout conversions.
//
// relu:      x, y [count]; y = max(x, 0). Backward: dx = dy where y > 0, else 0 (PyTorch's
//            threshold_backward), added to dx when accumulate_dx.
// add:       a, b, y [count]; y = a + b (residual connection). Its backward is the identity on
//            both inputs, done by the caller with accumulate_copy.
// add_relu:  y = max(0, a + b) (a residual block's output); backward: g = dy where y > 0, else 0,
//            written (or added) to da and db in one pass.
// rows_to_planes: x [n, c, hw] (NCHW images) → y [c, n, hw] (channel planes, tensor.hpp).
// planes_to_rows: x [c, n, hw] → y [n, c·hw] (NCHW flattening, as torch.flatten(x, 1)).
namespace gradcert::engine {

template <class T>
void relu_forward(long count, const T* x, T* y);
template <class T>
void relu_backward(long count, const T* y, const T* dy, T* dx, bool accumulate_dx);

template <class T>
void add_forward(long count, const T* a, const T* b, T* y);

template <class T>
void add_relu_forward(long count, const T* a, const T* b, T* y);
template <class T>
void add_relu_backward(long count, const T* y, const T* dy, T* da, bool accumulate_a, T* db,
                       bool accumulate_b);

// dst = src, or dst += src when accumulate.
template <class T>
void accumulate_copy(long count, const T* src, T* dst, bool accumulate);

template <class T>
void rows_to_planes(int n, int c, long hw, const T* x, T* y, bool accumulate);
template <class T>
void planes_to_rows(int n, int c, long hw, const T* x, T* y, bool accumulate);

}  // namespace gradcert::engine
