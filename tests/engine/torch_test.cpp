// Cross-check against PyTorch (Debian python3-torch 1.13, 2 threads): identical weights, inputs
// and labels give the same logits, loss, parameter gradients, running statistics, and the same
// losses over five optimiser steps, each within 1e-4 relative (‖engine − torch‖ / ‖torch‖ per
// tensor). The exchange is raw little-endian float32/int32 files plus a JSON of names, shapes and
// offsets in a fresh temporary directory; tests/engine/torch_reference.py builds the models
// independently from their definitions and refuses any name or shape mismatch.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "numerics/engine/model.hpp"
#include "numerics/engine/model_zoo.hpp"
#include "numerics/engine/network.hpp"
#include "numerics/engine/optimizer.hpp"
#include "numerics/engine/threads.hpp"
#include "tests/engine/core_fd.hpp"

using namespace gradcert::engine;
namespace fs = std::filesystem;

namespace {

constexpr double tolerance = 1e-4;

template <class T>
void write_raw(const fs::path& path, const std::vector<T>& values) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(values.data()),
              std::streamsize(values.size() * sizeof(T)));
    REQUIRE(out.good());
}

std::vector<float> read_raw(const fs::path& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    REQUIRE(in.good());
    std::vector<float> values(std::size_t(in.tellg()) / sizeof(float));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(values.data()), std::streamsize(values.size() * sizeof(float)));
    return values;
}

nlohmann::json layout_json(const std::vector<ParamInfo>& layout) {
    nlohmann::json list = nlohmann::json::array();
    for (const ParamInfo& p : layout)
        list.push_back({{"name", p.name}, {"shape", p.shape}, {"offset", p.offset}});
    return list;
}

// ‖a − b‖ / ‖b‖ (b the PyTorch value); absolute when ‖b‖ = 0.
double error_against(const float* a, const float* b, std::size_t n) {
    double diff = 0.0, norm = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        diff += (double(a[i]) - double(b[i])) * (double(a[i]) - double(b[i]));
        norm += double(b[i]) * double(b[i]);
    }
    return norm == 0.0 ? std::sqrt(diff) : std::sqrt(diff / norm);
}

double max_tensor_error(const std::vector<ParamInfo>& layout, const std::vector<float>& engine,
                        const std::vector<float>& torch, std::string* worst) {
    REQUIRE(engine.size() == torch.size());
    double max_error = 0.0;
    for (const ParamInfo& p : layout) {
        std::size_t size = 1;
        for (int d : p.shape) size *= std::size_t(d);
        const double e = error_against(engine.data() + p.offset, torch.data() + p.offset, size);
        if (e >= max_error) {
            max_error = e;
            *worst = p.name;
        }
    }
    return max_error;
}

struct CrossCheck {
    std::string model;
    std::string optimizer;
    double momentum;
    double weight_decay;
};

}  // namespace

TEST_CASE("PyTorch cross-check: logits, loss, gradients, statistics and five steps",
          "[sgd][core][torch]") {
    const CrossCheck cc =
        GENERATE(CrossCheck{"cnn-small", "sgd", 0.0, 0.0}, CrossCheck{"resnet8", "sgd", 0.0, 0.0},
                 CrossCheck{"resnet8", "shb", 0.9, 5e-4}, CrossCheck{"mlp", "shb", 0.9, 0.0});
    CAPTURE(cc.model, cc.optimizer);
    const int n = 16, steps = 5;
    const double lr = 0.05;
    const ModelSpec spec{cc.model, 3, 32, 32, 10, 1};
    auto model = make_model(spec, 2024);
    const std::size_t image_size = 3 * 32 * 32;
    const std::vector<double> pixels = test::random_vector(steps * n * image_size, 77, -1.5, 1.5);
    const std::vector<float> images(pixels.begin(), pixels.end());
    std::vector<std::int32_t> labels(steps * n);
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = std::int32_t((i * 37 + 11) % 10);

    const fs::path dir =
        fs::temp_directory_path() /
        ("gradcert_torch_" + cc.model + "_" + cc.optimizer + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    nlohmann::json js = {{"model", cc.model},
                         {"channels", 3},
                         {"height", 32},
                         {"width", 32},
                         {"classes", 10},
                         {"width_multiplier", 1},
                         {"n", n},
                         {"steps", steps},
                         {"lr", lr},
                         {"optimizer", cc.optimizer},
                         {"momentum", cc.momentum},
                         {"weight_decay", cc.weight_decay},
                         {"params", layout_json(model->param_layout())},
                         {"buffers", layout_json(model->buffer_layout())}};
    std::ofstream(dir / "spec.json") << js.dump();
    write_raw(dir / "params.f32",
              std::vector<float>(model->params().begin(), model->params().end()));
    write_raw(dir / "buffers.f32",
              std::vector<float>(model->buffers().begin(), model->buffers().end()));
    write_raw(dir / "images.f32", images);
    write_raw(dir / "labels.i32", labels);
    const std::string command =
        "/usr/bin/python3 " GRADCERT_SOURCE_DIR "/tests/engine/torch_reference.py " + dir.string();
    REQUIRE(std::system(command.c_str()) == 0);
    const nlohmann::json result = nlohmann::json::parse(std::ifstream(dir / "result.json"));
    std::string worst;

    // Evaluation mode before training (running statistics 0 / 1).
    std::vector<float> eval_logits(n * 10);
    model->evaluate(images.data(), labels.data(), n, nullptr, eval_logits.data());
    const double eval_before = error_against(
        eval_logits.data(), read_raw(dir / "eval_logits_before.f32").data(), eval_logits.size());
    CHECK(eval_before < tolerance);

    // Training-mode logits of step 0 from the same network the model wraps.
    Network<float> net(build_architecture(spec));
    std::copy(model->params().begin(), model->params().end(), net.params().begin());
    std::copy(model->buffers().begin(), model->buffers().end(), net.buffers().begin());
    std::vector<float> train_logits(n * 10);
    net.forward(images.data(), labels.data(), n, true, false, nullptr, train_logits.data());
    const double logits_error = error_against(
        train_logits.data(), read_raw(dir / "logits.f32").data(), train_logits.size());
    CHECK(logits_error < tolerance);

    const std::vector<float> initial_params(model->params().begin(), model->params().end());
    Optimizer optimizer(
        OptimizerConfig{parse_optimizer_kind(cc.optimizer), cc.momentum, cc.weight_decay},
        model->params().size());
    double max_loss_error = 0.0;
    for (int step = 0; step < steps; ++step) {
        const double loss = model->loss_and_gradient(images.data() + step * n * image_size,
                                                     labels.data() + step * n, n, true);
        const double torch_loss = result["losses"][step].get<double>();
        max_loss_error =
            std::max(max_loss_error, std::abs(loss - torch_loss) / std::abs(torch_loss));
        if (step == 0) {
            const double grad_error =
                max_tensor_error(model->param_layout(),
                                 std::vector<float>(model->grads().begin(), model->grads().end()),
                                 read_raw(dir / "grads.f32"), &worst);
            CAPTURE(worst);
            CHECK(grad_error < tolerance);
            if (!model->buffer_layout().empty()) {
                const double buffer_error = max_tensor_error(
                    model->buffer_layout(),
                    std::vector<float>(model->buffers().begin(), model->buffers().end()),
                    read_raw(dir / "buffers_after_first.f32"), &worst);
                CAPTURE(worst);
                CHECK(buffer_error < tolerance);
            }
        }
        optimizer.step(model->params(), model->grads(), lr);
    }
    CHECK(max_loss_error < tolerance);
    // Parameters after the steps: the engine's and PyTorch's trajectories agree to 1e-4 of the
    // distance travelled, ‖x_engine − x_torch‖ / ‖x_torch − x_0‖ over all parameters. (Per tensor,
    // batch-norm biases start at 0 and their gradients are cancelling sums, so float rounding
    // alone moves them by up to ~1e-4 of their size after five momentum steps.)
    const std::vector<float> torch_params = read_raw(dir / "params_after.f32");
    double travel = 0.0, gap = 0.0;
    for (std::size_t i = 0; i < torch_params.size(); ++i) {
        travel += std::pow(double(torch_params[i]) - double(initial_params[i]), 2);
        gap += std::pow(double(torch_params[i]) - double(model->params()[i]), 2);
    }
    const double params_error = std::sqrt(gap / travel);
    const double params_tensor_error = max_tensor_error(
        model->param_layout(), std::vector<float>(model->params().begin(), model->params().end()),
        torch_params, &worst);
    CAPTURE(worst, params_tensor_error);
    CHECK(params_error < tolerance);
    model->evaluate(images.data(), labels.data(), n, nullptr, eval_logits.data());
    const double eval_after = error_against(
        eval_logits.data(), read_raw(dir / "eval_logits_after.f32").data(), eval_logits.size());
    CHECK(eval_after < tolerance);
    fs::remove_all(dir);
}
