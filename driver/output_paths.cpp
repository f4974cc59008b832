#include "driver/output_paths.hpp"

#include <unistd.h>

#include "numerics/util/error.hpp"

namespace gradcert::driver {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const std::string& option, const fs::path& path,
                         const std::string& problem) {
    throw InputError(option + " " + path.string() + ": " + problem);
}

// Pseudo-filesystems: writing there is never a report (and root may pass access(2) checks).
bool under_pseudo_filesystem(const fs::path& path) {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
    if (ec) return false;
    auto it = p.begin();
    if (it == p.end() || ++it == p.end()) return false;  // skip the root "/"
    const std::string top = it->string();
    return top == "proc" || top == "sys" || top == "dev";
}

bool writable_directory(const fs::path& dir) {
    std::error_code ec;
    return fs::is_directory(dir, ec) && ::access(dir.c_str(), W_OK | X_OK) == 0;
}

}  // namespace

void require_writable_file(const std::string& option, const fs::path& path) {
    if (path.empty()) refuse(option, path, "empty path");
    if (under_pseudo_filesystem(path))
        refuse(option, path, "lies in a system pseudo-filesystem (/proc, /sys, /dev)");
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (fs::is_directory(st)) refuse(option, path, "is a directory (expected a file name)");
    if (fs::exists(st) && !fs::is_regular_file(st)) refuse(option, path, "is not a regular file");
    if (!path.has_filename()) refuse(option, path, "names a directory (expected a file name)");
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::exists(parent, ec))
        refuse(option, path, "directory " + parent.string() + " does not exist");
    if (!writable_directory(parent))
        refuse(option, path, "directory " + parent.string() + " is not a writable directory");
    if (fs::exists(st) && ::access(path.c_str(), W_OK) != 0)
        refuse(option, path, "exists and is not writable");
}

void require_writable_directory(const std::string& option, const fs::path& path) {
    if (path.empty()) refuse(option, path, "empty path");
    if (under_pseudo_filesystem(path))
        refuse(option, path, "lies in a system pseudo-filesystem (/proc, /sys, /dev)");
    std::error_code ec;
    fs::path existing = fs::absolute(path, ec);
    if (ec) refuse(option, path, "cannot be resolved: " + ec.message());
    while (!fs::exists(existing, ec) && existing.has_relative_path())
        existing = existing.parent_path();
    if (!fs::is_directory(existing, ec))
        refuse(option, path,
               existing == fs::absolute(path) ? "exists and is not a directory"
                                              : existing.string() + " is a file, not a directory");
    if (!writable_directory(existing)) refuse(option, path, existing.string() + " is not writable");
}

}  // namespace gradcert::driver
