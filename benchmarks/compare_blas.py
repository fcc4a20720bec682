#!/usr/bin/env python3
"""GEMM reference figures: NumPy (OpenBLAS) and PyTorch on the shapes GemmBenchmark measures.

Run it as
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/compare_blas.py
(those two variables force OpenBLAS's old AVX2 kernels on these machines). Each thread count runs
in a child process whose OPENBLAS_NUM_THREADS / OMP_NUM_THREADS are set before NumPy and PyTorch
load, since OpenBLAS reads them once; threadpoolctl is used instead when it is installed.
Figures are GFLOP/s = 2*m*n*k / seconds per product, best of several timed repeats.
"""
import argparse
import json
import os
import subprocess
import sys
import time

# name, m, n, k, transA, transB -- the shapes of GemmBenchmark (square, then the MLP layer's products).
SQUARE = [64, 128, 256, 512, 1024, 2048]
MLP = [
    ("mlp_fwd x.W (128x784)(784x256)", 128, 256, 784, False, False),
    ("mlp_dW xT.dy (784x128)(128x256)", 784, 256, 128, True, False),
    ("mlp_dx dy.WT (128x256)(256x784)", 128, 784, 256, False, True),
]


def shapes():
    out = [("square %d" % s, s, s, s, False, False) for s in SQUARE]
    return out + MLP


def operands(lib, m, n, k, ta, tb, dtype):
    """A, B stored as GEMM would receive them (transposed operands stored k x m / n x k) and C."""
    import numpy as np
    rng = np.random.default_rng(42)
    a = rng.standard_normal((k, m) if ta else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if tb else (k, n)).astype(dtype)
    c = np.empty((m, n), dtype=dtype)
    if lib == "torch":
        import torch
        a, b, c = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
    return (a.T if ta else a), (b.T if tb else b), c


def measure(fn, flops, min_time):
    fn()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / 5:
            break
        reps *= 2
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t0) / reps)
    return flops / best / 1e9


def child(threads, dtype, min_time):
    import numpy as np
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except ImportError:
        pass
    import torch
    torch.set_num_threads(threads)
    rows = []
    for name, m, n, k, ta, tb in shapes():
        flops = 2.0 * m * n * k
        a, b, c = operands("numpy", m, n, k, ta, tb, dtype)
        g_np = measure(lambda: np.matmul(a, b, out=c), flops, min_time)
        ta_, tb_, tc_ = operands("torch", m, n, k, ta, tb, dtype)
        g_t = measure(lambda: torch.matmul(ta_, tb_, out=tc_), flops, min_time)
        rows.append({"shape": name, "m": m, "n": n, "k": k, "numpy": g_np, "torch": g_t})
    print(json.dumps({"threads": threads, "numpy": np.__version__, "torch": torch.__version__,
                      "config": blas_name(), "rows": rows}))


def blas_name():
    try:
        import numpy as np
        info = np.show_config(mode="dicts")
        return info["Build Dependencies"]["blas"]["name"]
    except Exception:  # older NumPy without mode="dicts"
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds of timing per shape and library")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.dtype, args.min_time)
        return
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print("warning: %s is set; it forces an old OpenBLAS kernel (run with env -u %s)" % (var, var),
                  file=sys.stderr)
    for t in (int(x) for x in args.threads.split(",")):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t),
                   OMP_WAIT_POLICY="PASSIVE")
        out = subprocess.run([sys.executable, __file__, "--child", str(t), "--dtype", args.dtype,
                              "--min-time", str(args.min_time)], env=env, check=True, capture_output=True, text=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        print("threads=%d  dtype=%s  numpy %s (%s)  torch %s" % (t, args.dtype, res["numpy"], res["config"], res["torch"]))
        print("  %-34s %10s %10s" % ("shape (m x k)(k x n)", "numpy", "torch"))
        for r in res["rows"]:
            print("  %-34s %10.1f %10.1f  GFLOP/s" % (r["shape"], r["numpy"], r["torch"]))


if __name__ == "__main__":
    main()
