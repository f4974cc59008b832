// Training throughput of the SGD engine: full steps (forward, backward, SGD update) on random
// 3×32×32 (or given) inputs, images per second as the median of repeated timings, plus the work
// rate: multiply-add FLOPs of the convolutions and linear layers (forward, input gradient except
// for the first layer, weight gradient) per second.
//
//   bench_sgd [--models mlp,cnn-small,resnet8,resnet20] [--batches 32,128] [--threads 2]
//             [--seconds 2] [--repeats 3] [--channels 3] [--size 32] [--classes 10]
//
// Prints one line per (model, batch): `model batch img_per_s gflops step_ms img_per_cpu_s`
// (whitespace separated; tests/bench/sgd_vs_torch.py parses it; the last column divides by the
// process CPU time, all threads together, which is steadier than wall time on a loaded machine).
// Timings on a shared machine are noisy: compare only runs made side by side.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "numerics/engine/isa.hpp"
#include "numerics/engine/layer_conv.hpp"
#include "numerics/engine/model.hpp"
#include "numerics/engine/model_zoo.hpp"
#include "numerics/engine/optimizer.hpp"
#include "numerics/engine/threads.hpp"

using namespace gradcert::engine;

namespace {

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
    return parts;
}

// Multiply-add FLOPs (2 per multiply-add) per image of one training step's convolutions and
// linear layers: forward, weight gradient, and the input gradient wherever the engine computes it
// (not for the first layer).
double step_gemm_flops_per_image(const Architecture& arch) {
    double flops = 0.0;
    for (const LayerSpec& layer : arch.layers) {
        if (layer.kind != LayerKind::conv && layer.kind != LayerKind::linear) continue;
        const TensorShape& in = arch.tensors[layer.input];
        const TensorShape& out = arch.tensors[layer.output];
        const double forward =
            2.0 * double(in.per_example()) * out.per_example() /
            (layer.kind == LayerKind::conv ? double(in.h) * in.w : 1.0) *
            (layer.kind == LayerKind::conv ? double(layer.kernel * layer.kernel) : 1.0);
        const bool input_gradient = layer.input != 0 && arch.layers.front().output != layer.input;
        flops += forward * (input_gradient ? 3.0 : 2.0);
    }
    return flops;
}

struct Options {
    std::vector<std::string> models = {"mlp", "cnn-small", "resnet8", "resnet20"};
    std::vector<int> batches = {32, 128};
    int threads = 2, repeats = 3, channels = 3, size = 32, classes = 10;
    double seconds = 2.0;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--models")
            o.models = split(value);
        else if (key == "--batches") {
            o.batches.clear();
            for (const std::string& b : split(value)) o.batches.push_back(std::stoi(b));
        } else if (key == "--threads")
            o.threads = std::stoi(value);
        else if (key == "--repeats")
            o.repeats = std::stoi(value);
        else if (key == "--seconds")
            o.seconds = std::stod(value);
        else if (key == "--channels")
            o.channels = std::stoi(value);
        else if (key == "--size")
            o.size = std::stoi(value);
        else if (key == "--classes")
            o.classes = std::stoi(value);
        else {
            std::fprintf(stderr, "bench_sgd: unknown option %s\n", key.c_str());
            std::exit(2);
        }
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    if (!cpu_supports_engine_isa()) {
        std::fprintf(stderr, "bench_sgd: the engine needs an %s CPU, which this machine is not\n",
                     kEngineIsaLevel);
        return 2;
    }
    set_threads(o.threads);
    std::printf("# model batch img_per_s gflops step_ms img_per_cpu_s (threads %d, median of %d)\n",
                o.threads, o.repeats);
    for (const std::string& name : o.models) {
        for (int batch : o.batches) {
            const ModelSpec spec{name, o.channels, o.size, o.size, o.classes, 1};
            auto model = make_model(spec, 1);
            const double flops = step_gemm_flops_per_image(build_architecture(spec));
            const std::size_t image_size = std::size_t(o.channels) * o.size * o.size;
            std::mt19937 rng(5);
            std::normal_distribution<float> normal;
            std::vector<float> images(image_size * batch);
            for (float& v : images) v = normal(rng);
            std::vector<std::int32_t> labels(batch);
            for (int i = 0; i < batch; ++i) labels[i] = i % o.classes;
            Optimizer sgd(OptimizerConfig{}, model->params().size());
            auto step = [&] {
                model->loss_and_gradient(images.data(), labels.data(), batch, true);
                sgd.step(model->params(), model->grads(), 0.01);
            };
            step();
            step();
            std::vector<double> rates, cpu_rates;
            for (int r = 0; r < o.repeats; ++r) {
                int steps = 0;
                const std::clock_t cpu_start = std::clock();
                const auto start = std::chrono::steady_clock::now();
                double elapsed = 0.0;
                while (steps < 3 || elapsed < o.seconds) {
                    step();
                    ++steps;
                    elapsed =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                            .count();
                }
                rates.push_back(steps * batch / elapsed);
                const double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
                cpu_rates.push_back(steps * batch / cpu);
            }
            std::sort(rates.begin(), rates.end());
            std::sort(cpu_rates.begin(), cpu_rates.end());
            const double rate = rates[rates.size() / 2];
            std::printf("%s %d %.1f %.1f %.2f %.1f\n", name.c_str(), batch, rate,
                        rate * flops * 1e-9, 1e3 * batch / rate, cpu_rates[cpu_rates.size() / 2]);
            std::fflush(stdout);
        }
    }
    return 0;
}
