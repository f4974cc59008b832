#include "numerics/engine/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace gradcert::engine {

Progress::Progress(ProgressMode mode, std::FILE* out) : out_(out) {
    if (mode == ProgressMode::automatic)
        mode = ::isatty(::fileno(out)) ? ProgressMode::bar : ProgressMode::lines;
    bar_ = mode == ProgressMode::bar;
    lines_ = mode == ProgressMode::lines;
}

void Progress::begin_epoch(int epoch, int epochs, int steps, double lr, int batch) {
    epoch_ = epoch;
    epochs_ = epochs;
    steps_ = steps;
    lr_ = lr;
    batch_ = batch;
    if (lines_)
        std::fprintf(out_, "epoch %d/%d: %d steps, lr %.6g, batch %d\n", epoch, epochs, steps, lr,
                     batch);
}

void Progress::step(int done, double loss, double images_per_second) {
    const auto now = std::chrono::steady_clock::now();
    if (lines_) {
        // Plain output: one line every 30 s, so that logs of long epochs show progress.
        if (last_draw_ == std::chrono::steady_clock::time_point{}) last_draw_ = now;
        if (now - last_draw_ >= std::chrono::seconds(30) && done != steps_) {
            last_draw_ = now;
            std::fprintf(out_, "  epoch %d step %d/%d loss %.4f %.0f img/s\n", epoch_, done, steps_,
                         loss, images_per_second);
            std::fflush(out_);
        }
        return;
    }
    if (!bar_) return;
    if (done != steps_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr int width = 30;
    const int filled = steps_ > 0 ? width * done / steps_ : width;
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(width - filled), '.');
    std::fprintf(out_, "\r\033[Kepoch %d/%d [%s] %d/%d loss %.4f %.0f img/s", epoch_, epochs_,
                 bar.c_str(), done, steps_, loss, images_per_second);
    std::fflush(out_);
    bar_visible_ = true;
}

void Progress::clear_bar() {
    if (bar_visible_) std::fprintf(out_, "\r\033[K");
    bar_visible_ = false;
}

void Progress::message(const std::string& line) {
    if (!bar_ && !lines_) return;
    clear_bar();
    std::fprintf(out_, "%s\n", line.c_str());
    std::fflush(out_);
}

void Progress::end_epoch(const std::string& summary) {
    message(summary);
}

}  // namespace gradcert::engine
