#pragma once
// Fully connected layer (PyTorch nn.Linear).
//
// Shapes: x [n, f] row-major, weight [o, f] (PyTorch layout), bias [o] or null, y [n, o].
//   linear_forward:  y = x·weightᵀ + bias
//   linear_backward: dweight = dyᵀ·x, dbias = Σ_n dy (double sums), dx = dy·weight
//                    (dx optional; added to dx when accumulate_dx).
namespace gradcert::engine {

template <class T>
void linear_forward(int n, int f, int o, const T* x, const T* weight, const T* bias, T* y);

template <class T>
void linear_backward(int n, int f, int o, const T* x, const T* weight, const T* dy, T* dweight,
                     T* dbias, T* dx, bool accumulate_dx);

}  // namespace gradcert::engine
