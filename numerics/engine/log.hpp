#pragma once
// The output files of a training run directory:
//  epochs.csv    one header line and one row per finished epoch (train_records.hpp);
//  steps.jsonl   append-only, one JSON object per optimiser step:
//                {"step", "epoch", "lr", "batch", "loss", "acc"} plus "probe": {...} on steps
//                where a probe was taken (probe values carry "estimate": true);
//  manifest.json written atomically (see trainer.hpp).
// The checkpoint records the byte length of both logs; resuming truncates them back to those
// lengths, so lines written after the checkpoint by the interrupted run disappear.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace gradcert::engine {

struct LogOffsets {
    std::uint64_t steps_bytes = 0;
    std::uint64_t epochs_bytes = 0;
};

class RunLog {
  public:
    RunLog() = default;  // disabled: every call is a no-op
    RunLog(const RunLog&) = delete;
    RunLog& operator=(const RunLog&) = delete;
    ~RunLog();

    // Creates (truncating) epochs.csv with its header and an empty steps.jsonl in `dir`.
    void start(const std::filesystem::path& dir, const std::string& csv_header);
    // Reopens the logs of `dir` truncated to `offsets`; throws InputError if a log is shorter
    // than the checkpoint says (it was not written by this run).
    void resume(const std::filesystem::path& dir, const LogOffsets& offsets);

    // Appends one line; the stream is flushed (not fsync'ed) at most every 2 s so that the file
    // can be followed while the run goes on.
    void step(const nlohmann::json& line);
    void epoch(const std::string& csv_row);
    // Flushes and fsyncs both files and returns their lengths.
    LogOffsets sync();
    bool enabled() const { return steps_ != nullptr; }

  private:
    void close();
    std::filesystem::path dir_;
    std::FILE* steps_ = nullptr;
    std::FILE* epochs_ = nullptr;
    std::chrono::steady_clock::time_point last_flush_ = std::chrono::steady_clock::now();
};

}  // namespace gradcert::engine
