#pragma once
// A bounded reader of the protocol-buffer wire format, enough to decode TensorBoard events
// (tf_event.hpp) without a protobuf dependency. A message is a sequence of fields
//   key = varint (field_number << 3 | wire_type), then by wire type:
//   0 varint, 1 fixed 8 bytes (little-endian), 2 varint length + bytes, 5 fixed 4 bytes.
// Groups (types 3, 4), varints longer than 10 bytes, field number 0 and lengths past the end
// are malformed. Every read is bounds-checked; errors throw WireError (the caller adds the file
// and record offset).
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace gradcert::engine::run {

class WireError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class WireType : std::uint8_t { varint = 0, fixed64 = 1, length_delimited = 2, fixed32 = 5 };

struct WireField {
    std::uint32_t number = 0;
    WireType type = WireType::varint;
    std::uint64_t varint = 0;              // varint value, or the raw bits of fixed32/fixed64
    std::span<const unsigned char> bytes;  // length-delimited payload
};

class WireReader {
  public:
    explicit WireReader(std::span<const unsigned char> data) : data_(data) {}
    // Reads the next field into `f`; false at the end of the message.
    bool next(WireField& f);

  private:
    std::uint64_t read_varint();
    std::span<const unsigned char> data_;
    std::size_t pos_ = 0;
};

double as_double(const WireField& f);  // fixed64 bits as an IEEE double
float as_float(const WireField& f);    // fixed32 bits as an IEEE float
// Packed repeated fixed32 floats of a length-delimited payload; false if not a multiple of 4.
bool unpack_floats(std::span<const unsigned char> bytes, std::vector<float>& out);

}  // namespace gradcert::engine::run
