#!/usr/bin/env python3
"""Checks .nir files the way the reference library's `nir.read` consumes them, with h5py only.

`nir.read` turns every HDF5 group into a dict (datasets via `[()]`, bytes decoded) and calls each node
class with exactly those keys (`cls(**kwargs)`): an unknown key, a missing required field or an unknown
type fails there. This script applies the same rules using the field lists of `nir/ir/*.py` (NIR 1.0.x),
so exports can be checked where the `nir` package cannot be installed (Debian: python3-h5py).

Usage: python3 scripts/check-nir-h5py.py file.nir [more.nir ...]
"""
import sys

import h5py
import numpy as np

# NIR 1.0 dataclass fields (required, optional) as written by nir.write (input_type/output_type dropped,
# Input/Output written as `shape`, Flatten's input_type kept).
FIELDS = {
    "Input": ({"shape"}, set()),
    "Output": ({"shape"}, set()),
    "Affine": ({"weight", "bias"}, set()),
    "Linear": ({"weight"}, set()),
    "Scale": ({"scale"}, set()),
    "Threshold": ({"threshold"}, set()),
    "Delay": ({"delay"}, set()),
    "I": ({"r"}, set()),
    "IF": ({"r", "v_threshold"}, {"v_reset"}),
    "LI": ({"tau", "r", "v_leak"}, set()),
    "LIF": ({"tau", "r", "v_leak", "v_threshold"}, {"v_reset"}),
    "CubaLI": ({"tau_syn", "tau_mem", "r", "v_leak"}, {"w_in"}),
    "CubaLIF": ({"tau_syn", "tau_mem", "r", "v_leak", "v_threshold"}, {"v_reset", "w_in"}),
    "Conv1d": ({"input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"}, set()),
    "Conv2d": ({"input_shape", "weight", "stride", "padding", "dilation", "groups", "bias"}, set()),
    "SumPool2d": ({"kernel_size", "stride", "padding"}, set()),
    "AvgPool2d": ({"kernel_size", "stride", "padding"}, set()),
    "Flatten": ({"input_type"}, {"start_dim", "end_dim"}),
}
ELEMENTWISE = {"Scale", "Threshold", "Delay", "I", "IF", "LI", "LIF", "CubaLI", "CubaLIF"}


def check_node(group, path, errors):
    if "type" not in group:
        errors.append(f"{path}: no type")
        return
    t = group["type"][()]
    t = t.decode("utf8") if isinstance(t, bytes) else t
    keys = set(group.keys()) - {"type", "metadata"}
    if t == "NIRGraph":
        if keys != {"nodes", "edges"}:
            errors.append(f"{path}: graph keys {sorted(keys)}")
            return
        names = set(group["nodes"].keys())
        edges = group["edges"][()]
        if edges.size:
            if edges.ndim != 2 or edges.shape[1] != 2 or not h5py.check_string_dtype(group["edges"].dtype):
                errors.append(f"{path}/edges: not N x 2 strings")
            for a, b in edges:
                for end in (a.decode("utf8"), b.decode("utf8")):
                    if end not in names:
                        errors.append(f"{path}/edges: unknown node {end}")
        for name in names:
            check_node(group["nodes"][name], f"{path}/nodes/{name}", errors)
        return
    if t not in FIELDS:
        errors.append(f"{path}: unknown type {t}")
        return
    required, optional = FIELDS[t]
    if not required <= keys:
        errors.append(f"{path}: {t} lacks {sorted(required - keys)}")
    if not keys <= required | optional:
        errors.append(f"{path}: {t} has unexpected {sorted(keys - required - optional)} (nir.read would fail)")
    if t in ELEMENTWISE:
        shapes = {k: group[k].shape for k in keys}
        if len(set(shapes.values())) > 1:
            errors.append(f"{path}: {t} fields differ in shape {shapes}")
    for k in keys:
        value = group[k][()]
        if isinstance(value, np.ndarray) and value.dtype.kind == "f" and not np.all(np.isfinite(value)):
            errors.append(f"{path}/{k}: non-finite values")


def check(filename):
    errors = []
    with h5py.File(filename, "r") as f:
        version = f["version"][()].decode("utf8") if "version" in f else None
        if version is None:
            errors.append("no /version")
        check_node(f["node"], "/node", errors)
        compressed = []
        f.visititems(lambda n, o: compressed.append(n) if isinstance(o, h5py.Dataset) and o.compression == "gzip" else None)
    return version, errors, len(compressed)


if __name__ == "__main__":
    failed = False
    for name in sys.argv[1:]:
        version, errors, compressed = check(name)
        print(f"{name}: version {version}, {compressed} gzip datasets, {'OK' if not errors else 'FAIL'}")
        for e in errors:
            print(f"  {e}")
        failed |= bool(errors)
    sys.exit(1 if failed else 0)
