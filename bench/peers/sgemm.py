"""Peer of the `sgemm` workload: float32 n×n matrix products with numpy, on `threads` BLAS threads."""
import numpy as np

from common import args, blas_info, emit, measure

a = args()
rng = np.random.default_rng(0)
out = {"name": "numpy", "version": np.__version__, "blas": blas_info(), "threads": a["threads"], "sizes": {}}
for n in a["sizes"]:
    x = rng.standard_normal((n, n), dtype=np.float32)
    y = rng.standard_normal((n, n), dtype=np.float32)
    out["sizes"][str(n)] = measure(lambda: x @ y, a["warmup"], a["repeats"])
emit(out)
