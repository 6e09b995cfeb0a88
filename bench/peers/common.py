"""Shared helpers of the peer scripts: argument parsing, timing like the neurite side, JSON output."""
import json
import statistics
import sys
import time


def args():
    return json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}


def measure(fn, warmup, repeats, sync=None):
    """Warm-up runs, then `repeats` timed runs with perf_counter: median, min and max in ms, and the
    median CPU time of the process. `sync` waits for queued device work (CUDA), so a run ends when the
    GPU is idle, as on the neurite side."""
    for _ in range(warmup):
        fn()
        if sync:
            sync()
    times, cpu = [], []
    for _ in range(repeats):
        cpu_start = time.process_time()
        start = time.perf_counter()
        fn()
        if sync:
            sync()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    return {
        "medianMs": round(statistics.median(times), 3),
        "minMs": round(min(times), 3),
        "maxMs": round(max(times), 3),
        "runs": repeats,
        # CPU time of the process per run: wall time minus waiting for a busy machine (see timing.ts).
        "cpuMedianMs": round(statistics.median(cpu), 3),
    }


def blas_info():
    """Which BLAS numpy calls and, for OpenBLAS, the kernel it chose for this processor."""
    import ctypes
    import numpy

    for name in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_config.restype = ctypes.c_char_p
            lib.openblas_get_corename.restype = ctypes.c_char_p
            version = lib.openblas_get_config().decode().split()[1]
            return f"OpenBLAS {version}, {lib.openblas_get_corename().decode()} kernels"
        except (OSError, AttributeError):
            continue
    return f"numpy {numpy.__version__} (BLAS not OpenBLAS)"


def emit(result):
    print(json.dumps(result))
