#pragma once
// TFRecord framing (the container of TensorBoard event files). Each record is
//   uint64 length (little-endian) | uint32 masked_crc32c(length bytes) | data[length] |
//   uint32 masked_crc32c(data)
// with the CRCs of crc32c.hpp. The whole file must consist of complete records.
#include <cstdint>
#include <string>
#include <vector>

namespace gradcert::engine::run {

struct TfRecord {
    std::uint64_t offset = 0;  // byte offset of the record's length field in the file
    std::vector<unsigned char> data;
};

// Largest record accepted (a bound against a corrupted length that passed its CRC by chance,
// 1 in 2^32); TensorBoard scalar records are a few dozen bytes.
inline constexpr std::uint64_t kMaxRecordBytes = std::uint64_t(1) << 30;

// Splits `bytes` into records. Throws InputError("<file>: record at byte offset N: …") for a
// truncated header, length CRC mismatch, oversized length, truncated data or data CRC mismatch.
std::vector<TfRecord> split_tfrecords(const std::vector<unsigned char>& bytes,
                                      const std::string& file);

// Reads the file and splits it (InputError if it cannot be read).
std::vector<TfRecord> read_tfrecord_file(const std::string& file);

}  // namespace gradcert::engine::run
