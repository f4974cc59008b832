"""Writes and reads gradcert's run format (docs/run-format.md, format gradcert-run version 1):
manifest.json (with "format"), epochs.csv (columns from EPOCH_COLUMNS, `nan` when not measured)
and steps.jsonl (one object per step, probe values under "probe" with "estimate": true).
"""
import json
import math
import os
import time

FORMAT = {"name": "gradcert-run", "version": 1}

# Every epochs.csv column of the run format, in order (numerics/engine/run/run_format.cpp).
EPOCH_COLUMNS = [
    "epoch", "updates", "lr", "batch", "delta_rel", "delta_rel_target", "train_loss", "train_acc",
    "test_loss", "test_acc", "delta", "delta_lo", "delta_hi", "c2", "c2_lo", "c2_hi",
    "grad_norm", "lambda_max", "sharpness", "adaptive_sharpness", "train_s", "probe_s", "wall_s",
    "hessian_trace", "hessian_trace_lo", "hessian_trace_hi", "b_simple", "tail_alpha",
    "tail_alpha_lo", "tail_alpha_hi"]


class RunFormatError(Exception):
    """A run directory that is not of this run format (callers exit with status 2)."""


def _num(x):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    return x


def _clean(obj):
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if k != "vectors"}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, float):
        return _num(obj)
    return obj


def _text(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "nan"
    if isinstance(x, int):
        return str(x)
    return repr(float(x))


def epoch_columns_from_probe(probe):
    """The end-of-epoch probe columns of epochs.csv from a Probe.measure() record."""
    out = {}
    noise = probe.get("noise")
    if noise:
        out.update(delta=noise["delta"][0], delta_lo=noise["delta"][1], delta_hi=noise["delta"][2],
                   c2=noise["c2"][0], c2_lo=noise["c2"][1], c2_hi=noise["c2"][2],
                   grad_norm=noise["grad_norm"])
    if probe.get("hessian"):
        h = probe["hessian"]
        out["lambda_max"] = h["lambda_max"]
        if "trace" in h:
            out.update(hessian_trace=h["trace"][0], hessian_trace_lo=h["trace"][1],
                       hessian_trace_hi=h["trace"][2])
    if probe.get("sharpness"):
        out["sharpness"] = probe["sharpness"]["keskar"]
    if probe.get("adaptive_sharpness"):
        out["adaptive_sharpness"] = probe["adaptive_sharpness"]["increase"]
    if probe.get("noise_scale"):
        out["b_simple"] = probe["noise_scale"]["b_simple"]
    if probe.get("tail"):
        t = probe["tail"]
        out.update(tail_alpha=t["alpha"], tail_alpha_lo=t["lo"], tail_alpha_hi=t["hi"])
    return out


class RunWriter:
    """A run directory being written. `columns` fixes the epochs.csv header (default: every
    column this writer is given in the first epoch row, in run-format order)."""

    def __init__(self, directory, manifest=None, scale="", columns=None):
        if os.path.exists(os.path.join(directory, "manifest.json")):
            raise RunFormatError(f"{directory}: already holds a run (manifest.json)")
        os.makedirs(directory, exist_ok=True)
        self.dir = directory
        self.manifest = dict(manifest or {})
        self.manifest.update(format=FORMAT, tool="gradcert_probe", status="running", scale=scale,
                             started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                             estimates="probe values (delta*, c2*, grad_norm, lambda_max, "
                             "sharpness*, hessian_trace*, b_simple, tail_alpha*; every \"probe\" "
                             "object in steps.jsonl) are sampled estimates, not bounds")
        if columns is not None:
            unknown = [c for c in columns if c not in EPOCH_COLUMNS]
            if unknown or "epoch" not in columns:
                raise RunFormatError(f"epochs.csv: columns {unknown} unknown or no epoch")
            columns = [c for c in EPOCH_COLUMNS if c in columns]
        self.columns = columns
        self._steps = open(os.path.join(directory, "steps.jsonl"), "w")
        self._epochs = None
        self._write_manifest()

    def _write_manifest(self):
        tmp = os.path.join(self.dir, "manifest.json.tmp")
        with open(tmp, "w") as f:
            json.dump(_clean(self.manifest), f, indent=2)
            f.write("\n")
        os.replace(tmp, os.path.join(self.dir, "manifest.json"))

    def step(self, step, **fields):
        """One steps.jsonl line: step plus e.g. epoch, lr, batch, loss, acc, probe=record."""
        line = {"step": int(step)}
        for k, v in fields.items():
            if k == "probe" and v is not None:
                v = dict(v, estimate=True)
            line[k] = v
        self._steps.write(json.dumps(_clean(line)) + "\n")
        self._steps.flush()

    def epoch(self, epoch, probe=None, **values):
        """One epochs.csv row; probe columns from an end-of-epoch probe record."""
        row = dict(values, epoch=epoch)
        if probe is not None:
            row.update(epoch_columns_from_probe(probe))
        unknown = [k for k in row if k not in EPOCH_COLUMNS]
        if unknown:
            raise RunFormatError(f"epochs.csv: unknown column(s) {unknown} (docs/run-format.md)")
        if self.columns is None:
            self.columns = [c for c in EPOCH_COLUMNS if c in row]
        dropped = [k for k in row if k not in self.columns]
        if dropped:
            raise RunFormatError(f"epochs.csv: column(s) {dropped} not in the header fixed by the "
                                 f"first row (pass columns= to RunWriter)")
        if self._epochs is None:
            self._epochs = open(os.path.join(self.dir, "epochs.csv"), "w")
            self._epochs.write(",".join(self.columns) + "\n")
        self._epochs.write(",".join(_text(row.get(c)) for c in self.columns) + "\n")
        self._epochs.flush()

    def close(self, status="finished", **extra):
        self.manifest.update(extra, status=status)
        self._write_manifest()
        self._steps.close()
        if self._epochs is None:
            self._epochs = open(os.path.join(self.dir, "epochs.csv"), "w")
            self._epochs.write("epoch\n")
        self._epochs.close()


def read_manifest(directory):
    """manifest.json of a run directory, its format checked; RunFormatError naming the file."""
    path = os.path.join(directory, "manifest.json")
    try:
        with open(path) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise RunFormatError(f"{path}: cannot read as JSON ({e})") from None
    fmt = manifest.get("format") if isinstance(manifest, dict) else None
    if fmt is None:
        raise RunFormatError(f"{path}: no run format version")
    if fmt != FORMAT:
        raise RunFormatError(f"{path}: unknown run format {fmt!r} (this reads {FORMAT!r})")
    return manifest


def read_epochs(directory):
    """epochs.csv as a list of {column: float} after checking the manifest's format."""
    read_manifest(directory)
    path = os.path.join(directory, "epochs.csv")
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    header = lines[0].split(",")
    if header[0] != "epoch" or any(c not in EPOCH_COLUMNS for c in header):
        raise RunFormatError(f"{path}:1: header {header} is not of the run format")
    return [dict(zip(header, map(float, l.split(",")))) for l in lines[1:]]
