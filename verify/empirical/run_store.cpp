#include "verify/empirical/run_store.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "numerics/engine/config.hpp"
#include "numerics/util/atomic_file.hpp"

namespace fs = std::filesystem;

namespace gradcert::verify {

void prepare_work_directory(const fs::path& work, bool resume) {
    if (!resume) fs::remove_all(work);
    fs::create_directories(work);
}

std::string json_hash(const nlohmann::json& j) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : j.dump()) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return fmt::format("{:016x}", h);
}

std::string run_directory_name(const std::string& label, const engine::TrainConfig& cfg) {
    return label + "-" + json_hash(engine::config_to_json(cfg)).substr(0, 12);
}

void print_run_progress(const RunProgress& progress, const std::string& what) {
    fmt::print(stderr, "report: {} run {} of {} ({}): {}\n", progress.experiment, progress.index,
               progress.count, progress.label, what);
    std::fflush(stderr);
}

engine::TrainResult train_resumable(const engine::TrainConfig& cfg, const engine::DataSplit& data,
                                    const fs::path& dir, int stop_after_epoch,
                                    const RunProgress* progress) {
    engine::TrainOptions options;
    options.resume = true;  // a fresh start when `dir` holds no checkpoint
    options.stop_after_epoch = stop_after_epoch;
    if (progress != nullptr) {
        const int last = stop_after_epoch > 0 ? stop_after_epoch : cfg.run.epochs;
        print_run_progress(*progress,
                           fmt::format("up to epoch {} (resumed where a checkpoint exists)", last));
        options.on_epoch = [progress, last](const engine::EpochRecord& e) {
            print_run_progress(*progress, fmt::format("epoch {}/{}, test accuracy {:.4f}, {:.0f} s",
                                                      e.epoch, last, e.test_acc, e.wall_seconds));
            return true;
        };
    }
    return engine::train(cfg, data, dir, options);
}

std::optional<nlohmann::json> load_cached_result(const fs::path& file, const std::string& key) {
    std::ifstream in(file);
    if (!in) return std::nullopt;
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("key") || !j.contains("result") ||
        j.at("key") != key)
        return std::nullopt;
    return j.at("result");
}

void store_cached_result(const fs::path& file, const std::string& key,
                         const nlohmann::json& result) {
    write_file_atomically(file, nlohmann::json{{"key", key}, {"result", result}}.dump() + "\n");
}

}  // namespace gradcert::verify
