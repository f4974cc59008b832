// Augmentation: each transform exactly, zero padding before normalisation, and batches that are
// a pure function of (seed, step, indices).
#include "numerics/engine/augment.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "numerics/engine/data_batch.hpp"
#include "numerics/engine/dataset_synthetic.hpp"

using namespace gradcert::engine;

namespace {

// A C×H×W image whose byte at (c, y, x) is 1 + c·H·W + y·W + x (mod 255), never 0.
std::vector<std::uint8_t> ramp(int c, int h, int w) {
    std::vector<std::uint8_t> v(static_cast<std::size_t>(c * h * w));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(1 + i % 254);
    return v;
}

std::uint8_t at(const std::vector<std::uint8_t>& img, int h, int w, int c, int y, int x) {
    return img[static_cast<std::size_t>((c * h + y) * w + x)];
}

}  // namespace

TEST_CASE("Crop with zero padding shifts the image and fills with zeros", "[sgd][run][augment]") {
    const int c = 2, h = 5, w = 6, pad = 2;
    const std::vector<std::uint8_t> in = ramp(c, h, w);
    std::vector<std::uint8_t> out(in.size());
    crop_with_padding(in.data(), out.data(), c, h, w, pad, pad, pad);  // centred window
    CHECK(out == in);
    crop_with_padding(in.data(), out.data(), c, h, w, pad, 0, 2 * pad);  // left 2, down 2
    for (int ch = 0; ch < c; ++ch)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const int sy = y + 2, sx = x - 2;
                const bool inside = sy < h && sx >= 0;
                CHECK(at(out, h, w, ch, y, x) == (inside ? at(in, h, w, ch, sy, sx) : 0));
            }
}

TEST_CASE("Flip mirrors rows; rotation by 0 and 90 degrees is exact", "[sgd][run][augment]") {
    const int c = 3, h = 4, w = 4;
    const std::vector<std::uint8_t> in = ramp(c, h, w);
    std::vector<std::uint8_t> img = in;
    flip_horizontal(img.data(), c, h, w);
    CHECK(at(img, h, w, 1, 2, 0) == at(in, h, w, 1, 2, 3));
    flip_horizontal(img.data(), c, h, w);
    CHECK(img == in);
    std::vector<std::uint8_t> out(in.size());
    rotate_nearest(in.data(), out.data(), c, h, w, 0.0);
    CHECK(out == in);
    rotate_nearest(in.data(), out.data(), c, h, w, 90.0);
    // Output (x, y) samples the input at R(−90°)(p − c) + c: (x, y) ← (y, w − 1 − x).
    for (int ch = 0; ch < c; ++ch)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                CHECK(at(out, h, w, ch, y, x) == at(in, h, w, ch, w - 1 - x, y));
    // A small rotation keeps the centre pixel and zero-fills corners that leave the image.
    const int n = 9;
    const std::vector<std::uint8_t> big = ramp(1, n, n);
    std::vector<std::uint8_t> r(big.size());
    rotate_nearest(big.data(), r.data(), 1, n, n, 15.0);
    CHECK(at(r, n, n, 0, 4, 4) == at(big, n, n, 0, 4, 4));
    CHECK(at(r, n, n, 0, 0, 0) == 0);
}

TEST_CASE(
    "Augmented batches depend only on (seed, step, indices); padding is black before "
    "normalisation",
    "[sgd][run][augment]") {
    SyntheticSpec spec;
    spec.channels = 3;
    spec.height = spec.width = 8;
    spec.classes = 4;
    spec.train = 64;
    spec.test = 4;
    const Dataset d = make_synthetic(spec).train;
    AugmentConfig aug;
    aug.crop = aug.flip = aug.rotate = true;
    aug.crop_padding = 2;
    const std::vector<int> idx = {5, 9, 2, 33, 17, 60, 1, 0};
    BatchAssembler a, b, plain;
    a.assemble(d, idx, &aug, 7, 3);
    b.assemble(d, idx, &aug, 7, 3);
    const std::size_t floats = idx.size() * d.example_bytes();
    CHECK(std::equal(a.images(), a.images() + floats, b.images()));
    b.assemble(d, idx, &aug, 7, 4);
    CHECK_FALSE(std::equal(a.images(), a.images() + floats, b.images()));
    b.assemble(d, idx, &aug, 8, 3);
    CHECK_FALSE(std::equal(a.images(), a.images() + floats, b.images()));
    // The same example at the same batch position, assembled alone, is augmented the same way.
    b.assemble(d, std::span<const int>(idx.data() + 3, 1), &aug, 7, 3, 3);
    CHECK(
        std::equal(b.images(), b.images() + d.example_bytes(), a.images() + 3 * d.example_bytes()));
    for (std::size_t j = 0; j < idx.size(); ++j)
        CHECK(a.labels()[j] == d.labels[static_cast<std::size_t>(idx[j])]);
    // Without augmentation the batch is the normalised image.
    plain.assemble(d, idx, nullptr, 7, 3);
    const std::vector<float> table = normalisation_table(d);
    CHECK(plain.images()[0] == table[d.image(5)[0]]);
    CHECK(plain.images()[d.example_bytes() + 70] == table[256 + d.image(9)[70]]);
    // Padding: a window shifted fully left/up shows zero bytes, i.e. (0 − mean)/std per channel.
    AugmentConfig crop_only;
    crop_only.crop = true;
    crop_only.crop_padding = 2;
    int black = 0;
    for (std::uint64_t step = 0; step < 20; ++step) {
        a.assemble(d, idx, &crop_only, 1, step);
        for (std::size_t k = 0; k < floats; ++k) {
            const std::size_t ch = (k % d.example_bytes()) / 64;
            if (a.images()[k] == table[ch * 256]) ++black;
        }
    }
    CHECK(black > 0);
}
