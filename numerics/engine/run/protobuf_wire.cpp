#include "numerics/engine/run/protobuf_wire.hpp"

#include <bit>
#include <vector>

namespace gradcert::engine::run {

std::uint64_t WireReader::read_varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (pos_ >= data_.size()) throw WireError("varint runs past the end of the message");
        const unsigned char byte = data_[pos_++];
        if (shift == 63 && (byte & 0x7EU)) throw WireError("varint overflows 64 bits");
        v |= std::uint64_t(byte & 0x7FU) << shift;
        if (!(byte & 0x80U)) return v;
    }
    throw WireError("varint longer than 10 bytes");
}

bool WireReader::next(WireField& f) {
    if (pos_ >= data_.size()) return false;
    const std::uint64_t key = read_varint();
    if ((key >> 3) == 0 || (key >> 3) > 0x1FFFFFFFU) throw WireError("invalid field number");
    f.number = static_cast<std::uint32_t>(key >> 3);
    f.bytes = {};
    f.varint = 0;
    auto take = [&](std::size_t n) {
        if (data_.size() - pos_ < n) throw WireError("field runs past the end of the message");
        const std::span<const unsigned char> s = data_.subspan(pos_, n);
        pos_ += n;
        return s;
    };
    auto little_endian = [](std::span<const unsigned char> s) {
        std::uint64_t v = 0;
        for (std::size_t i = s.size(); i-- > 0;) v = (v << 8) | s[i];
        return v;
    };
    switch (key & 7U) {
        case 0:
            f.type = WireType::varint;
            f.varint = read_varint();
            return true;
        case 1:
            f.type = WireType::fixed64;
            f.varint = little_endian(take(8));
            return true;
        case 2: {
            f.type = WireType::length_delimited;
            const std::uint64_t n = read_varint();
            if (n > data_.size() - pos_) throw WireError("length runs past the end of the message");
            f.bytes = take(static_cast<std::size_t>(n));
            return true;
        }
        case 5:
            f.type = WireType::fixed32;
            f.varint = little_endian(take(4));
            return true;
        default:
            throw WireError("unsupported wire type " + std::to_string(key & 7U));
    }
}

double as_double(const WireField& f) {
    if (f.type != WireType::fixed64) throw WireError("a double field is not fixed64");
    return std::bit_cast<double>(f.varint);
}

float as_float(const WireField& f) {
    if (f.type != WireType::fixed32) throw WireError("a float field is not fixed32");
    return std::bit_cast<float>(static_cast<std::uint32_t>(f.varint));
}

bool unpack_floats(std::span<const unsigned char> bytes, std::vector<float>& out) {
    if (bytes.size() % 4 != 0) return false;
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
        const std::uint32_t bits = std::uint32_t(bytes[i]) | std::uint32_t(bytes[i + 1]) << 8 |
                                   std::uint32_t(bytes[i + 2]) << 16 |
                                   std::uint32_t(bytes[i + 3]) << 24;
        out.push_back(std::bit_cast<float>(bits));
    }
    return true;
}

}  // namespace gradcert::engine::run
