#include "numerics/util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace gradcert {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& what) {
    throw std::runtime_error(path.string() + ": " + what + ": " + std::strerror(errno));
}

void write_all(int fd, std::string_view content, const fs::path& path) {
    const char* p = content.data();
    size_t left = content.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path, "cannot write");
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
}

}  // namespace

void write_file_atomically(const fs::path& path, std::string_view content) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    std::string tmpl = path.string() + ".tmp.XXXXXX";
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) fail(path, "cannot create temporary file");
    try {
        write_all(fd, content, path);
        if (::fsync(fd) != 0) fail(path, "cannot sync");
    } catch (...) {
        ::close(fd);
        ::unlink(tmpl.c_str());
        throw;
    }
    ::fchmod(fd, 0644);
    if (::close(fd) != 0) {
        ::unlink(tmpl.c_str());
        fail(path, "cannot close");
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        ::unlink(tmpl.c_str());
        fail(path, "cannot rename into place");
    }
}

void replace_directory(const fs::path& staged, const fs::path& dest) {
    if (dest.has_parent_path()) fs::create_directories(dest.parent_path());
    fs::path old = dest;
    old += ".old";
    std::error_code ec;
    fs::remove_all(old, ec);
    bool had_dest = fs::exists(dest);
    if (had_dest) fs::rename(dest, old);
    fs::rename(staged, dest);
    if (had_dest) fs::remove_all(old, ec);
}

}  // namespace gradcert
