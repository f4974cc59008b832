#pragma once
// Output paths of the subcommands, validated before any work so that bad input exits 2 at once
// instead of after minutes of computation (and never after another output was written).
#include <filesystem>
#include <string>

namespace gradcert::driver {

// Throws InputError("<option> <path>: <problem>") unless `path` can be written as a file: it is
// not a directory, not under /proc, /sys or /dev, its parent directory exists and is writable,
// and an existing `path` is a regular file.
void require_writable_file(const std::string& option, const std::filesystem::path& path);

// Throws InputError("<option> <path>: <problem>") unless `path` is a writable directory or can be
// created as one: no existing component on the way is a file, it is not under /proc, /sys or
// /dev, and its deepest existing ancestor is a writable directory.
void require_writable_directory(const std::string& option, const std::filesystem::path& path);

}  // namespace gradcert::driver
