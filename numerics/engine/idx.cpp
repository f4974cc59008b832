#include "numerics/engine/idx.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_gzip_file(const fs::path& file) {
    if (!fs::exists(file)) throw_input_error(file.string(), "file not found");
    gzFile gz = gzopen(file.c_str(), "rb");
    if (gz == nullptr) throw_input_error(file.string(), "cannot open");
    gzbuffer(gz, 1 << 20);
    std::vector<std::uint8_t> out;
    std::vector<std::uint8_t> chunk(1 << 20);
    for (;;) {
        const int n = gzread(gz, chunk.data(), static_cast<unsigned>(chunk.size()));
        if (n < 0) {
            int err = 0;
            std::string msg = gzerror(gz, &err);
            gzclose(gz);
            throw_input_error(file.string(), "corrupt gzip data (" + msg + ")");
        }
        if (n == 0) break;
        out.insert(out.end(), chunk.begin(), chunk.begin() + n);
    }
    // zlib reports a gzip stream cut short as Z_BUF_ERROR at end of input.
    int err = Z_OK;
    const char* msg = gzerror(gz, &err);
    const std::string message = msg ? msg : "";
    gzclose(gz);
    if (err != Z_OK && err != Z_STREAM_END)
        throw_input_error(file.string(), "truncated or corrupt gzip data (" + message + ")");
    return out;
}

namespace {

std::uint32_t big_endian_u32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

}  // namespace

IdxArray read_idx(const fs::path& file, int expected_dims) {
    std::vector<std::uint8_t> bytes = read_gzip_file(file);
    const std::string name = file.string();
    if (bytes.size() < 4) throw_input_error(name, "too short for an IDX header (not an IDX file)");
    if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08)
        throw_input_error(name, fmt::format("not an unsigned-byte IDX file (magic {:02x} {:02x} "
                                            "{:02x} {:02x}, expected 00 00 08 {:02x})",
                                            bytes[0], bytes[1], bytes[2], bytes[3], expected_dims));
    if (bytes[3] != expected_dims)
        throw_input_error(
            name, fmt::format("IDX file has {} dimensions, expected {}", bytes[3], expected_dims));
    const std::size_t header = 4 + 4 * static_cast<std::size_t>(expected_dims);
    if (bytes.size() < header) throw_input_error(name, "truncated IDX header");
    IdxArray a;
    std::uint64_t count = 1;
    for (int k = 0; k < expected_dims; ++k) {
        const std::uint32_t dk = big_endian_u32(bytes.data() + 4 + 4 * k);
        if (dk == 0 || dk > (1u << 30))
            throw_input_error(name, fmt::format("implausible IDX dimension {} = {}", k, dk));
        a.dims.push_back(static_cast<int>(dk));
        count *= dk;
    }
    const std::uint64_t expected = header + count;
    if (bytes.size() < expected)
        throw_input_error(name, fmt::format("truncated: {} bytes after decompression, the header "
                                            "announces {}",
                                            bytes.size(), expected));
    if (bytes.size() > expected)
        throw_input_error(name, fmt::format("{} bytes after decompression, the header announces "
                                            "{} (trailing data)",
                                            bytes.size(), expected));
    a.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
    return a;
}

fs::path default_fashion_mnist_dir() {
    return "/usr/share/datasets/fashion-mnist";
}

namespace {

fs::path find_idx_file(const fs::path& dir, const std::string& stem) {
    fs::path gz = dir / (stem + ".gz");
    if (fs::exists(gz)) return gz;
    fs::path plain = dir / stem;
    if (fs::exists(plain)) return plain;
    throw_input_error(gz.string(), "file not found (nor " + plain.filename().string() +
                                       "); install the Debian package dataset-fashion-mnist "
                                       "or set [data] path");
}

Dataset load_fashion_split(const fs::path& dir, const std::string& prefix, int n,
                           const std::string& name) {
    const fs::path images_file = find_idx_file(dir, prefix + "-images-idx3-ubyte");
    const fs::path labels_file = find_idx_file(dir, prefix + "-labels-idx1-ubyte");
    IdxArray images = read_idx(images_file, 3);
    IdxArray labels = read_idx(labels_file, 1);
    if (images.dims[0] != n || images.dims[1] != 28 || images.dims[2] != 28)
        throw_input_error(images_file.string(),
                          fmt::format("expected {}×28×28 images, found {}×{}×{}", n, images.dims[0],
                                      images.dims[1], images.dims[2]));
    if (labels.dims[0] != n)
        throw_input_error(labels_file.string(),
                          fmt::format("expected {} labels, found {}", n, labels.dims[0]));
    Dataset d;
    d.name = name;
    d.channels = 1;
    d.height = 28;
    d.width = 28;
    d.classes = 10;
    d.pixels = std::move(images.data);
    d.labels.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const std::uint8_t y = labels.data[static_cast<std::size_t>(i)];
        if (y >= 10)
            throw_input_error(labels_file.string(),
                              fmt::format("label {} of example {} is outside [0, 10)", y, i));
        d.labels[static_cast<std::size_t>(i)] = y;
    }
    d.mean = {0.28604f};
    d.stddev = {0.35302f};
    return d;
}

}  // namespace

DataSplit load_fashion_mnist(const fs::path& dir) {
    DataSplit s;
    s.train = load_fashion_split(dir, "train", 60000, "fashion-mnist/train");
    s.test = load_fashion_split(dir, "t10k", 10000, "fashion-mnist/test");
    return s;
}

}  // namespace gradcert::engine
