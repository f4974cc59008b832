#include "numerics/engine/sharpness.hpp"

#include <algorithm>
#include <cmath>

#include "numerics/engine/noise.hpp"
#include "numerics/engine/train_rng.hpp"

namespace gradcert::engine {

namespace {

// Sub-stream of Stream::power_iteration for the Rademacher vectors of hessian_trace.
constexpr std::uint64_t kTraceStream = 0x7ace;

double norm(const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

// Sets params = base + h·v (rounded to float).
void set_shifted(std::span<float> params, const std::vector<float>& base,
                 const std::vector<double>& v, double h) {
    for (std::size_t i = 0; i < params.size(); ++i)
        params[i] = static_cast<float>(static_cast<double>(base[i]) + h * v[i]);
}

// hv ≈ (∇f(base + h·v) − ∇f(base − h·v)) / 2h, the training-mode loss over `indices`; the
// parameters are left at base − h·v (the caller restores them).
void fd_hessian_vector(Model& model, const Dataset& data, std::span<const int> indices, int chunk,
                       const std::vector<float>& base, const std::vector<double>& v, double h,
                       std::vector<double>& g_plus, std::vector<double>& g_minus,
                       std::vector<double>& hv, BatchAssembler& batch) {
    const std::span<float> params = model.params();
    set_shifted(params, base, v, h);
    mean_gradient(model, data, indices, chunk, g_plus, batch);
    set_shifted(params, base, v, -h);
    mean_gradient(model, data, indices, chunk, g_minus, batch);
    hv.resize(v.size());
    for (std::size_t i = 0; i < hv.size(); ++i) hv[i] = (g_plus[i] - g_minus[i]) / (2.0 * h);
}

double parameter_norm(const std::vector<float>& x) {
    double s = 0.0;
    for (float v : x) s += static_cast<double>(v) * v;
    return std::sqrt(s);
}

}  // namespace

PowerIterationResult hessian_top_eigenvalue(Model& model, const Dataset& data,
                                            std::span<const int> indices, int chunk, int iterations,
                                            double fd_step, std::uint64_t key,
                                            BatchAssembler& batch) {
    const std::span<float> params = model.params();
    const std::vector<float> base(params.begin(), params.end());
    const double h = fd_step * (1.0 + parameter_norm(base));
    std::vector<double> v(params.size());
    RunRng rng(stream_key(key, Stream::power_iteration));
    for (double& x : v) x = rng.normal();
    double nv = norm(v);
    for (double& x : v) x /= nv;
    std::vector<double> g_plus, g_minus, hv(params.size());
    PowerIterationResult r;
    r.fd_step = h;
    double previous = 0.0;
    for (int it = 0; it < iterations; ++it) {
        fd_hessian_vector(model, data, indices, chunk, base, v, h, g_plus, g_minus, hv, batch);
        double rayleigh = 0.0;
        for (std::size_t i = 0; i < hv.size(); ++i) rayleigh += v[i] * hv[i];
        previous = r.lambda_max;
        r.lambda_max = rayleigh;
        r.iterations = it + 1;
        const double nh = norm(hv);
        if (!(nh > 0.0) || !std::isfinite(nh)) break;
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = hv[i] / nh;
    }
    r.relative_change = r.iterations > 1 && r.lambda_max != 0.0
                            ? std::abs(r.lambda_max - previous) / std::abs(r.lambda_max)
                            : 0.0;
    std::copy(base.begin(), base.end(), params.begin());
    return r;
}

HessianTraceResult hessian_trace(Model& model, const Dataset& data, std::span<const int> indices,
                                 int chunk, int max_iter, double tol, double fd_step,
                                 double confidence, std::uint64_t key, BatchAssembler& batch) {
    const std::span<float> params = model.params();
    const std::vector<float> base(params.begin(), params.end());
    HessianTraceResult r;
    r.confidence = confidence;
    // ‖v‖ = √d for a Rademacher v: the step along v keeps ‖h·v‖ = fd_step·(1 + ‖x‖) as in
    // hessian_top_eigenvalue.
    r.fd_step =
        fd_step * (1.0 + parameter_norm(base)) / std::sqrt(static_cast<double>(base.size()));
    RunRng rng(stream_key(key, Stream::power_iteration, kTraceStream));
    std::vector<double> v(base.size()), g_plus, g_minus, hv;
    std::vector<double> samples;
    double previous = 0.0;
    auto sample = [&] {
        for (double& x : v) x = (rng.next() >> 63) != 0 ? 1.0 : -1.0;
        fd_hessian_vector(model, data, indices, chunk, base, v, r.fd_step, g_plus, g_minus, hv,
                          batch);
        double s = 0.0;
        for (std::size_t i = 0; i < v.size(); ++i) s += v[i] * hv[i];
        samples.push_back(s);
    };
    for (int k = 0; k < max_iter; ++k) {
        sample();
        double mean = 0.0;
        for (double s : samples) mean += s;
        mean /= static_cast<double>(samples.size());
        if (samples.size() > 1 && std::abs(mean - previous) / (std::abs(previous) + 1e-6) < tol)
            break;
        previous = mean;
    }
    while (samples.size() < 2) sample();
    const Interval95 ci = mean_confidence_interval(samples, confidence);
    r.trace = ci.value;
    r.lo = ci.lo;
    r.hi = ci.hi;
    r.samples = static_cast<int>(samples.size());
    std::copy(base.begin(), base.end(), params.begin());
    return r;
}

namespace {

// The largest loss seen on `steps` projected sign-gradient ascent steps of half the box radius
// from z = 0 inside |z_i| ≤ radius_i; parameters are restored bit for bit.
SharpnessResult ascend_in_box(Model& model, const Dataset& data, std::span<const int> indices,
                              int chunk, const std::vector<double>& radius, int steps,
                              BatchAssembler& batch) {
    const std::span<float> params = model.params();
    const std::vector<float> base(params.begin(), params.end());
    std::vector<double> z(base.size(), 0.0), g;
    SharpnessResult r;
    r.steps = steps;
    r.base_loss = mean_gradient(model, data, indices, chunk, g, batch);
    r.max_loss = r.base_loss;
    for (int s = 0; s < steps; ++s) {
        for (std::size_t i = 0; i < z.size(); ++i) {
            const double dir = g[i] > 0.0 ? 1.0 : (g[i] < 0.0 ? -1.0 : 0.0);
            z[i] = std::clamp(z[i] + 0.5 * radius[i] * dir, -radius[i], radius[i]);
            params[i] = static_cast<float>(static_cast<double>(base[i]) + z[i]);
        }
        const double loss = mean_gradient(model, data, indices, chunk, g, batch);
        if (std::isfinite(loss)) r.max_loss = std::max(r.max_loss, loss);
    }
    std::copy(base.begin(), base.end(), params.begin());
    r.increase = r.max_loss - r.base_loss;
    r.keskar = 100.0 * r.increase / (1.0 + r.base_loss);
    return r;
}

// Box radii scale·(|x_i| + offset) around the model's current parameters.
std::vector<double> box_radii(Model& model, double scale, double offset) {
    const std::span<float> params = model.params();
    std::vector<double> radius(params.size());
    for (std::size_t i = 0; i < params.size(); ++i)
        radius[i] = scale * (std::abs(static_cast<double>(params[i])) + offset);
    return radius;
}

}  // namespace

SharpnessResult epsilon_sharpness(Model& model, const Dataset& data, std::span<const int> indices,
                                  int chunk, double epsilon, int steps, BatchAssembler& batch) {
    SharpnessResult r =
        ascend_in_box(model, data, indices, chunk, box_radii(model, epsilon, 1.0), steps, batch);
    r.epsilon = epsilon;
    return r;
}

SharpnessResult adaptive_sharpness(Model& model, const Dataset& data, std::span<const int> indices,
                                   int chunk, double rho, int steps, BatchAssembler& batch) {
    SharpnessResult r =
        ascend_in_box(model, data, indices, chunk, box_radii(model, rho, 0.0), steps, batch);
    r.epsilon = rho;
    return r;
}

}  // namespace gradcert::engine
