// Data loaders: Fashion-MNIST (the Debian package's IDX files), CIFAR-10/100 binary files written
// here, the synthetic dataset, subsets and their errors.
#include <zlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "numerics/engine/cifar.hpp"
#include "numerics/engine/dataset.hpp"
#include "numerics/engine/dataset_synthetic.hpp"
#include "numerics/engine/idx.hpp"
#include "numerics/engine/train_rng.hpp"
#include "numerics/util/error.hpp"

namespace fs = std::filesystem;
using namespace gradcert::engine;
using gradcert::InputError;

namespace {

fs::path fresh_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("gradcert_run_data_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

void write_bytes(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

void write_gzip(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
    gzFile gz = gzopen(p.c_str(), "wb");
    gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(gz);
}

// Records of a CIFAR file: label bytes (1 or 2) + 3072 deterministic pixel bytes.
struct CifarRecords {
    std::vector<std::uint8_t> bytes;
    std::vector<int> labels;
    std::vector<std::uint8_t> pixels;
};

CifarRecords make_cifar_records(int records, int label_bytes, int classes, std::uint64_t seed) {
    CifarRecords r;
    RunRng rng(seed);
    for (int i = 0; i < records; ++i) {
        const int fine = static_cast<int>(rng.below(static_cast<std::uint64_t>(classes)));
        if (label_bytes == 2) r.bytes.push_back(static_cast<std::uint8_t>(fine / 5));
        r.bytes.push_back(static_cast<std::uint8_t>(fine));
        r.labels.push_back(fine);
        for (int k = 0; k < kCifarRecordPixels; ++k) {
            const auto p = static_cast<std::uint8_t>(rng.next() >> 56);
            r.bytes.push_back(p);
            r.pixels.push_back(p);
        }
    }
    return r;
}

void require_input_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
    try {
        f();
        FAIL("no InputError thrown");
    } catch (const InputError& e) {
        const std::string msg = e.what();
        INFO(msg);
        CHECK(msg.find('\n') == std::string::npos);
        for (const std::string& p : parts) CHECK(msg.find(p) != std::string::npos);
    }
}

}  // namespace

TEST_CASE("Fashion-MNIST from the Debian package: headers, sizes, balance, pixel moments",
          "[sgd][run][data]") {
    const fs::path dir = default_fashion_mnist_dir();
    if (!fs::exists(dir / "train-images-idx3-ubyte.gz")) {
        WARN("dataset-fashion-mnist is not installed; skipped");
        return;
    }
    const DataSplit s = load_fashion_mnist(dir);
    REQUIRE(s.train.size() == 60000);
    REQUIRE(s.test.size() == 10000);
    CHECK(s.train.pixels.size() == 47040000u);
    CHECK(s.test.pixels.size() == 7840000u);
    for (int c : class_counts(s.train)) CHECK(c == 6000);
    for (int c : class_counts(s.test)) CHECK(c == 1000);
    std::vector<double> mean, sd;
    pixel_moments(s.train, mean, sd);
    INFO("mean " << mean[0] << " std " << sd[0]);
    CHECK(std::abs(mean[0] - 0.28604) < 5e-5);
    CHECK(std::abs(sd[0] - 0.35302) < 5e-5);
    CHECK(s.train.mean[0] == 0.28604f);
    CHECK(s.train.stddev[0] == 0.35302f);
    // The first training label of Fashion-MNIST is 9 (ankle boot), the first test label 9 too.
    CHECK(s.train.labels[0] == 9);
    CHECK(s.test.labels[0] == 9);
}

TEST_CASE("IDX reader: round trip and clear errors for truncated or foreign files",
          "[sgd][run][data]") {
    const fs::path dir = fresh_dir("idx");
    std::vector<std::uint8_t> images = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
    for (int i = 0; i < 24; ++i) images.push_back(static_cast<std::uint8_t>(i * 7));
    write_gzip(dir / "ok.gz", images);
    const IdxArray a = read_idx(dir / "ok.gz", 3);
    CHECK(a.dims == std::vector<int>{2, 3, 4});
    CHECK(a.data == std::vector<std::uint8_t>(images.begin() + 16, images.end()));
    write_bytes(dir / "plain", images);  // uncompressed IDX is read too
    CHECK(read_idx(dir / "plain", 3).data == a.data);

    std::vector<std::uint8_t> short_data(images.begin(), images.end() - 1);
    write_gzip(dir / "short.gz", short_data);
    require_input_error([&] { read_idx(dir / "short.gz", 3); }, {"short.gz", "truncated"});
    std::vector<std::uint8_t> long_data = images;
    long_data.push_back(1);
    write_gzip(dir / "long.gz", long_data);
    require_input_error([&] { read_idx(dir / "long.gz", 3); }, {"long.gz", "trailing"});
    write_bytes(dir / "foreign.gz", {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
    require_input_error([&] { read_idx(dir / "foreign.gz", 3); }, {"foreign.gz", "not an"});
    require_input_error([&] { read_idx(dir / "ok.gz", 1); }, {"ok.gz", "3 dimensions, expected 1"});
    require_input_error([&] { read_idx(dir / "missing.gz", 1); }, {"missing.gz", "not found"});

    // A gzip stream cut in the middle.
    std::vector<std::uint8_t> big = {0, 0, 8, 1, 0, 1, 0, 0};
    RunRng rng(5);
    for (int i = 0; i < 65536; ++i) big.push_back(static_cast<std::uint8_t>(rng.next()));
    write_gzip(dir / "big.gz", big);
    std::ifstream in(dir / "big.gz", std::ios::binary);
    std::vector<std::uint8_t> gz((std::istreambuf_iterator<char>(in)), {});
    gz.resize(gz.size() / 2);
    write_bytes(dir / "cut.gz", gz);
    require_input_error([&] { read_idx(dir / "cut.gz", 1); }, {"cut.gz"});

    // A Fashion-MNIST directory with a label file of the wrong length.
    const fs::path fm = fresh_dir("idx_fm");
    require_input_error([&] { load_fashion_mnist(fm); }, {"train-images-idx3-ubyte", "not found"});
    fs::remove_all(dir);
    fs::remove_all(fm);
}

TEST_CASE("CIFAR-10 binary files written here load back exactly", "[sgd][run][data]") {
    const fs::path dir = fresh_dir("cifar10");
    std::vector<CifarRecords> files;
    for (int k = 1; k <= 6; ++k) {
        files.push_back(make_cifar_records(10000, 1, 10, 100 + static_cast<std::uint64_t>(k)));
        const std::string name =
            k <= 5 ? "data_batch_" + std::to_string(k) + ".bin" : "test_batch.bin";
        write_bytes(dir / name, files.back().bytes);
        CHECK(fs::file_size(dir / name) == 30730000u);
    }
    const DataSplit s = load_cifar10(dir);
    REQUIRE(s.train.size() == 50000);
    REQUIRE(s.test.size() == 10000);
    CHECK(s.train.channels == 3);
    CHECK(s.train.classes == 10);
    bool labels_equal = true, pixels_equal = true;
    for (int k = 0; k < 5; ++k)
        for (int i = 0; i < 10000; ++i) {
            labels_equal &= s.train.labels[static_cast<std::size_t>(k * 10000 + i)] ==
                            files[static_cast<std::size_t>(k)].labels[static_cast<std::size_t>(i)];
        }
    for (int k = 0; k < 5; ++k)
        pixels_equal &= std::equal(
            files[static_cast<std::size_t>(k)].pixels.begin(),
            files[static_cast<std::size_t>(k)].pixels.end(),
            s.train.pixels.begin() + static_cast<std::ptrdiff_t>(k) * 10000 * kCifarRecordPixels);
    CHECK(labels_equal);
    CHECK(pixels_equal);
    CHECK(std::equal(files[5].pixels.begin(), files[5].pixels.end(), s.test.pixels.begin()));
    CHECK(std::equal(files[5].labels.begin(), files[5].labels.end(), s.test.labels.begin()));
    // Plane order: pixel (c, y, x) of record 0 is byte 1 + 1024c + 32y + x of the file.
    CHECK(s.train.image(0)[1024 * 2 + 32 * 5 + 7] == files[0].bytes[1 + 1024 * 2 + 32 * 5 + 7]);

    // Truncated and foreign files name the file.
    std::vector<std::uint8_t> cut(files[2].bytes.begin(), files[2].bytes.end() - 100);
    write_bytes(dir / "data_batch_3.bin", cut);
    require_input_error([&] { load_cifar10(dir); }, {"data_batch_3.bin", "truncated"});
    std::vector<std::uint8_t> foreign = files[2].bytes;
    foreign.resize(foreign.size() + 3074);
    write_bytes(dir / "data_batch_3.bin", foreign);
    require_input_error([&] { load_cifar10(dir); },
                        {"data_batch_3.bin", "not a CIFAR binary file"});
    std::vector<std::uint8_t> bad_label = files[2].bytes;
    bad_label[3073 * 17] = 10;
    write_bytes(dir / "data_batch_3.bin", bad_label);
    require_input_error([&] { load_cifar10(dir); }, {"data_batch_3.bin", "record 17", "label 10"});
    fs::remove(dir / "test_batch.bin");
    write_bytes(dir / "data_batch_3.bin", files[2].bytes);
    require_input_error([&] { load_cifar10(dir); }, {"test_batch.bin", "not found"});
    require_input_error([&] { load_cifar10(dir / "nope"); }, {"nope", "no such directory"});
    fs::remove_all(dir);
}

TEST_CASE("CIFAR-100 binary files (fine labels) load back exactly", "[sgd][run][data]") {
    const fs::path dir = fresh_dir("cifar100");
    const CifarRecords train = make_cifar_records(50000, 2, 100, 7);
    const CifarRecords test = make_cifar_records(10000, 2, 100, 8);
    write_bytes(dir / "train.bin", train.bytes);
    write_bytes(dir / "test.bin", test.bytes);
    const DataSplit s = load_cifar100(dir);
    REQUIRE(s.train.size() == 50000);
    REQUIRE(s.test.size() == 10000);
    CHECK(s.train.classes == 100);
    CHECK(std::equal(train.labels.begin(), train.labels.end(), s.train.labels.begin()));
    CHECK(std::equal(test.labels.begin(), test.labels.end(), s.test.labels.begin()));
    CHECK(train.pixels == s.train.pixels);
    CHECK(test.pixels == s.test.pixels);
    CHECK(s.train.mean[0] == 0.5071f);

    std::vector<std::uint8_t> bad = test.bytes;
    bad[3074 * 3 + 1] = 100;  // fine label out of range
    write_bytes(dir / "test.bin", bad);
    require_input_error([&] { load_cifar100(dir); }, {"test.bin", "record 3", "label 100"});
    bad = test.bytes;
    bad[3074 * 4] = 20;  // coarse label out of range
    write_bytes(dir / "test.bin", bad);
    require_input_error([&] { load_cifar100(dir); }, {"test.bin", "record 4", "coarse label 20"});
    // A CIFAR-10 file where a CIFAR-100 file is expected has the wrong size.
    write_bytes(dir / "test.bin", make_cifar_records(10000, 1, 10, 9).bytes);
    require_input_error([&] { load_cifar100(dir); }, {"test.bin", "truncated", "30740000"});
    fs::remove_all(dir);
}

TEST_CASE("Synthetic dataset is deterministic, balanced and learnable-looking",
          "[sgd][run][data]") {
    SyntheticSpec spec;
    spec.channels = 3;
    spec.height = 16;
    spec.width = 12;
    spec.classes = 5;
    spec.train = 500;
    spec.test = 100;
    spec.seed = 42;
    const DataSplit a = make_synthetic(spec), b = make_synthetic(spec);
    CHECK(a.train.pixels == b.train.pixels);
    CHECK(a.test.labels == b.test.labels);
    for (int c : class_counts(a.train)) CHECK(c == 100);
    check_dataset(a.train, "synthetic");
    spec.seed = 43;
    CHECK(make_synthetic(spec).train.pixels != a.train.pixels);
    // Examples of one class are closer to each other than to another class (noise 0.5).
    auto dist = [&](int i, int j) {
        double s = 0;
        for (std::size_t k = 0; k < a.train.example_bytes(); ++k) {
            const double d = double(a.train.image(i)[k]) - a.train.image(j)[k];
            s += d * d;
        }
        return s;
    };
    CHECK(dist(0, 5) < dist(0, 1));
    spec.noise = 1.5;
    CHECK_THROWS_AS(make_synthetic(spec), InputError);
}

TEST_CASE("Subsets: class-balanced first-k and first-k, deterministic", "[sgd][run][data]") {
    SyntheticSpec spec;
    spec.height = spec.width = 4;
    spec.classes = 4;
    spec.train = 40;
    spec.test = 8;
    const DataSplit s = make_synthetic(spec);
    Dataset d = s.train;
    // Make classes unbalanced in file order: first 20 examples relabelled 0.
    for (int i = 0; i < 20; ++i) d.labels[static_cast<std::size_t>(i)] = 0;
    const Dataset bal = subset(d, 10, SubsetMode::balanced);
    CHECK(class_counts(bal) == std::vector<int>{3, 3, 2, 2});
    const Dataset first = subset(d, 10, SubsetMode::first);
    CHECK(class_counts(first) == std::vector<int>{10, 0, 0, 0});
    CHECK(std::equal(first.pixels.begin(), first.pixels.end(), d.pixels.begin()));
    CHECK(subset(d, 0, SubsetMode::balanced).size() == 40);
    CHECK_THROWS_AS(subset(d, 39, SubsetMode::balanced), InputError);  // class 1 has 5 < 10
    CHECK_THROWS_AS(subset(d, 41, SubsetMode::balanced), InputError);
}
