#pragma once
// Small hand-written models implementing the Model interface, for testing the trainer, probes
// and estimators independently of the layer library.
//  LeastSquaresModel: f_i(x) = ½(a_i·x − y_i)², a_i the example's normalised pixels (flattened),
//                     y_i = targets[label_i] (labels index a table of targets, one per example).
//  SoftmaxModel:      multinomial logistic regression, logits = W a + c.
// Both compute in double and store float parameters/gradients; serial, hence deterministic.
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "numerics/engine/model.hpp"
#include "numerics/engine/train_rng.hpp"

namespace gradcert::engine::testing {

class LeastSquaresModel : public Model {
  public:
    LeastSquaresModel(const ModelSpec& spec, std::vector<double> targets)
        : spec_(spec),
          targets_(std::move(targets)),
          x_(static_cast<std::size_t>(spec.channels * spec.height * spec.width), 0.0f),
          g_(x_.size(), 0.0f) {}

    const ModelSpec& spec() const override { return spec_; }
    std::span<float> params() override { return x_; }
    std::span<float> grads() override { return g_; }
    std::span<float> buffers() override { return {}; }
    std::vector<ParamInfo> param_layout() const override {
        return {{"x", 0, {static_cast<int>(x_.size())}}};
    }
    std::vector<ParamInfo> buffer_layout() const override { return {}; }

    double loss_and_gradient(const float* images, const std::int32_t* labels, int n, bool,
                             int* correct) override {
        const std::size_t d = x_.size();
        std::vector<double> g(d, 0.0);
        double loss = 0.0;
        for (int i = 0; i < n; ++i) {
            const float* a = images + static_cast<std::size_t>(i) * d;
            double r = -targets_[static_cast<std::size_t>(labels[i])];
            for (std::size_t k = 0; k < d; ++k) r += static_cast<double>(a[k]) * x_[k];
            loss += 0.5 * r * r;
            for (std::size_t k = 0; k < d; ++k) g[k] += r * a[k];
        }
        for (std::size_t k = 0; k < d; ++k) g_[k] = static_cast<float>(g[k] / n);
        if (correct) *correct = 0;
        return loss / n;
    }
    double evaluate(const float* images, const std::int32_t* labels, int n, int* correct,
                    float*) override {
        std::vector<float> keep = g_;
        const double l = loss_and_gradient(images, labels, n, false, correct);
        g_ = keep;
        return l;
    }

  private:
    ModelSpec spec_;
    std::vector<double> targets_;
    std::vector<float> x_, g_;
};

class SoftmaxModel : public Model {
  public:
    SoftmaxModel(const ModelSpec& spec, std::uint64_t seed) : spec_(spec) {
        d_ = static_cast<std::size_t>(spec.channels * spec.height * spec.width);
        k_ = static_cast<std::size_t>(spec.classes);
        w_.assign(k_ * d_ + k_, 0.0f);
        g_.assign(w_.size(), 0.0f);
        RunRng rng(seed + 12345);
        for (std::size_t i = 0; i < k_ * d_; ++i) w_[i] = static_cast<float>(0.01 * rng.normal());
    }
    const ModelSpec& spec() const override { return spec_; }
    std::span<float> params() override { return w_; }
    std::span<float> grads() override { return g_; }
    std::span<float> buffers() override { return {}; }
    std::vector<ParamInfo> param_layout() const override {
        return {{"fc.weight", 0, {static_cast<int>(k_), static_cast<int>(d_)}},
                {"fc.bias", k_ * d_, {static_cast<int>(k_)}}};
    }
    std::vector<ParamInfo> buffer_layout() const override { return {}; }

    double loss_and_gradient(const float* images, const std::int32_t* labels, int n, bool,
                             int* correct) override {
        std::vector<double> g(w_.size(), 0.0);
        const double loss = forward(images, labels, n, correct, &g, nullptr);
        for (std::size_t i = 0; i < g.size(); ++i) g_[i] = static_cast<float>(g[i] / n);
        return loss;
    }
    double evaluate(const float* images, const std::int32_t* labels, int n, int* correct,
                    float* logits) override {
        return forward(images, labels, n, correct, nullptr, logits);
    }

  private:
    double forward(const float* images, const std::int32_t* labels, int n, int* correct,
                   std::vector<double>* grad, float* logits_out) {
        double loss = 0.0;
        int ok = 0;
        std::vector<double> z(k_);
        for (int i = 0; i < n; ++i) {
            const float* a = images + static_cast<std::size_t>(i) * d_;
            for (std::size_t c = 0; c < k_; ++c) {
                double s = w_[k_ * d_ + c];
                for (std::size_t j = 0; j < d_; ++j)
                    s += static_cast<double>(w_[c * d_ + j]) * a[j];
                z[c] = s;
                if (logits_out)
                    logits_out[static_cast<std::size_t>(i) * k_ + c] = static_cast<float>(s);
            }
            std::size_t arg = 0;
            double zmax = z[0];
            for (std::size_t c = 1; c < k_; ++c)
                if (z[c] > zmax) zmax = z[c], arg = c;
            const auto y = static_cast<std::size_t>(labels[i]);
            if (arg == y) ++ok;
            double sum = 0.0;
            for (std::size_t c = 0; c < k_; ++c) sum += std::exp(z[c] - zmax);
            loss += std::log(sum) + zmax - z[y];
            if (grad) {
                for (std::size_t c = 0; c < k_; ++c) {
                    const double p = std::exp(z[c] - zmax) / sum - (c == y ? 1.0 : 0.0);
                    for (std::size_t j = 0; j < d_; ++j) (*grad)[c * d_ + j] += p * a[j];
                    (*grad)[k_ * d_ + c] += p;
                }
            }
        }
        if (correct) *correct = ok;
        return loss / n;
    }

    ModelSpec spec_;
    std::size_t d_ = 0, k_ = 0;
    std::vector<float> w_, g_;
};

inline std::unique_ptr<Model> make_softmax(const ModelSpec& spec, std::uint64_t seed) {
    return std::make_unique<SoftmaxModel>(spec, seed);
}

}  // namespace gradcert::engine::testing
