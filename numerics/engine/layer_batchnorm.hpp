#pragma once
// Batch normalisation over channel planes (PyTorch BatchNorm2d / BatchNorm1d semantics).
//
// Shapes: x, y, dy, dx [c, m] (m = n·h·w values per channel, one contiguous plane each);
// weight, bias, mean, invstd, running_mean, running_var [c].
// Training mode normalises with the batch mean and the biased batch variance,
//   y = (x − mean) · invstd · weight + bias,   invstd = 1/√(var + eps),
// and, when running statistics are given, updates them as PyTorch does:
//   running_mean ← (1 − momentum)·running_mean + momentum·mean,
//   running_var  ← (1 − momentum)·running_var  + momentum·var·m/(m − 1)   (unbiased).
// Evaluation mode uses the running statistics instead. Channel sums (Σx, Σx², Σdy, Σdy·(x − mean))
// are accumulated in double, one channel per thread in a fixed order; the rounding error of the
// statistics is that of a double sum of m floats (relative ≲ m·2^-53 of Σ|x|).
namespace gradcert::engine {

struct BatchNormConfig {
    double momentum = 0.1;
    double eps = 1e-5;
    bool relu = false;  // fused ReLU: y = max(0, batch norm of x) (one pass instead of two)
};

// Throws gradcert::InputError when m < 2 (the unbiased variance needs two values per channel).
template <class T>
void batchnorm_forward_train(int c, long m, const T* x, const T* weight, const T* bias, T* y,
                             T* mean, T* invstd, T* running_mean, T* running_var,
                             const BatchNormConfig& config);

template <class T>
void batchnorm_forward_eval(int c, long m, const T* x, const T* weight, const T* bias,
                            const T* running_mean, const T* running_var, T* y,
                            const BatchNormConfig& config);

// The training-mode gradient (batch statistics depend on x): writes dweight, dbias and dx
// (added to dx when accumulate_dx; dx may be null). With a fused ReLU, relu_output is the forward
// output y and dy counts only where y > 0; otherwise pass null.
template <class T>
void batchnorm_backward(int c, long m, const T* x, const T* dy, const T* weight, const T* mean,
                        const T* invstd, T* dweight, T* dbias, T* dx, bool accumulate_dx,
                        const T* relu_output = nullptr);

}  // namespace gradcert::engine
