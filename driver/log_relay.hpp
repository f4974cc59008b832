#pragma once
// Follows the log file a child task writes and prints the lines it appends, each prefixed, on
// stdout: how `gradcert task DIR --all` and `gradcert report` show the progress of tasks that run
// as child processes with their output in DIR/logs (docs/cluster.md, "Sweeps").
#include <cstdint>
#include <filesystem>
#include <string>

namespace gradcert::driver {

class LogRelay {
  public:
    // Relays only what is appended after construction (a log of an earlier attempt is skipped).
    LogRelay(std::filesystem::path log, std::string prefix);

    // Prints every complete line appended since the last call; with `final`, also a trailing
    // line without its newline (call it once the writer has exited).
    void relay(bool final = false);

  private:
    std::filesystem::path log_;
    std::string prefix_;
    std::uintmax_t offset_ = 0;
    std::string pending_;  // an incomplete last line
};

}  // namespace gradcert::driver
