#include "numerics/engine/checkpoint.hpp"

#include <bit>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'G', 'C', 'C', 'K', 'P', 'T', '1', '\n'};

std::uint64_t fnv1a(const char* p, std::size_t n) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= static_cast<unsigned char>(p[i]);
        h *= 0x100000001b3ULL;
    }
    return h;
}

void append_u64(std::string& s, std::uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    s.append(b, 8);
}

std::uint64_t read_u64(const char* p) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
        v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
    return v;
}

}  // namespace

const std::vector<float>& Checkpoint::blob(const std::string& name) const {
    for (const auto& [n, data] : blobs)
        if (n == name) return data;
    throw std::out_of_range("checkpoint has no blob \"" + name + "\"");
}

void write_checkpoint(const fs::path& file, const Checkpoint& ckpt) {
    static_assert(std::endian::native == std::endian::little, "checkpoints assume little endian");
    nlohmann::json header = ckpt.header;
    header["blobs"] = nlohmann::json::array();
    for (const auto& [name, data] : ckpt.blobs)
        header["blobs"].push_back({{"name", name}, {"count", data.size()}});
    const std::string text = header.dump();
    std::string out(kMagic, sizeof kMagic);
    append_u64(out, text.size());
    out += text;
    for (const auto& [name, data] : ckpt.blobs)
        out.append(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float));
    append_u64(out, fnv1a(out.data(), out.size()));
    write_file_atomically(file, out);
}

Checkpoint read_checkpoint(const fs::path& file) {
    const std::string name = file.string();
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(name, "cannot open checkpoint");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    if (bytes.size() < 24 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw_input_error(name, "not a gradcert checkpoint (bad magic)");
    const std::size_t body = bytes.size() - 8;
    if (read_u64(bytes.data() + body) != fnv1a(bytes.data(), body))
        throw_input_error(name, "checkpoint is corrupt (hash mismatch)");
    const std::uint64_t header_len = read_u64(bytes.data() + 8);
    if (16 + header_len > body) throw_input_error(name, "checkpoint header is truncated");
    Checkpoint c;
    try {
        c.header = nlohmann::json::parse(
            bytes.begin() + 16, bytes.begin() + 16 + static_cast<std::ptrdiff_t>(header_len));
    } catch (const nlohmann::json::exception& e) {
        throw_input_error(name, std::string("checkpoint header is not JSON: ") + e.what());
    }
    if (!c.header.is_object()) throw_input_error(name, "checkpoint header is not a JSON object");
    std::size_t pos = 16 + header_len;
    try {
        const nlohmann::json& table = c.header.at("blobs");
        if (!table.is_array()) throw_input_error(name, "checkpoint \"blobs\" is not a list");
        for (const auto& b : table) {
            const auto count = b.at("count").get<std::uint64_t>();
            // Compared by division: count * sizeof(float) may overflow.
            if (count > (body - pos) / sizeof(float))
                throw_input_error(name, "checkpoint blob \"" + b.at("name").get<std::string>() +
                                            "\" claims " + std::to_string(count) +
                                            " values, more than the file holds");
            std::vector<float> data(count);
            std::memcpy(data.data(), bytes.data() + pos, count * sizeof(float));
            pos += count * sizeof(float);
            c.blobs.emplace_back(b.at("name").get<std::string>(), std::move(data));
        }
    } catch (const nlohmann::json::exception& e) {
        throw_input_error(name, std::string("checkpoint blob table is malformed: ") + e.what());
    }
    if (pos != body) throw_input_error(name, "checkpoint has trailing bytes");
    c.header.erase("blobs");
    return c;
}

}  // namespace gradcert::engine
