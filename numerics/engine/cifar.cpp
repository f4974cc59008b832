#include "numerics/engine/cifar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace fs = std::filesystem;

void read_cifar_file(const fs::path& file, int records, int label_bytes, int classes,
                     Dataset& out) {
    const std::string name = file.string();
    if (!fs::exists(file)) throw_input_error(name, "file not found");
    const std::uintmax_t record_size =
        static_cast<std::uintmax_t>(label_bytes) + kCifarRecordPixels;
    const std::uintmax_t expected = record_size * static_cast<std::uintmax_t>(records);
    const std::uintmax_t actual = fs::file_size(file);
    if (actual != expected) {
        const std::string what = actual < expected ? "truncated" : "not a CIFAR binary file";
        throw_input_error(name, fmt::format("{}: {} bytes, expected exactly {} ({} records of {} "
                                            "bytes)",
                                            what, actual, expected, records, record_size));
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(name, "cannot open");
    std::vector<char> buf(static_cast<std::size_t>(expected));
    if (!in.read(buf.data(), static_cast<std::streamsize>(expected)))
        throw_input_error(name, "read failed (file shrank while reading?)");
    const std::size_t base = out.labels.size();
    out.labels.resize(base + static_cast<std::size_t>(records));
    out.pixels.resize(out.labels.size() * kCifarRecordPixels);
    for (int r = 0; r < records; ++r) {
        const auto* rec = reinterpret_cast<const std::uint8_t*>(buf.data()) +
                          static_cast<std::size_t>(r) * record_size;
        const int label = rec[label_bytes - 1];
        if (label_bytes == 2 && rec[0] >= 20)
            throw_input_error(name, fmt::format("record {}: coarse label {} is outside [0, 20) "
                                                "(not a CIFAR-100 file?)",
                                                r, rec[0]));
        if (label >= classes)
            throw_input_error(name, fmt::format("record {}: label {} is outside [0, {}) (not a "
                                                "CIFAR-{} file?)",
                                                r, label, classes, classes));
        out.labels[base + static_cast<std::size_t>(r)] = label;
        std::copy_n(rec + label_bytes, kCifarRecordPixels,
                    out.pixels.data() + (base + static_cast<std::size_t>(r)) * kCifarRecordPixels);
    }
}

namespace {

Dataset empty_cifar(const std::string& name, int classes) {
    Dataset d;
    d.name = name;
    d.channels = 3;
    d.height = 32;
    d.width = 32;
    d.classes = classes;
    return d;
}

void check_dir(const fs::path& dir, const std::string& dataset) {
    if (!fs::is_directory(dir))
        throw_input_error(dir.string(),
                          "no such directory (" + dataset + " binary files; set [data] path)");
}

}  // namespace

DataSplit load_cifar10(const fs::path& dir) {
    check_dir(dir, "CIFAR-10");
    DataSplit s;
    s.train = empty_cifar("cifar10/train", 10);
    for (int k = 1; k <= 5; ++k)
        read_cifar_file(dir / fmt::format("data_batch_{}.bin", k), 10000, 1, 10, s.train);
    s.test = empty_cifar("cifar10/test", 10);
    read_cifar_file(dir / "test_batch.bin", 10000, 1, 10, s.test);
    for (Dataset* d : {&s.train, &s.test}) {
        d->mean = {0.4914f, 0.4822f, 0.4465f};
        d->stddev = {0.2470f, 0.2435f, 0.2616f};
    }
    return s;
}

DataSplit load_cifar100(const fs::path& dir) {
    check_dir(dir, "CIFAR-100");
    DataSplit s;
    s.train = empty_cifar("cifar100/train", 100);
    read_cifar_file(dir / "train.bin", 50000, 2, 100, s.train);
    s.test = empty_cifar("cifar100/test", 100);
    read_cifar_file(dir / "test.bin", 10000, 2, 100, s.test);
    for (Dataset* d : {&s.train, &s.test}) {
        d->mean = {0.5071f, 0.4865f, 0.4409f};
        d->stddev = {0.2673f, 0.2564f, 0.2762f};
    }
    return s;
}

}  // namespace gradcert::engine
