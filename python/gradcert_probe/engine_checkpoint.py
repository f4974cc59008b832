"""Reads a checkpoint.bin written by the gradcert engine (numerics/engine/checkpoint.hpp):
magic "GCCKPT1\n", uint64 header length L, L bytes of JSON, the float32 blobs listed in the
header's "blobs" table, and a trailing uint64 FNV-1a-64 hash of every preceding byte (checked).
"""
import json
import struct

import numpy as np

MAGIC = b"GCCKPT1\n"


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    arr = np.frombuffer(data, dtype=np.uint8)
    for byte in arr.tolist():
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def read_checkpoint(path):
    """(header dict, {blob name: float32 numpy array}); ValueError naming the file if foreign,
    truncated or corrupt."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC or len(data) < 24:
        raise ValueError(f"{path}: not a gradcert engine checkpoint")
    (length,) = struct.unpack_from("<Q", data, 8)
    if 16 + length + 8 > len(data):
        raise ValueError(f"{path}: truncated header")
    (stored,) = struct.unpack_from("<Q", data, len(data) - 8)
    if fnv1a64(data[:-8]) != stored:
        raise ValueError(f"{path}: hash mismatch (corrupt file)")
    header = json.loads(data[16:16 + length].decode())
    blobs, pos = {}, 16 + length
    for entry in header["blobs"]:
        count = int(entry["count"])
        blobs[entry["name"]] = np.frombuffer(data, dtype="<f4", count=count, offset=pos).copy()
        pos += 4 * count
    if pos != len(data) - 8:
        raise ValueError(f"{path}: blob table does not match the file size")
    return header, blobs
