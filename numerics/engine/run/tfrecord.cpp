#include "numerics/engine/run/tfrecord.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <span>

#include "numerics/engine/run/crc32c.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine::run {

namespace {

std::uint64_t read_le(const unsigned char* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

[[noreturn]] void fail(const std::string& file, std::uint64_t offset, const std::string& what) {
    throw_input_error(file, fmt::format("record at byte offset {}: {}", offset, what));
}

}  // namespace

std::vector<TfRecord> split_tfrecords(const std::vector<unsigned char>& bytes,
                                      const std::string& file) {
    std::vector<TfRecord> records;
    const std::uint64_t size = bytes.size();
    std::uint64_t pos = 0;
    while (pos < size) {
        if (size - pos < 12)
            fail(file, pos, fmt::format("truncated header ({} of 12 bytes)", size - pos));
        const unsigned char* h = bytes.data() + pos;
        const std::uint64_t length = read_le(h, 8);
        const auto length_crc = static_cast<std::uint32_t>(read_le(h + 8, 4));
        if (mask_crc(crc32c(std::span(h, 8))) != length_crc)
            fail(file, pos, "length CRC-32C mismatch (corrupted file)");
        if (length > kMaxRecordBytes)
            fail(file, pos,
                 fmt::format("length {} exceeds the {} byte limit", length, kMaxRecordBytes));
        if (size - pos - 12 < length + 4)
            fail(file, pos,
                 fmt::format("truncated: {} data bytes and a 4-byte CRC announced, {} bytes left",
                             length, size - pos - 12));
        const unsigned char* d = h + 12;
        const auto data_crc = static_cast<std::uint32_t>(read_le(d + length, 4));
        if (mask_crc(crc32c(std::span(d, length))) != data_crc)
            fail(file, pos, "data CRC-32C mismatch (corrupted file)");
        records.push_back({pos, std::vector<unsigned char>(d, d + length)});
        pos += 12 + length + 4;
    }
    return records;
}

std::vector<TfRecord> read_tfrecord_file(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(file, "cannot read");
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                           std::istreambuf_iterator<char>());
    return split_tfrecords(bytes, file);
}

}  // namespace gradcert::engine::run
