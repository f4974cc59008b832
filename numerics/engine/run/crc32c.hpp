#pragma once
// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF),
// as used by TFRecord framing, and TensorFlow's masking of stored CRCs:
//   masked(c) = ((c >> 15) | (c << 17)) + 0xA282EAD8   (mod 2^32).
// Check value: crc32c("123456789") = 0xE3069283.
#include <cstdint>
#include <span>

namespace gradcert::engine::run {

std::uint32_t crc32c(std::span<const unsigned char> data);
std::uint32_t mask_crc(std::uint32_t crc);

}  // namespace gradcert::engine::run
