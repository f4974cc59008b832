#pragma once
// Atomic file output: content is written to a temporary file in the same directory, flushed,
// fsync'ed and renamed over the destination, so a reader (or a crash) never sees a partial file.
#include <filesystem>
#include <string_view>

namespace gradcert {

// Writes `content` to `path` atomically; creates parent directories. Throws std::runtime_error
// naming the path on any I/O failure (the destination is then untouched).
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Replaces directory `dest` with the fully written directory `staged` (same filesystem): the old
// `dest`, if any, is renamed aside first and removed after the swap.
void replace_directory(const std::filesystem::path& staged, const std::filesystem::path& dest);

}  // namespace gradcert
