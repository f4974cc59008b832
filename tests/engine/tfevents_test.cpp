// The TensorBoard reader's pieces: CRC-32C check values, the bounded protobuf wire reader on
// malformed input, and the committed fixture (written by tests/engine/tfevents_writer.py)
// decoded to its known scalars.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "numerics/engine/run/crc32c.hpp"
#include "numerics/engine/run/protobuf_wire.hpp"
#include "numerics/engine/run/tf_event.hpp"
#include "numerics/engine/run/tfrecord.hpp"
#include "numerics/util/error.hpp"

using namespace gradcert::engine::run;

namespace {
std::vector<unsigned char> bytes(const std::string& s) {
    return {s.begin(), s.end()};
}
}  // namespace

TEST_CASE("CRC-32C: the standard check values", "[run][tfevents]") {
    CHECK(crc32c(bytes("123456789")) == 0xE3069283U);
    CHECK(crc32c(bytes("")) == 0U);
    CHECK(crc32c(std::vector<unsigned char>(32, 0)) == 0x8A9136AAU);  // RFC 3720 B.4
    CHECK(crc32c(std::vector<unsigned char>(32, 0xFF)) == 0x62A8AB43U);
    CHECK(mask_crc(0) == 0xA282EAD8U);
}

TEST_CASE("Protobuf wire reader: fields, and malformed input refused", "[run][tfevents]") {
    // field 1 varint 150, field 2 bytes "ab", field 3 fixed32 1.0f
    const std::vector<unsigned char> ok = {0x08, 0x96, 0x01, 0x12, 0x02, 'a',
                                           'b',  0x1D, 0x00, 0x00, 0x80, 0x3F};
    WireReader r(ok);
    WireField f;
    REQUIRE(r.next(f));
    CHECK((f.number == 1 && f.varint == 150));
    REQUIRE(r.next(f));
    CHECK((f.number == 2 && f.bytes.size() == 2));
    REQUIRE(r.next(f));
    CHECK(as_float(f) == 1.0f);
    CHECK_FALSE(r.next(f));
    const std::vector<std::vector<unsigned char>> bad = {
        {0x08, 0x96},       // varint cut
        {0x12, 0x05, 'a'},  // length past the end
        {0x1D, 0x00},       // fixed32 cut
        {0x0B},             // group start (wire type 3)
        {0x00, 0x01},       // field number 0
        {0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}};  // >10 bytes
    for (const auto& b : bad) {
        WireReader w(b);
        WireField g;
        CHECK_THROWS_AS(([&] {
                            while (w.next(g)) {
                            }
                        }()),
                        WireError);
    }
}

TEST_CASE("TensorBoard reader: the committed fixture's scalars", "[run][tfevents]") {
    const std::string file =
        GRADCERT_SOURCE_DIR "/tests/engine/data/ingest/events.out.tfevents.fixture";
    const EventFileScalars s = read_event_file(file);
    CHECK(s.file_version == "brain.Event:2");
    CHECK(s.records == 8);
    CHECK(s.skipped_values == 10);  // 5 histograms, 5 three-element tensors
    std::vector<double> acc, loss, lr;
    for (const ScalarEvent& e : s.scalars) {
        if (e.tag == "val/acc") acc.push_back(e.value);
        if (e.tag == "train/loss") loss.push_back(e.value);
        if (e.tag == "lr") lr.push_back(e.value);
    }
    CHECK(acc == std::vector<double>{0.5, 0.625, 0.75, 0.8125, 0.875});
    CHECK(loss == std::vector<double>{2.25, 1.5, 1.0, 0.75, 0.5});
    CHECK(lr == std::vector<double>{0.1, 0.1, 0.05, 0.05, 0.025});
    CHECK(s.scalars.back().step == 200);
    CHECK(s.scalars.back().wall_time == 1.0e9 + 200);
    // Every single-byte truncation of the file is refused naming a record offset.
    std::vector<TfRecord> recs = read_tfrecord_file(file);
    std::ifstream in(file, std::ios::binary);
    const std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    int refused = 0;
    for (std::size_t cut = 1; cut < data.size(); ++cut) {
        const std::vector<unsigned char> part(data.begin(), data.begin() + cut);
        bool is_boundary = false;
        for (const TfRecord& r : recs) is_boundary |= (r.offset == cut);
        try {
            split_tfrecords(part, "f");
            CHECK(is_boundary);
        } catch (const gradcert::InputError& e) {
            CHECK_FALSE(is_boundary);
            CHECK(std::string(e.what()).find("record at byte offset") != std::string::npos);
            ++refused;
        }
    }
    CHECK(refused == static_cast<int>(data.size()) - static_cast<int>(recs.size()));
}
