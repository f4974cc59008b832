#pragma once
// Seeded samples u of a smoothing kernel (theory::Kernel), for Monte-Carlo smoothed gradients
// ∇f̂_δ(x) ≈ (1/S) Σ_s ∇f(x − δu_s) as in the AAAI code (igo-aaai25 ego.py, S = 100 Gaussian
// samples). Deterministic: the stream depends only on the 64-bit seed (mt19937_64, whose output
// the C++ standard fixes; normals by the Marsaglia polar method, not std::normal_distribution,
// whose algorithm is implementation-defined).
#include <Eigen/Core>
#include <cstdint>
#include <random>

#include "theory/kernel.hpp"

namespace gradcert::verify::go {

// A well-mixed 64-bit seed for stream `index` of `seed` (splitmix64 finaliser).
std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t index);

class KernelSampler {
  public:
    KernelSampler(const theory::Kernel& kernel, std::uint64_t seed);
    // One sample u (kernel.dim coordinates): N(0, I), N(0, I/d), uniform on the unit ball, and
    // the kernels of theory/kernel_laws.hpp (cube, Laplace, student-t, isotropic stable).
    void sample(Eigen::VectorXd& u);
    double uniform();  // in [0, 1), 53 random bits
    double normal();   // N(0, 1)

  private:
    // A > 0 with E e^{−λA} = e^{−λ^β} (β ∈ (0, 1); 1 for β >= 1).
    double positive_stable(double beta);

    theory::Kernel kernel_;
    std::mt19937_64 engine_;
    bool has_spare_ = false;
    double spare_ = 0.0;
};

}  // namespace gradcert::verify::go
