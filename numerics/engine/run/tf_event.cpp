#include "numerics/engine/run/tf_event.hpp"

#include <fmt/format.h>

#include <bit>
#include <optional>

#include "numerics/engine/run/protobuf_wire.hpp"
#include "numerics/engine/run/tfrecord.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine::run {

namespace {

std::string as_string(std::span<const unsigned char> b) {
    return std::string(b.begin(), b.end());
}

std::uint64_t le(std::span<const unsigned char> b, std::size_t at, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | b[at + i];
    return v;
}

// Number of elements of a TensorShapeProto (product of dim sizes; 1 for a scalar).
std::uint64_t shape_elements(std::span<const unsigned char> shape) {
    std::uint64_t elements = 1;
    WireReader r(shape);
    WireField f;
    while (r.next(f)) {
        if (f.number != 2 || f.type != WireType::length_delimited) continue;
        WireReader dim(f.bytes);
        WireField d;
        std::uint64_t size = 0;
        while (dim.next(d))
            if (d.number == 1 && d.type == WireType::varint) size = d.varint;
        elements *= size;
    }
    return elements;
}

// The one value of a scalar TensorProto, or nullopt for a non-scalar or unsupported dtype.
std::optional<double> tensor_scalar(std::span<const unsigned char> tensor) {
    std::uint64_t dtype = 0, elements = 1;
    std::vector<double> values;
    std::span<const unsigned char> content;
    WireReader r(tensor);
    WireField f;
    while (r.next(f)) {
        switch (f.number) {
            case 1:
                dtype = f.varint;
                break;
            case 2:
                elements = shape_elements(f.bytes);
                break;
            case 4:
                content = f.bytes;
                break;
            case 5:  // float_val, packed or not
                if (f.type == WireType::fixed32) {
                    values.push_back(as_float(f));
                } else if (f.type == WireType::length_delimited) {
                    std::vector<float> packed;
                    if (!unpack_floats(f.bytes, packed)) throw WireError("packed float_val");
                    values.insert(values.end(), packed.begin(), packed.end());
                }
                break;
            case 6:  // double_val
                if (f.type == WireType::fixed64) {
                    values.push_back(as_double(f));
                } else if (f.type == WireType::length_delimited) {
                    if (f.bytes.size() % 8) throw WireError("packed double_val");
                    for (std::size_t i = 0; i < f.bytes.size(); i += 8)
                        values.push_back(std::bit_cast<double>(le(f.bytes, i, 8)));
                }
                break;
            case 7:   // int_val
            case 10:  // int64_val
                if (f.type == WireType::varint)
                    values.push_back(double(static_cast<std::int64_t>(f.varint)));
                break;
            default:
                break;
        }
    }
    if (elements != 1) return std::nullopt;
    if (!content.empty()) {
        if (dtype == 1 && content.size() == 4)
            return double(std::bit_cast<float>(static_cast<std::uint32_t>(le(content, 0, 4))));
        if (dtype == 2 && content.size() == 8) return std::bit_cast<double>(le(content, 0, 8));
        if (dtype == 3 && content.size() == 4)
            return double(static_cast<std::int32_t>(le(content, 0, 4)));
        if (dtype == 9 && content.size() == 8)
            return double(static_cast<std::int64_t>(le(content, 0, 8)));
        return std::nullopt;
    }
    if (values.size() == 1) return values[0];
    return std::nullopt;
}

void read_summary(std::span<const unsigned char> summary, const ScalarEvent& base,
                  EventFileScalars& out) {
    WireReader r(summary);
    WireField f;
    while (r.next(f)) {
        if (f.number != 1 || f.type != WireType::length_delimited) continue;
        std::string tag;
        std::optional<double> value;
        bool other = false;
        WireReader v(f.bytes);
        WireField g;
        while (v.next(g)) {
            if (g.number == 1 && g.type == WireType::length_delimited)
                tag = as_string(g.bytes);
            else if (g.number == 2)
                value = as_float(g);
            else if (g.number == 8 && g.type == WireType::length_delimited) {
                value = tensor_scalar(g.bytes);
                other = !value;
            } else if (g.number >= 3 && g.number <= 6)
                other = true;
        }
        if (value) {
            ScalarEvent e = base;
            e.tag = tag;
            e.value = *value;
            out.scalars.push_back(std::move(e));
        } else if (other) {
            ++out.skipped_values;
        }
    }
}

}  // namespace

EventFileScalars read_event_file(const std::string& file) {
    const std::vector<TfRecord> records = read_tfrecord_file(file);
    EventFileScalars out;
    out.records = records.size();
    for (std::size_t i = 0; i < records.size(); ++i) {
        const TfRecord& rec = records[i];
        ScalarEvent base;
        base.offset = rec.offset;
        std::optional<std::string> version;
        std::span<const unsigned char> summary;
        try {
            WireReader r(rec.data);
            WireField f;
            while (r.next(f)) {
                if (f.number == 1)
                    base.wall_time = as_double(f);
                else if (f.number == 2 && f.type == WireType::varint)
                    base.step = static_cast<std::int64_t>(f.varint);
                else if (f.number == 3 && f.type == WireType::length_delimited)
                    version = as_string(f.bytes);
                else if (f.number == 5 && f.type == WireType::length_delimited)
                    summary = f.bytes;
            }
            if (i == 0) {
                if (!version)
                    throw_input_error(file, fmt::format("record at byte offset 0: no file_version "
                                                        "(not a TensorBoard event file)"));
                if (*version != "brain.Event:1" && *version != "brain.Event:2")
                    throw_input_error(file,
                                      fmt::format("record at byte offset 0: unknown event file "
                                                  "version \"{}\" (brain.Event:1 or 2 expected)",
                                                  *version));
                out.file_version = *version;
            }
            if (!summary.empty()) read_summary(summary, base, out);
        } catch (const WireError& e) {
            throw_input_error(file, fmt::format("record at byte offset {}: malformed Event "
                                                "protocol buffer: {}",
                                                rec.offset, e.what()));
        }
    }
    if (records.empty()) throw_input_error(file, "empty (no records)");
    return out;
}

}  // namespace gradcert::engine::run
