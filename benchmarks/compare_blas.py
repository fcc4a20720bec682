#!/usr/bin/env python3
"""GEMM reference figures: NumPy (OpenBLAS) and PyTorch on the shapes GemmBenchmark measures.

Run it as
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/compare_blas.py
(those two variables force OpenBLAS's old AVX2 kernels on these machines). Each thread count runs
in a child process whose OPENBLAS_NUM_THREADS / OMP_NUM_THREADS are set before NumPy and PyTorch
load, since OpenBLAS reads them once; threadpoolctl is used instead when it is installed.
Figures are GFLOP/s = 2*m*n*k / seconds per product, best of --repeats timed repeats of at least
--min-time seconds each (defaults 20 x 0.1 s, as GemmBenchmark is run with -i 20 -r 100ms).

With --jmh FILE (the JSON of `./vecgrad bench GemmBenchmark -rf json
-rff FILE`), vecgrad's figures from that run are printed beside them with the ratios, taking the
best JMH iteration (the machine is shared, so best-of on both sides is the fairest comparison).
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
    ("mlp_fwd", 128, 256, 784, False, False),   # x.W    (128x784)(784x256)
    ("mlp_dW", 784, 256, 128, True, False),     # xT.dy  (784x128)(128x256), x stored 128x784
    ("mlp_dx", 128, 784, 256, False, True),     # dy.WT  (128x256)(256x784), W stored 784x256
]


def shapes():
    """(name, m, n, k, transA, transB); names are GemmBenchmark's @Param values."""
    out = [("sq%d" % s, s, s, s, False, False) for s in SQUARE]
    return out + MLP


def jmh_gflops(path, threads, dtype):
    """{shape: best GFLOP/s} of GemmBenchmark.sgemm (or dgemm) at `threads` from a JMH JSON file."""
    method = "sgemm" if dtype == "float32" else "dgemm"
    dims = {name: (m, n, k) for name, m, n, k, _, _ in shapes()}
    out = {}
    for run in json.load(open(path)):
        if not run["benchmark"].endswith("GemmBenchmark." + method):
            continue
        params = run.get("params", {})
        if int(params.get("threads", 0)) != threads or params.get("shape") not in dims:
            continue
        metric = run["primaryMetric"]
        scale = {"us/op": 1e-6, "ms/op": 1e-3, "ns/op": 1e-9, "s/op": 1.0}[metric["scoreUnit"]]
        best = min(x for fork in metric["rawData"] for x in fork)
        m, n, k = dims[params["shape"]]
        out[params["shape"]] = 2.0 * m * n * k / (best * scale) / 1e9
    return out


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


def measure(fn, flops, min_time, repeats, clock):
    fn()
    reps = 1
    while True:
        t0 = clock()
        for _ in range(reps):
            fn()
        dt = clock() - t0
        if dt >= min_time:
            break
        reps *= 2
    best = float("inf")
    for _ in range(repeats):
        t0 = clock()
        for _ in range(reps):
            fn()
        best = min(best, (clock() - t0) / reps)
    return flops / best / 1e9


def child(threads, dtype, min_time, repeats, clock_name):
    import numpy as np
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(threads)
    except ImportError:
        pass
    import torch
    torch.set_num_threads(threads)
    clock = time.process_time if clock_name == "cpu" else time.perf_counter
    rows = []
    for name, m, n, k, ta, tb in shapes():
        flops = 2.0 * m * n * k
        a, b, c = operands("numpy", m, n, k, ta, tb, dtype)
        g_np = measure(lambda: np.matmul(a, b, out=c), flops, min_time, repeats, clock)
        ta_, tb_, tc_ = operands("torch", m, n, k, ta, tb, dtype)
        g_t = measure(lambda: torch.matmul(ta_, tb_, out=tc_), flops, min_time, repeats, clock)
        rows.append({"shape": name, "m": m, "n": n, "k": k, "numpy": g_np, "torch": g_t})
    print(json.dumps({"threads": threads, "numpy": np.__version__, "torch": torch.__version__,
                      "config": blas_name(), "rows": rows}))


def blas_name():
    """The BLAS library NumPy loaded, from this process's memory map (Linux)."""
    try:
        libs = {line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower()}
        return ", ".join(sorted(os.path.basename(x) for x in libs)) or "unknown"
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--min-time", type=float, default=0.1,
                    help="seconds one timed repeat lasts at least (match JMH's -r)")
    ap.add_argument("--repeats", type=int, default=20, help="timed repeats, best taken (match JMH's -i)")
    ap.add_argument("--jmh", help="JMH JSON result of GemmBenchmark to print beside the references")
    ap.add_argument("--clock", default="wall", choices=["wall", "cpu"],
                    help="wall time, or process CPU time (one thread only; for shared, busy cores)")
    ap.add_argument("--vecgrad-cpu", help="output of dev.vecgrad.bench.GemmCpuTime to print beside --clock cpu figures")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.dtype, args.min_time, args.repeats, args.clock)
        return
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print("warning: %s is set; it forces an old OpenBLAS kernel (run with env -u %s)" % (var, var),
                  file=sys.stderr)
    threads = [int(x) for x in args.threads.split(",")]
    if args.clock == "cpu":
        threads = [1]  # process CPU time adds up all threads: only one thread gives a speed
    for t in threads:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(t), OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t),
                   OMP_WAIT_POLICY="PASSIVE")
        out = subprocess.run([sys.executable, __file__, "--child", str(t), "--dtype", args.dtype,
                              "--min-time", str(args.min_time), "--repeats", str(args.repeats),
                              "--clock", args.clock],
                             env=env, check=True, capture_output=True, text=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        vg = jmh_gflops(args.jmh, t, args.dtype) if args.jmh else {}
        if args.vecgrad_cpu:
            vg = {line.split()[0]: float(line.split()[1]) for line in open(args.vecgrad_cpu)
                  if line.strip() and not line.startswith("#")}
        print("threads=%d  dtype=%s  clock=%s  numpy %s (%s)  torch %s  [GFLOP/s]" % (
            t, args.dtype, args.clock, res["numpy"], res["config"], res["torch"]))
        print("  %-24s %9s %9s %9s %11s %11s" % ("shape (m, n, k)", "vecgrad", "numpy", "torch", "vg/numpy", "vg/torch"))
        for r in res["rows"]:
            v = vg.get(r["shape"])
            label = "%s (%d, %d, %d)" % (r["shape"], r["m"], r["n"], r["k"])
            if v is None:
                print("  %-24s %9s %9.1f %9.1f" % (label, "-", r["numpy"], r["torch"]))
            else:
                print("  %-24s %9.1f %9.1f %9.1f %10.2fx %10.2fx" % (label, v, r["numpy"], r["torch"], v / r["numpy"],
                                                                     v / r["torch"]))


if __name__ == "__main__":
    main()
