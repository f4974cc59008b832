#!/usr/bin/python3
"""`gradcert ingest` end to end against independently written inputs (tests/engine/
tfevents_writer.py): TensorBoard scalars as simple_value and as tensors, CSV and JSON lines with
a column map, and every refusal (CRC mismatch in the length or the data, truncation at several
places, unknown event-file version, missing mapped or required column, bad cell) must be exit 2
with the file and the record offset or line named and no output directory created.

Usage: ingest_test.py --gradcert build/gradcert
Prints 'N passed, N failed'; exit 1 on any failure.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tfevents_writer as tw  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "data", "ingest", "events.out.tfevents.fixture")
RESULTS = {"passed": 0, "failed": 0}


def check(condition, what):
    RESULTS["passed" if condition else "failed"] += 1
    if not condition:
        print("FAILED:", what)


def ingest(gradcert, sources, out, *extra):
    p = subprocess.run([gradcert, "ingest", *sources, "--out", out, *extra],
                       capture_output=True, text=True)
    return p.returncode, p.stderr.strip()


def read_csv(path):
    with open(path) as f:
        lines = f.read().split()
    header = lines[0].split(",")
    return [dict(zip(header, map(float, l.split(",")))) for l in lines[1:]]


def refused(gradcert, tmp, sources, expect, *extra):
    out = os.path.join(tmp, "refused")
    rc, err = ingest(gradcert, sources, out, *extra)
    ok = rc == 2 and all(e in err for e in expect) and not os.path.exists(out)
    check(ok, f"refusal {expect}: rc={rc} err={err!r} exists={os.path.exists(out)}")
    if ok:
        print(f"  refused as expected: {err}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gradcert", required=True)
    gradcert = ap.parse_args().gradcert
    check(tw.crc32c(b"123456789") == 0xE3069283, "CRC-32C check value")
    mapping = "test_acc=val/acc,train_loss=train/loss,step.loss=batch_loss"
    with tempfile.TemporaryDirectory() as tmp:
        # The committed fixture is what the writer writes today (the writer is its generator).
        regenerated = os.path.join(tmp, "events.out.tfevents.regen")
        tw.write_records(regenerated, tw.fixture_payloads())
        with open(regenerated, "rb") as a, open(FIXTURE, "rb") as b:
            check(a.read() == b.read(), "fixture equals its generator's output")

        out = os.path.join(tmp, "run")
        rc, err = ingest(gradcert, [FIXTURE], out, "--map", mapping, "--scale", "fixture")
        check(rc == 0, f"fixture ingested (rc={rc}, {err})")
        rows = read_csv(os.path.join(out, "epochs.csv"))
        check([r["epoch"] for r in rows] == [1, 2, 3, 4, 5], "0-based steps shifted to epochs 1..5")
        check([r["test_acc"] for r in rows] == tw.FIXTURE["val/acc"], "simple_value scalars")
        check([r["train_loss"] for r in rows] == tw.FIXTURE["train/loss"], "tensor_content floats")
        check([r["lr"] for r in rows] == tw.FIXTURE["lr"], "double_val tensors, native name lr")
        with open(os.path.join(out, "steps.jsonl")) as f:
            steps = [json.loads(l) for l in f]
        check(steps == [{"step": 100, "loss": 1.25}, {"step": 200, "loss": 0.625}], "step scalars")
        with open(os.path.join(out, "manifest.json")) as f:
            manifest = json.load(f)
        check(manifest["format"] == {"name": "gradcert-run", "version": 1}, "format version")
        check(manifest["sources"][0]["skipped_non_scalar_values"] == 10, "histograms skipped")
        check(manifest["scale"] == "fixture", "scale recorded")
        rc, err = ingest(gradcert, [FIXTURE], out, "--map", mapping)
        check(rc == 2 and "already holds a run" in err, "existing run refused")

        # Random-looking values from the writer, many records, round trip exactly (float32).
        payloads = [tw.version_event()]
        expected = []
        for e in range(1, 41):
            x = ((e * 7919) % 1000) / 1024.0
            expected.append(x)
            payloads.append(tw.summary_event(2.0e9 + e, e, [tw.value_simple("test_acc", x)]))
        big = os.path.join(tmp, "events.out.tfevents.big")
        tw.write_records(big, payloads)
        out2 = os.path.join(tmp, "run2")
        rc, err = ingest(gradcert, [big], out2)
        check(rc == 0 and [r["test_acc"] for r in read_csv(os.path.join(out2, "epochs.csv"))]
              == expected, f"native tag test_acc needs no map, 40 epochs from 1 ({err})")

        # Corruption: one flipped byte in a record's data, or in its length field.
        data = open(FIXTURE, "rb").read()
        offsets = []
        pos = 0
        while pos < len(data):
            offsets.append(pos)
            pos += 16 + int.from_bytes(data[pos:pos + 8], "little")
        k = 3
        bad = bytearray(data)
        bad[offsets[k] + 12 + 5] ^= 0x01
        f1 = os.path.join(tmp, "events.out.tfevents.datacrc")
        open(f1, "wb").write(bad)
        refused(gradcert, tmp, [f1], [f1, f"record at byte offset {offsets[k]}", "data CRC-32C"],
                "--map", mapping)
        bad = bytearray(data)
        bad[offsets[k] + 1] ^= 0x40
        f2 = os.path.join(tmp, "events.out.tfevents.lencrc")
        open(f2, "wb").write(bad)
        refused(gradcert, tmp, [f2], [f2, f"record at byte offset {offsets[k]}", "length CRC-32C"],
                "--map", mapping)
        # Truncation inside a header, inside data, and inside the trailing CRC.
        for cut, what in ((offsets[k] + 5, "truncated header"), (offsets[k] + 20, "truncated"),
                          (len(data) - 2, "truncated")):
            f3 = os.path.join(tmp, f"events.out.tfevents.cut{cut}")
            open(f3, "wb").write(data[:cut])
            refused(gradcert, tmp, [f3], [f3, f"record at byte offset {offsets[k] if cut < offsets[-1] else offsets[-1]}", what],
                    "--map", mapping)
        # Unknown event-file version.
        f4 = os.path.join(tmp, "events.out.tfevents.v3")
        tw.write_records(f4, [tw.version_event(version="brain.Event:3")] + tw.fixture_payloads()[1:])
        refused(gradcert, tmp, [f4], [f4, "record at byte offset 0", "unknown event file version"],
                "--map", mapping)
        # Mapped tag absent.
        refused(gradcert, tmp, [FIXTURE], [FIXTURE, "missing required column", "val/top1"],
                "--map", "test_acc=val/top1")
        # Valid frame, malformed protocol buffer inside (length runs past the end).
        f5 = os.path.join(tmp, "events.out.tfevents.proto")
        tw.write_records(f5, [tw.version_event(), tw.f_double(1, 1.0) + b"\x2a\x7f\x01"])
        refused(gradcert, tmp, [f5], [f5, "malformed Event protocol buffer"], "--map", mapping)

        # CSV with a column map, and its refusals.
        c1 = os.path.join(tmp, "log.csv")
        open(c1, "w").write("ep,val/acc,train_loss,note\n0,0.5,2,x\n1,0.75,1,\"a,b\"\n")
        out3 = os.path.join(tmp, "run3")
        rc, err = ingest(gradcert, [c1], out3, "--map", "epoch=ep,test_acc=val/acc")
        rows = read_csv(os.path.join(out3, "epochs.csv")) if rc == 0 else []
        check(rc == 0 and rows == [{"epoch": 1, "train_loss": 2, "test_acc": 0.5},
                                   {"epoch": 2, "train_loss": 1, "test_acc": 0.75}],
              f"CSV with map and quoted cell ({err}) {rows}")
        refused(gradcert, tmp, [c1], [c1 + ":1", "missing required column \"epoch\""],
                "--map", "test_acc=val/acc")
        refused(gradcert, tmp, [c1], [c1 + ":1", "missing required column \"val/top1\""],
                "--map", "epoch=ep,test_acc=val/top1")
        c2 = os.path.join(tmp, "bad.csv")
        open(c2, "w").write("epoch,test_acc\n1,0.5\n2,high\n")
        refused(gradcert, tmp, [c2], [c2 + ":3", "\"high\" is not a number"])
        c3 = os.path.join(tmp, "short.csv")
        open(c3, "w").write("epoch,test_acc\n1,0.5\n2\n")
        refused(gradcert, tmp, [c3], [c3 + ":3", "1 cells, the header has 2"])
        # JSON lines (wandb-style history: per-step rows, val/acc only on epoch ends).
        j1 = os.path.join(tmp, "history.jsonl")
        open(j1, "w").write(
            '{"_step": 10, "epoch": 1, "train/loss": 1.5}\n'
            '{"_step": 20, "epoch": 1, "train/loss": 1.25, "val": {"acc": 0.6}}\n'
            '{"_step": 30, "epoch": 2, "train/loss": 1.0, "val": {"acc": 0.7}}\n')
        out4 = os.path.join(tmp, "run4")
        rc, err = ingest(gradcert, [j1], out4, "--map", "step=_step,step.loss=train/loss,"
                         "test_acc=val/acc,train_loss=train/loss")
        rows = read_csv(os.path.join(out4, "epochs.csv")) if rc == 0 else []
        check(rc == 0 and [r["test_acc"] for r in rows] == [0.6, 0.7]
              and [r["train_loss"] for r in rows] == [1.25, 1.0],
              f"JSON lines, nested keys, last value of an epoch wins ({err}) {rows}")
        j2 = os.path.join(tmp, "broken.jsonl")
        open(j2, "w").write('{"epoch": 1, "test_acc": 0.5}\n{"epoch": 2, "test_acc": \n')
        refused(gradcert, tmp, [j2], [j2 + ":2", "not a JSON object"])
        # Two sources contradicting each other.
        c4 = os.path.join(tmp, "other.csv")
        open(c4, "w").write("epoch,test_acc\n1,0.5\n2,0.9\n")
        c5 = os.path.join(tmp, "other2.csv")
        open(c5, "w").write("epoch,test_acc\n1,0.5\n2,0.8\n")
        refused(gradcert, tmp, [c4, c5], [c5, "line 3", "contradicts"])
        refused(gradcert, tmp, [os.path.join(tmp, "log.txt")], ["log.txt"])
        # The probe package's committed example run: its epochs.csv needs no map.
        example = os.path.join(HERE, "..", "..", "python", "examples", "fmnist-probe-epoch1")
        out5 = os.path.join(tmp, "run5")
        rc, err = ingest(gradcert, [os.path.join(example, "epochs.csv")], out5)
        rows = read_csv(os.path.join(out5, "epochs.csv")) if rc == 0 else []
        check(rc == 0 and len(rows) == 1 and len(rows[0]) == 30 and rows[0]["batch"] == 128,
              f"probe-written epochs.csv ingested without a map ({err})")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
