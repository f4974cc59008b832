#pragma once
// Training checkpoints: one binary file written atomically (numerics/util/atomic_file.hpp), so a
// run killed at any moment leaves either the previous or the new checkpoint, never a torn one.
//
// Layout: the 8 magic bytes "GCCKPT1\n"; the header length L (uint64, little endian); L bytes of
// JSON (counters, schedule position, RNG description, log offsets, the configuration, and the
// list of float blobs with their element counts); the blobs' float32 data in that order (little
// endian, as in memory); a trailing uint64 FNV-1a hash of every preceding byte.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace gradcert::engine {

struct Checkpoint {
    nlohmann::json header;  // free-form; "blobs" is reserved for the blob table
    std::vector<std::pair<std::string, std::vector<float>>> blobs;

    // The blob named `name`; throws std::out_of_range if absent.
    const std::vector<float>& blob(const std::string& name) const;
};

void write_checkpoint(const std::filesystem::path& file, const Checkpoint& ckpt);

// Throws gradcert::InputError naming the file for a missing, truncated, corrupt (hash mismatch)
// or foreign file, and for a blob table that is malformed or claims more values than the file
// holds (a hand-edited file with a recomputed hash). The other header fields are the caller's
// to validate.
Checkpoint read_checkpoint(const std::filesystem::path& file);

}  // namespace gradcert::engine
