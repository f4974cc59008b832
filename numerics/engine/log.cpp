#include "numerics/engine/log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace fs = std::filesystem;

namespace {

std::FILE* open_or_throw(const fs::path& p, const char* mode) {
    std::FILE* f = std::fopen(p.c_str(), mode);
    if (f == nullptr)
        throw std::runtime_error(p.string() + ": cannot open: " + std::strerror(errno));
    return f;
}

void write_or_throw(std::FILE* f, const std::string& s, const fs::path& p) {
    if (std::fwrite(s.data(), 1, s.size(), f) != s.size())
        throw std::runtime_error(p.string() + ": write failed: " + std::strerror(errno));
}

}  // namespace

RunLog::~RunLog() {
    close();
}

void RunLog::close() {
    if (steps_) std::fclose(steps_);
    if (epochs_) std::fclose(epochs_);
    steps_ = epochs_ = nullptr;
}

void RunLog::start(const fs::path& dir, const std::string& csv_header) {
    close();
    dir_ = dir;
    fs::create_directories(dir);
    steps_ = open_or_throw(dir / "steps.jsonl", "wb");
    epochs_ = open_or_throw(dir / "epochs.csv", "wb");
    write_or_throw(epochs_, csv_header + "\n", dir / "epochs.csv");
    sync();
}

void RunLog::resume(const fs::path& dir, const LogOffsets& offsets) {
    close();
    dir_ = dir;
    const std::pair<fs::path, std::uint64_t> files[] = {{dir / "steps.jsonl", offsets.steps_bytes},
                                                        {dir / "epochs.csv", offsets.epochs_bytes}};
    for (const auto& [path, size] : files) {
        if (!fs::exists(path) || fs::file_size(path) < size)
            throw_input_error(path.string(),
                              "shorter than the checkpoint records; cannot resume "
                              "(the run directory was modified)");
        fs::resize_file(path, size);
    }
    steps_ = open_or_throw(dir / "steps.jsonl", "ab");
    epochs_ = open_or_throw(dir / "epochs.csv", "ab");
}

void RunLog::step(const nlohmann::json& line) {
    if (!steps_) return;
    write_or_throw(steps_, line.dump() + "\n", dir_ / "steps.jsonl");
    const auto now = std::chrono::steady_clock::now();
    if (now - last_flush_ >= std::chrono::seconds(2)) {
        std::fflush(steps_);
        last_flush_ = now;
    }
}

void RunLog::epoch(const std::string& csv_row) {
    if (epochs_) write_or_throw(epochs_, csv_row + "\n", dir_ / "epochs.csv");
}

LogOffsets RunLog::sync() {
    LogOffsets o;
    if (!steps_) return o;
    for (std::FILE* f : {steps_, epochs_}) {
        std::fflush(f);
        ::fsync(::fileno(f));
    }
    o.steps_bytes = static_cast<std::uint64_t>(std::ftell(steps_));
    o.epochs_bytes = static_cast<std::uint64_t>(std::ftell(epochs_));
    return o;
}

}  // namespace gradcert::engine
