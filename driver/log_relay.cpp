#include "driver/log_relay.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

namespace gradcert::driver {

namespace fs = std::filesystem;

LogRelay::LogRelay(fs::path log, std::string prefix)
    : log_(std::move(log)), prefix_(std::move(prefix)) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(log_, ec);
    offset_ = ec ? 0 : size;
}

void LogRelay::relay(bool final) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(log_, ec);
    if (!ec && size > offset_) {
        std::ifstream in(log_, std::ios::binary);
        in.seekg(std::streamoff(offset_));
        const std::string chunk{std::istreambuf_iterator<char>(in), {}};
        offset_ += chunk.size();
        pending_ += chunk;
    }
    std::size_t start = 0;
    for (std::size_t nl = pending_.find('\n'); nl != std::string::npos;
         nl = pending_.find('\n', start)) {
        std::cout << prefix_ << std::string_view(pending_).substr(start, nl - start) << '\n';
        start = nl + 1;
    }
    pending_.erase(0, start);
    if (final && !pending_.empty()) {
        std::cout << prefix_ << pending_ << '\n';
        pending_.clear();
    }
    if (start > 0 || final) std::cout.flush();
}

}  // namespace gradcert::driver
