#pragma once
// Training progress on stderr: a one-line bar redrawn in place when stderr is a terminal, plain
// lines otherwise (one at the start and end of each epoch, one every 30 s in between), or
// nothing.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace gradcert::engine {

enum class ProgressMode { automatic, bar, lines, none };

class Progress {
  public:
    explicit Progress(ProgressMode mode, std::FILE* out = stderr);

    void begin_epoch(int epoch, int epochs, int steps, double lr, int batch);
    void step(int done, double loss, double images_per_second);
    void message(const std::string& line);  // a full line (e.g. a probe), keeps the bar intact
    void end_epoch(const std::string& summary);

  private:
    void clear_bar();
    std::FILE* out_;
    bool bar_ = false;
    bool lines_ = false;
    bool bar_visible_ = false;
    int epoch_ = 0, epochs_ = 0, steps_ = 0;
    double lr_ = 0.0;
    int batch_ = 0;
    std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace gradcert::engine
