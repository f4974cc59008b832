#pragma once
// Scalars of a TensorBoard event file (TFRecord framing, tfrecord.hpp) decoded from the Event
// protocol buffer by hand (protobuf_wire.hpp). The fields read (tensorflow/core/util/event.proto,
// summary.proto, tensor.proto):
//   Event:          1 wall_time (double), 2 step (int64), 3 file_version (string), 5 summary
//   Summary:        1 value (repeated Summary.Value)
//   Summary.Value:  1 tag (string), 2 simple_value (float), 8 tensor (TensorProto)
//   TensorProto:    1 dtype (enum: 1 float, 2 double, 3 int32, 9 int64), 2 tensor_shape,
//                   4 tensor_content (raw little-endian), 5 float_val, 6 double_val,
//                   7 int_val, 10 int64_val
//   TensorShapeProto: 2 dim (repeated Dim: 1 size)
// A tensor value is a scalar when it has exactly one element. Other fields (graphs, images,
// histograms, metadata) are skipped; non-scalar tensors are counted as skipped.
// The first record must be the file_version event "brain.Event:1" or "brain.Event:2".
#include <cstdint>
#include <string>
#include <vector>

namespace gradcert::engine::run {

struct ScalarEvent {
    std::string tag;
    std::int64_t step = 0;
    double wall_time = 0.0;
    double value = 0.0;
    std::uint64_t offset = 0;  // byte offset of the record in the file
};

struct EventFileScalars {
    std::string file_version;
    std::vector<ScalarEvent> scalars;
    std::size_t records = 0;
    std::size_t skipped_values = 0;  // non-scalar summary values (images, histograms, …)
};

// Throws InputError("<file>: record at byte offset N: …") for framing errors (tfrecord.hpp), a
// malformed protocol buffer, a missing or unknown file_version.
EventFileScalars read_event_file(const std::string& file);

}  // namespace gradcert::engine::run
