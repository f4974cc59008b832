#!/usr/bin/python3
"""An independent TensorBoard event-file writer for testing `gradcert ingest`.

Written from the published formats, not from gradcert's reader: CRC-32C computed bit by bit
(no table) from the Castagnoli polynomial, TFRecord framing, and the Event / Summary /
TensorProto protocol buffers encoded field by field (tensorflow event.proto, summary.proto,
tensor.proto). Used because torch.utils.tensorboard needs the `tensorboard` package, which
Debian does not ship (no python3-tensorboard in bookworm).

As a program: tfevents_writer.py OUT.tfevents writes the committed fixture
tests/engine/data/ingest/events.out.tfevents.fixture (see FIXTURE below).
"""
import struct
import sys


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(crc: int) -> int:
    rotated = ((crc >> 15) | (crc << 17)) & 0xFFFFFFFF
    return (rotated + 0xA282EAD8) & 0xFFFFFFFF


def frame(payload: bytes) -> bytes:
    header = struct.pack("<Q", len(payload))
    return (header + struct.pack("<I", masked(crc32c(header))) + payload
            + struct.pack("<I", masked(crc32c(payload))))


def varint(n: int) -> bytes:
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        low = n & 0x7F
        n >>= 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint((field << 3) | wire)


def f_varint(field, n):
    return key(field, 0) + varint(n)


def f_double(field, x):
    return key(field, 1) + struct.pack("<d", x)


def f_float(field, x):
    return key(field, 5) + struct.pack("<f", x)


def f_bytes(field, b):
    return key(field, 2) + varint(len(b)) + b


def event(wall_time, step, body=b""):
    return f_double(1, wall_time) + f_varint(2, step) + body


def version_event(wall_time=1.0e9, version="brain.Event:2"):
    return event(wall_time, 0, f_bytes(3, version.encode()))


def value_simple(tag, x):
    return f_bytes(1, tag.encode()) + f_float(2, x)


def value_tensor_content_float(tag, x):
    """Scalar DT_FLOAT tensor in tensor_content (how newer SummaryWriters write scalars)."""
    tensor = f_varint(1, 1) + f_bytes(2, b"") + f_bytes(4, struct.pack("<f", x))
    metadata = f_bytes(1, f_bytes(1, b"scalars"))  # SummaryMetadata.plugin_data.plugin_name
    return f_bytes(1, tag.encode()) + f_bytes(9, metadata) + f_bytes(8, tensor)


def value_tensor_double_val(tag, x):
    """Scalar DT_DOUBLE tensor in double_val, shape [1]."""
    shape = f_bytes(2, f_varint(1, 1))
    tensor = f_varint(1, 2) + f_bytes(2, shape) + f_double(6, x)
    return f_bytes(1, tag.encode()) + f_bytes(8, tensor)


def value_histogram(tag):
    histo = f_double(1, 0.0) + f_double(2, 1.0) + f_double(3, 5.0)
    return f_bytes(1, tag.encode()) + f_bytes(5, histo)


def value_vector_tensor(tag):
    shape = f_bytes(2, f_varint(1, 3))
    tensor = f_varint(1, 1) + f_bytes(2, shape) + f_bytes(4, struct.pack("<3f", 1, 2, 3))
    return f_bytes(1, tag.encode()) + f_bytes(8, tensor)


def summary_event(wall_time, step, values):
    summary = b"".join(f_bytes(1, v) for v in values)
    return event(wall_time, step, f_bytes(5, summary))


def write_records(path, payloads):
    """Writes the framed records; returns the byte offset of each."""
    offsets, data = [], b""
    for p in payloads:
        offsets.append(len(data))
        data += frame(p)
    with open(path, "wb") as f:
        f.write(data)
    return offsets


# The committed fixture: 5 epochs logged at steps 0..4 (0-based epochs), val/acc as simple_value,
# train/loss as a float tensor_content, lr as a double_val tensor, plus a histogram and a
# 3-vector tensor that the reader must skip, and a per-step batch loss at steps 100, 200.
FIXTURE = {
    "val/acc": [0.5, 0.625, 0.75, 0.8125, 0.875],
    "train/loss": [2.25, 1.5, 1.0, 0.75, 0.5],
    "lr": [0.1, 0.1, 0.05, 0.05, 0.025],
    "batch_loss": {100: 1.25, 200: 0.625},
}


def fixture_payloads():
    payloads = [version_event()]
    for e in range(5):
        payloads.append(summary_event(1.0e9 + e, e, [
            value_simple("val/acc", FIXTURE["val/acc"][e]),
            value_tensor_content_float("train/loss", FIXTURE["train/loss"][e]),
            value_tensor_double_val("lr", FIXTURE["lr"][e]),
            value_histogram("weights"),
            value_vector_tensor("vec")]))
    for step, x in FIXTURE["batch_loss"].items():
        payloads.append(summary_event(1.0e9 + step, step, [value_simple("batch_loss", x)]))
    return payloads


if __name__ == "__main__":
    assert crc32c(b"123456789") == 0xE3069283
    write_records(sys.argv[1], fixture_payloads())
