#!/usr/bin/env python3
"""vecgrad's kernels beside NumPy and PyTorch on the same shapes, in one run, as a ratio table.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/compare_peers.py

times vecgrad's kernels (from benchmarks/target/benchmarks.jar; build it first with `mvn -q -DskipTests
package -pl benchmarks -am`) and the same operations in NumPy and PyTorch, and prints for every row
each side's figure and their ratio (above 1: vecgrad is faster).

--method alternating (the default) keeps one vecgrad JVM (dev.vecgrad.bench.alternating.TimingServer,
started with the JVM flags of the row's JMH benchmark) and one Python process per peer thread count
alive, and speaks to each one command a line. For every row it warms each side up (vecgrad at least
--warm seconds, and on while its block rate still rises or its JIT still compiles: a large Vector
API loop runs far slower until C2 has compiled it; each peer at least --peer-warm seconds), then
runs --rounds rounds of one --block of each side in turn, the order reversed every other round, each
block starting once the previous side's process has stopped using CPU (OpenBLAS's threads spin for
about 0.1 s after a call); one and two threads of a product are two workloads of the same JVM, each
with its own thread pool, and each side's thread counts run back to back. The vCPUs of a virtual
machine need not run vector code at the same speed (a host core's other hyperthread can be busy with
another guest), and a thread the scheduler moves from one to the other takes that speed with it. So
in the rounds (not the warm-up) every thread of the side whose one-thread block runs is pinned to one vCPU, the same
one for both sides of a round, the rounds taking the vCPUs in turn; for a two-thread block the
side's threads may run anywhere. Neighbouring blocks share the machine's phase, so the ratio printed is
the median over the rounds of vecgrad's block over the better peer's (the one with the higher
median) block of the same round, with the lowest and highest beside it; the vecgrad and peer
columns are each side's best block. One-thread rows are timed by the thread's CPU time on both
sides, two-thread rows and the two-over-one ratios by wall clock.
A virtual machine's vCPUs can each run at a fraction of their speed for a while (a host core
shared with another guest), and a two-thread call then waits for the slower one, whatever the
code. So before each block and after a round's last, a helper process pinned to each vCPU in turn
times a fixed loop (about a millisecond, best of three), and /proc/stat gives each vCPU's steal
time over the round; the CPU time /proc/stat counts beside this run's own (this script, the timing
servers, the probe) gives the share of the vCPUs that other processes took over the round (the
"others" column: a build or test suite started meanwhile slows the two-thread and pair blocks,
timed by wall clock, while the one-thread blocks, timed by CPU time, read as fast as ever); a round
where they took more than --clean-others (0.05) is not clean, nor is any of its blocks. A round is clean when every one of those readings of every vCPU is at
--clean-speed (0.8) of the run's best reading or more. Every ratio is also given over the clean
blocks only, with how many rounds it kept: with --clean-rule round (the default) the blocks of the
clean rounds, the same rounds for every side; with --clean-rule block each block whose two
neighbouring readings (just before and just after it) are at --clean-speed or more, so that a vCPU
slowing for a moment costs the blocks beside it rather than the round; a ratio of two blocks is
kept when both are. The summary says how many rounds and how many blocks were clean, and the
two-over-one rows print each round's vCPU speeds (first, mean and last reading) beside them.
Each vCPU can read fast alone while the two together get far less than two cores (seen on a KVM
guest: two threads of a register-only FMA loop at 0.7 of one thread's throughput for half an hour,
while the per-vCPU loop read both vCPUs at full speed). So on GEMM rows timed with two threads,
vecgrad's timing server also reads the two-core capacity at every vCPU reading (its `capacity`
command: an FMA loop on registers, 16 vector chains for about a millisecond, on one thread and then
on two at once; fma2/fma1, the pair's rate over the run's best one-thread rate, is about 2.0 on two
idle cores), and a reading below --clean-capacity (1.8) makes a round, or the blocks beside it, not
clean as a slow vCPU does (--clean-speed 0 classifies by the capacity alone); the two-over-one rows
print each round's fma2/fma1 (min/mean/max) and the row's median. Those rows also time "vecgrad
pair": two independent one-thread products at once on two threads (no split, nothing shared), whose
rate over vecgrad's one-thread block is the two-thread ratio the machine allows at that moment.
--json writes every block, warm-up included, and each round's vCPU speeds. A timing process that
dies, or gives no reply within --reply-timeout seconds, stops the run with its standard error
shown. Its tests (run by the build's ComparePeersScriptTest too):
python3 -m unittest discover -s benchmarks -p 'test_*.py'.

--method jmh runs, for --rounds rounds, the JMH benchmarks (GemmBenchmark, ElementwiseBenchmark)
and then the peers. Each side's figure is its best timed iteration over all rounds (iterations of
--iteration seconds after --warmup of them; vecgrad's warm-up iterations last --jmh-warmup seconds
where given), the same rule on both sides, and the range of the per-round ratios is printed beside
it. Its forks and the peers' runs are minutes apart, so on a machine whose speed drifts their ratio
moves with it.

Suites (--suite):
  gemm         GemmBenchmark.sgemm / dgemm: square 64..2048 (and 96, 192 when --shapes names them)
               and one MLP layer's three products (forward x·W, weight gradient xᵀ·dy, input
               gradient dy·Wᵀ), at each of --threads;
               peers np.matmul(out=) and torch.matmul(out=), GFLOP/s.
  elementwise  ElementwiseBenchmark: add, mul, relu, sigmoid, tanh, exp, gelu (exact) and gelu_tanh
               at --sizes elements of float32, one thread, both into a preallocated output
               ("kernel": vecgrad's Kernels call, NumPy's out=, PyTorch's out=) and allocating
               ("op": Tensor.add & co., np.add(a, b), torch.add(a, b)); Gelem/s. NumPy has no
               sigmoid or gelu; its rows use the usual composite (marked *). The "pool" rows are
               vecgrad's op inside an OutputPool that gets each output back (addInPool & co.),
               beside the peers' allocating op, whose allocator hands back the block just freed.
               The "copy" row (System.arraycopy, np.copyto, Tensor.copy_) is each side's memory
               bandwidth in the same run; the GB/s column is vecgrad's figure times the bytes the
               row reads and writes (12 an element for add and mul, 8 for the rest). The
               "loop_copy" row is vecgrad's copy as a plain Java loop, whose stores read each
               output line first as every kernel's do (the JVM's arraycopy streams past the cache
               from 2.5 MB on), beside the same peer copies: the bandwidth a kernel can reach.

The peers' threads are pinned before NumPy and PyTorch load (OPENBLAS_NUM_THREADS,
OMP_NUM_THREADS, torch.set_num_threads; each thread count runs in its own child process).
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from the children's environment, and the
OpenBLAS kernel that ran is printed (openblas_get_corename of the library loaded, or
threadpoolctl's "architecture"). An OpenBLAS that does not know the CPU falls back to an old
generic kernel (0.3.21 runs Prescott's SSE3 code on recent Xeons); with --openblas-coretype auto
(the default) the GEMM peers are then measured a second time with OPENBLAS_CORETYPE set to the
newest kernel family the CPU's flags allow (SkylakeX for AVX-512, Haswell or Zen for AVX2), and
the faster of the two counts. Where its own choice already runs the widest vectors (0.3.21 picks
Cooperlake, its AVX-512 kernel, on an AMD EPYC of the Zen 5 generation) that choice is the peer.

--avx2 measures both sides as on an AVX2 machine (16 vector registers of 256 bits) on a CPU that
also has AVX-512: vecgrad's JVMs run with -XX:UseAVX=2 (the Vector API's preferred species is then
256 bits wide), the GEMM peers with OPENBLAS_CORETYPE=Haswell (Zen on AMD), NumPy with its AVX-512
loops disabled (NPY_DISABLE_CPU_FEATURES) and PyTorch with ATEN_CPU_CAPABILITY=avx2. --jvm-flag adds
any other flag to vecgrad's JVMs: JMH's forks inherit the flags of the JVM that launches them, beside
each benchmark's own @Fork(jvmArgsAppend) flags (JMH's -jvmArgsAppend option would replace those).
"""
import argparse
import json
import os
import select
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SQUARE = [64, 128, 256, 512, 1024, 2048]
# Square sizes run only when --shapes names them: they probe the small-product path's edges (96: a
# tile and a half of columns; 192: just deeper than that path takes) rather than add a size of
# their own to the default table.
SQUARE_ON_REQUEST = [96, 192]
# name, m, n, k, transA, transB: the products of a 784-256 dense layer on a batch of 128.
MLP = [
    ("mlp_fwd", 128, 256, 784, False, False),   # x·W    (128x784)(784x256)
    ("mlp_dW", 784, 256, 128, True, False),     # xᵀ·dy  (784x128)(128x256), x stored 128x784
    ("mlp_dx", 128, 784, 256, False, True),     # dy·Wᵀ  (128x256)(256x784), W stored 784x256
]
ELEMENTWISE = ["add", "mul", "relu", "sigmoid", "tanh", "exp", "gelu", "gelu_tanh", "copy", "loop_copy"]
# vecgrad's JMH method for each elementwise row: (into a preallocated output, allocating, allocating in a pool).
JMH_METHODS = {op: (op + "Kernel", op, op + "InPool") for op in ELEMENTWISE}
JMH_METHODS["gelu_tanh"] = ("geluTanhKernel", "geluTanh", "geluTanhInPool")
JMH_METHODS["copy"] = ("copyBaseline", None, None)
JMH_METHODS["loop_copy"] = ("loopCopyBaseline", None, None)
# Bytes an elementwise row reads and writes per element (f32; stores that read the line first move 4 more).
ROW_BYTES = {op: 12 if op in ("add", "mul") else 8 for op in ELEMENTWISE}
FORMS = ("kernel", "op", "pool")
GENERIC_OPENBLAS = {"prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "generic",
                    "katmai", "coppermine", "northwood", "banias", "opteron", "barcelona", "athlon"}
AVX512_OPENBLAS = {"skylakex", "cooperlake", "sapphirerapids"}
AVX2_OPENBLAS = {"haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator"}
# --avx2: the peers' switches that keep NumPy's and PyTorch's own loops to AVX2.
AVX2_PEER_ENV = {"NPY_DISABLE_CPU_FEATURES": "AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL",
                 "ATEN_CPU_CAPABILITY": "avx2"}


SHAPES = None  # --shapes: the GEMM rows to run (None: all)


def gemm_shapes():
    """(name, m, n, k, transA, transB), squares by size, then MLP; names are GemmBenchmark's shapes."""
    squares = SQUARE if SHAPES is None else sorted(SQUARE + SQUARE_ON_REQUEST)
    every = [("sq%d" % s, s, s, s, False, False) for s in squares] + MLP
    return [s for s in every if SHAPES is None or s[0] in SHAPES]


# ---------------------------------------------------------------------------------------------
# The peers (run in child processes whose thread variables are set before NumPy loads).

CLOCK = time.perf_counter


def best_rate(fn, work, warmup, iterations, seconds):
    """work / s of the best of `iterations` timed iterations of at least `seconds`, after `warmup` of them."""
    fn()
    reps = 1
    while True:
        t0 = CLOCK()
        for _ in range(reps):
            fn()
        dt = CLOCK() - t0
        if dt >= seconds / 2:
            break
        reps *= 2
    reps = max(reps, int(reps * seconds / dt + 0.5))
    best = 0.0
    for i in range(warmup + iterations):
        t0 = CLOCK()
        for _ in range(reps):
            fn()
        rate = work * reps / (CLOCK() - t0)
        if i >= warmup:
            best = max(best, rate)
    return best


def openblas_kernel():
    """The OpenBLAS kernel family this process loaded (NumPy's and PyTorch's, where both link the same library):
    "LIBRARY VERSION (KERNEL)". Asked of the library itself (openblas_get_corename, through ctypes, for every
    OpenBLAS mapped into the process), or else of threadpoolctl."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and "/" in line},
                           key=lambda p: ("openblas" not in os.path.basename(p), p))   # the library, not libblas.so
    except OSError:
        paths = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = lib.openblas_get_config.restype = ctypes.c_char_p
            config = lib.openblas_get_config().decode().split()
            return "%s %s (%s)" % (os.path.basename(path), config[1] if len(config) > 1 else "?",
                                   lib.openblas_get_corename().decode())
        except (OSError, AttributeError):
            continue
    try:
        from threadpoolctl import threadpool_info
        for lib in threadpool_info():
            if lib.get("internal_api") == "openblas":
                return "%s %s (%s)" % (os.path.basename(lib["filepath"]), lib.get("version"), lib.get("architecture"))
    except ImportError:
        pass
    return "unknown (no OpenBLAS found in the process)"


def gemm_peer_calls(np, torch, dtype, m, n, k, ta, tb):
    """{peer: a call of C = op(A)·op(B) into a preallocated C} on fixed-seed operands in their stored layouts."""
    rng = np.random.default_rng(42)
    a = rng.standard_normal((k, m) if ta else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if tb else (k, n)).astype(dtype)
    c = np.empty((m, n), dtype=dtype)
    an, bn = (a.T if ta else a), (b.T if tb else b)
    at, bt, ct = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
    at, bt = (at.T if ta else at), (bt.T if tb else bt)
    return {"NumPy": lambda: np.matmul(an, bn, out=c), "PyTorch": lambda: torch.matmul(at, bt, out=ct)}


def peer_gemm(args):
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    rows = {}
    for dtype in args.dtypes:
        for name, m, n, k, ta, tb in gemm_shapes():
            flops = 2.0 * m * n * k / 1e9
            rows["%s %s" % (dtype, name)] = {
                peer: best_rate(fn, flops, args.warmup, args.iterations, args.iteration)
                for peer, fn in gemm_peer_calls(np, torch, dtype, m, n, k, ta, tb).items()}
    return rows


def elementwise_peer_calls(np, torch, size):
    """{op: (NumPy into out=, NumPy allocating, PyTorch into out=, PyTorch allocating)} on fixed-seed inputs of
    `size` float32 elements; None where a peer has no such call."""
    import torch.nn.functional as F
    c = 0.7978845608028654  # sqrt(2 / pi)

    def np_sigmoid_out(x, o):
        np.negative(x, out=o)
        np.exp(o, out=o)
        o += 1
        np.reciprocal(o, out=o)

    def np_gelu_tanh_out(x, o, t):
        np.multiply(x, x, out=t)
        t *= 0.044715 * c
        t += c
        t *= x
        np.tanh(t, out=t)
        t += 1
        np.multiply(x, t, out=o)
        o *= 0.5

    rng = np.random.default_rng(1)
    a = rng.uniform(-4, 4, size).astype(np.float32)
    b = rng.uniform(-4, 4, size).astype(np.float32)
    o = np.empty_like(a)
    t = np.empty_like(a)
    ta, tb, to = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(o)
    calls = {
        "add": ((lambda: np.add(a, b, out=o)), (lambda: np.add(a, b)),
                (lambda: torch.add(ta, tb, out=to)), (lambda: torch.add(ta, tb))),
        "mul": ((lambda: np.multiply(a, b, out=o)), (lambda: np.multiply(a, b)),
                (lambda: torch.mul(ta, tb, out=to)), (lambda: torch.mul(ta, tb))),
        "relu": ((lambda: np.maximum(a, 0, out=o)), (lambda: np.maximum(a, 0)),
                 (lambda: torch.clamp_min(ta, 0, out=to)), (lambda: torch.relu(ta))),
        "sigmoid": ((lambda: np_sigmoid_out(a, o)), (lambda: 1 / (1 + np.exp(-a))),
                    (lambda: torch.sigmoid(ta, out=to)), (lambda: torch.sigmoid(ta))),
        "tanh": ((lambda: np.tanh(a, out=o)), (lambda: np.tanh(a)),
                 (lambda: torch.tanh(ta, out=to)), (lambda: torch.tanh(ta))),
        "exp": ((lambda: np.exp(a, out=o)), (lambda: np.exp(a)),
                (lambda: torch.exp(ta, out=to)), (lambda: torch.exp(ta))),
        "gelu": (None, None,
                 (lambda: torch._C._nn.gelu(ta, out=to)), (lambda: F.gelu(ta))),
        "copy": ((lambda: np.copyto(o, a)), None, (lambda: to.copy_(ta)), None),
        "gelu_tanh": ((lambda: np_gelu_tanh_out(a, o, t)),
                      (lambda: 0.5 * a * (1 + np.tanh(c * (a + 0.044715 * a ** 3)))),
                      (lambda: torch._C._nn.gelu(ta, approximate="tanh", out=to)),
                      (lambda: F.gelu(ta, approximate="tanh"))),
    }
    calls["loop_copy"] = calls["copy"]   # the peers' copy, beside vecgrad's loop copy
    return calls


# NumPy has no sigmoid or gelu: its rows for these ops time the usual composite (marked * in the table).
NUMPY_COMPOSITE = ("sigmoid", "gelu_tanh")


def peer_elementwise(args):
    import numpy as np
    import torch
    torch.set_num_threads(1)
    rows = {}
    for size in args.sizes:
        cases = elementwise_peer_calls(np, torch, size)
        work = size / 1e9
        for op in args.ops:
            np_out, np_new, t_out, t_new = cases[op]
            composite = "*" if op in NUMPY_COMPOSITE else ""
            for form, fn_np, fn_t in (("kernel", np_out, t_out), ("op", np_new, t_new)):
                if form not in args.forms and (form != "op" or "pool" not in args.forms) or fn_t is None:
                    continue
                key = "%s %d %s" % (op, size, form)
                rows[key] = {}
                if fn_np is not None:
                    rows[key]["NumPy" + composite] = best_rate(fn_np, work, args.warmup, args.iterations,
                                                               args.iteration)
                rows[key]["PyTorch"] = best_rate(fn_t, work, args.warmup, args.iterations, args.iteration)
    return rows


def serve_peers(args):
    """The peers' side of --method alternating: the timing server's line protocol on stdin/stdout.

    setup NAME gemm f32|f64 M N K nn|tn|nt|tt numpy|torch   -> {"name", "work", "unit", "peer"}
    setup NAME elementwise OP SIZE kernel|op numpy|torch   -> the same ("op": the allocating call)
    run NAME 100ms   -> {"name", "calls", "cpu_ns" (this thread's CPU time), "wall_ns"}
    drop NAME, info  -> {"name", "dropped"}, {"openblas", "threads"}
    A command that cannot run gets {"error": ...}; end of input ends the process."""
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    loads = {}   # name -> (call, work)
    peers = {"numpy": "NumPy", "torch": "PyTorch"}

    def setup(w):
        if len(w) < 4 or w[-1] not in peers:
            raise ValueError("usage: setup NAME gemm|elementwise ... numpy|torch")
        peer = peers[w[-1]]
        if w[2] == "gemm":
            if len(w) != 9 or w[3] not in ("f32", "f64") or w[7] not in ("nn", "tn", "nt", "tt"):
                raise ValueError("usage: setup NAME gemm f32|f64 M N K nn|tn|nt|tt numpy|torch")
            m, n, k = (positive(x) for x in w[4:7])
            dtype = "float32" if w[3] == "f32" else "float64"
            call = gemm_peer_calls(np, torch, dtype, m, n, k, w[7][0] == "t", w[7][1] == "t")[peer]
            work, unit = 2.0 * m * n * k, "flop"
        elif w[2] == "elementwise":
            if len(w) != 7 or w[5] not in ("kernel", "op"):
                raise ValueError("usage: setup NAME elementwise OP SIZE kernel|op numpy|torch")
            size = positive(w[4])
            cases = elementwise_peer_calls(np, torch, size)
            if w[3] not in cases:
                raise ValueError("unknown elementwise op '%s' (known: %s)" % (w[3], ", ".join(cases)))
            call = cases[w[3]][(0 if peer == "NumPy" else 2) + (w[5] == "op")]
            if call is None:
                raise ValueError("%s has no %s form of %s" % (peer, w[5], w[3]))
            if peer == "NumPy" and w[3] in NUMPY_COMPOSITE:
                peer += "*"
            work, unit = float(size), "element"
        else:
            raise ValueError("unknown workload '%s' (known: gemm, elementwise)" % w[2])
        loads[w[1]] = (call, work)
        return {"name": w[1], "work": work, "unit": unit, "peer": peer}

    def run(w):
        if len(w) != 3 or not w[2].endswith("ms"):
            raise ValueError("usage: run NAME 100ms")
        if w[1] not in loads:
            raise ValueError("no workload named '%s' (set it up first)" % w[1])
        call = loads[w[1]][0]
        calls = 0
        cpu0, t0 = time.thread_time_ns(), time.perf_counter_ns()
        end = t0 + positive(w[2][:-2]) * 1000000
        while True:
            call()
            calls += 1
            now = time.perf_counter_ns()
            if now >= end:
                break
        return {"name": w[1], "calls": calls, "cpu_ns": time.thread_time_ns() - cpu0, "wall_ns": now - t0}

    def drop(w):
        if len(w) != 2 or loads.pop(w[1], None) is None:
            raise ValueError("usage: drop NAME (of a workload set up)")
        return {"name": w[1], "dropped": True}

    commands = {"setup": setup, "run": run, "drop": drop,
                "info": lambda w: {"openblas": openblas_kernel(), "threads": args.threads}}
    for line in sys.stdin:
        w = line.split()
        if not w:
            continue
        try:
            if w[0] not in commands:
                raise ValueError("unknown command '%s' (known: %s)" % (w[0], ", ".join(commands)))
            reply = commands[w[0]](w)
        except (ValueError, MemoryError) as e:
            reply = {"error": "%s (in: %s)" % (e, line.strip())}
        print(json.dumps(reply), flush=True)


# A fixed loop of pure-Python arithmetic (about a millisecond): its speed on a vCPU follows that vCPU's
# share of the host's core, whatever the workload the rounds measure.
CALIBRATION_LOOPS = 10000


def calibration_loop(n):
    x = 1
    for _ in range(n):
        x = (x * 69069 + 1) & 0xFFFFFFFF
    return x


def serve_calibration():
    """The vCPU speed probe of --method alternating: `cpu N` pins this process to vCPU N and times
    CALIBRATION_LOOPS of calibration_loop three times there -> {"cpu", "loops", "ns": the fastest, wall clock}.
    A command that cannot run gets {"error": ...}; end of input ends the process."""
    for line in sys.stdin:
        w = line.split()
        try:
            if len(w) != 2 or w[0] != "cpu" or not w[1].isdigit():
                raise ValueError("usage: cpu N")
            cpu = int(w[1])
            os.sched_setaffinity(0, {cpu})
            best = None
            for _ in range(3):
                t0 = time.perf_counter_ns()
                calibration_loop(CALIBRATION_LOOPS)
                ns = time.perf_counter_ns() - t0
                best = ns if best is None else min(best, ns)
            reply = {"cpu": cpu, "loops": CALIBRATION_LOOPS, "ns": best}
        except (ValueError, OSError) as e:
            reply = {"error": "%s (in: %s)" % (e, line.strip())}
        print(json.dumps(reply), flush=True)


def positive(s):
    try:
        v = int(s)
    except ValueError:
        v = 0
    if v < 1:
        raise ValueError("expected a whole number of at least 1, got '%s'" % s)
    return v


def child_main(args):
    global CLOCK
    if args.clock == "cpu" and args.threads == 1:
        CLOCK = time.thread_time
    if args.child == "serve":
        serve_peers(args)
        return
    if args.child == "calibrate":
        serve_calibration()
        return
    if args.child == "kernel":
        import numpy  # noqa: F401 (loads OpenBLAS)
        rows = {}
    else:
        rows = peer_gemm(args) if args.child == "gemm" else peer_elementwise(args)
    print(json.dumps({"kernel": openblas_kernel(), "rows": rows}))


# ---------------------------------------------------------------------------------------------
# The driver.

def cpu_flags():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split()), open("/proc/cpuinfo").read().count("AuthenticAMD") > 0
    except OSError:
        pass
    return set(), False


def best_coretype(flags, amd):
    """The newest OpenBLAS kernel family the CPU's instruction set runs, or None when unknown."""
    if "avx512f" in flags and "avx512bw" in flags and "avx512vl" in flags:
        return "SkylakeX"
    if "avx2" in flags and "fma" in flags:
        return "Zen" if amd else "Haswell"
    return None


def peer_env(args, threads, coretype):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    if args.avx2:
        env.update(AVX2_PEER_ENV)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def run_peer(args, suite, threads, coretype):
    cmd = [args.python, os.path.abspath(__file__), "--child", suite, "--threads", str(threads),
           "--shapes", ",".join(s[0] for s in gemm_shapes()),
           "--dtype", ",".join(args.dtypes), "--sizes", ",".join(map(str, args.sizes)), "--ops", ",".join(args.ops),
           "--forms", ",".join(args.forms),
           "--warmup", str(args.warmup), "--iterations", str(args.iterations), "--iteration", str(args.iteration),
           "--clock", args.clock]
    out = subprocess.run(cmd, env=peer_env(args, threads, coretype), check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def jmh_regex_and_params(args, suite):
    if suite == "gemm":
        methods = "|".join("sgemm" if d == "float32" else "dgemm" for d in args.dtypes)
        params = ["-p", "threads=" + ",".join(map(str, args.threads)),
                  "-p", "shape=" + ",".join(s[0] for s in gemm_shapes())]
        return "GemmBenchmark\\.(%s)$" % methods, params
    methods = "|".join(m for op in args.ops for m, form in zip(JMH_METHODS[op], FORMS) if m and form in args.forms)
    params = ["-p", "size=" + ",".join(map(str, args.sizes)), "-p", "kernels=vector"]
    return "ElementwiseBenchmark\\.(%s)$" % methods, params


def run_jmh(args, suite):
    regex, params = jmh_regex_and_params(args, suite)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    ms = "%dms" % int(args.iteration * 1000)
    warm_ms = "%dms" % int((args.jmh_warmup or args.iteration) * 1000)
    lock = ["-Djmh.ignoreLock=true"] if args.ignore_jmh_lock else []
    cmd = [args.java, *args.jvm_flag, *lock, "-jar", args.jar, regex, *params, "-f", "1", "-wi", str(args.warmup),
           "-w", warm_ms,
           "-i", str(args.iterations), "-r", ms, "-rf", "json", "-rff", out]
    quiet = None if args.verbose else subprocess.DEVNULL
    subprocess.run(cmd, check=True, stdout=quiet, stderr=quiet)
    runs = json.load(open(out))
    os.unlink(out)
    rows = {}
    sizes = {name: 2.0 * m * n * k / 1e9 for name, m, n, k, _, _ in gemm_shapes()}
    for run in runs:
        method = run["benchmark"].rsplit(".", 1)[1]
        p = run.get("params", {})
        metric = run["primaryMetric"]
        scale = {"ns/op": 1e-9, "us/op": 1e-6, "ms/op": 1e-3, "s/op": 1.0}[metric["scoreUnit"]]
        best = min(x for fork in metric["rawData"] for x in fork) * scale
        threads = int(p.get("threads", 1))
        if args.clock == "cpu" and threads == 1:
            cpu, calls = run["secondaryMetrics"]["cpuNanos"], run["secondaryMetrics"]["calls"]
            best = min(c / n for fc, fn in zip(cpu["rawData"], calls["rawData"]) for c, n in zip(fc, fn) if n) * 1e-9
        if suite == "gemm":
            dtype = "float32" if method == "sgemm" else "float64"
            rows[(int(p["threads"]), "%s %s" % (dtype, p["shape"]))] = sizes[p["shape"]] / best
        else:
            op = next(o for o, ms_ in JMH_METHODS.items() if method in ms_)
            form = FORMS[JMH_METHODS[op].index(method)]
            rows[(1, "%s %s %s" % (op, p["size"], form))] = int(p["size"]) / 1e9 / best
    return rows


# ---------------------------------------------------------------------------------------------
# --method alternating: long-lived timing servers (vecgrad's JVM, a Python per peer thread count),
# short blocks of each side alternating within one row.

SERVER = "dev.vecgrad.bench.alternating.TimingServer"
# The side of a GEMM row timed with one and two threads that runs two independent one-thread products at once in
# vecgrad's JVM: its rate over vecgrad's one-thread rate is what two threads reach with no split at all.
PAIR = "vecgrad pair"


class ChildError(Exception):
    """A timing server died, hung or refused a command."""


class Child:
    """A timing server process spoken to one command line at a time (one JSON line back)."""

    def __init__(self, label, cmd, env=None, timeout=300.0):
        self.label, self.timeout = label, timeout
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True, bufsize=1)

    def ask(self, command):
        try:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            self.fail("exited before '%s'" % command)
        while True:
            ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
            if not ready:
                self.proc.kill()
                self.fail("gave no reply to '%s' within %.0f s" % (command, self.timeout))
            line = self.proc.stdout.readline()
            if not line:
                self.fail("exited (code %s) on '%s'" % (self.proc.wait(), command))
            if line.startswith("{"):   # anything else on stdout (a JVM warning) is not a reply
                break
        reply = json.loads(line)
        if "error" in reply:
            self.fail(reply["error"])
        return reply

    def cpu_ns(self):
        """CPU time of every thread of the process so far (Linux's per-thread schedstat), or None where unreadable."""
        total = 0
        try:
            for task in os.listdir("/proc/%d/task" % self.proc.pid):
                with open("/proc/%d/task/%s/schedstat" % (self.proc.pid, task)) as f:
                    total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return total

    def settle(self, cap=1.0):
        """Waits (at most `cap` seconds) until the process has stopped using CPU: a BLAS whose threads spin for a
        while after a call (OpenBLAS's do, for about 0.1 s), or a JIT or collector still at work, would otherwise
        take a core from the next block, which belongs to another process."""
        start, before = time.time(), self.cpu_ns()
        while before is not None and time.time() - start < cap:
            time.sleep(0.02)
            now = self.cpu_ns()
            if now is None or now - before < 2000000:
                break
            before = now
        return time.time() - start

    def pin(self, cpus):
        """Lets every thread of the process run on `cpus` only (threads it starts later inherit the mask of the
        thread that starts them); a thread that ends meanwhile is skipped."""
        try:
            tasks = os.listdir("/proc/%d/task" % self.proc.pid)
        except OSError:
            return
        for task in tasks:
            try:
                os.sched_setaffinity(int(task), cpus)
            except OSError:
                pass

    def fail(self, why):
        self.stderr.seek(0)
        tail = self.stderr.read().decode(errors="replace").splitlines()[-30:]
        raise ChildError("%s: %s%s" % (self.label, why, "".join("\n  | " + x for x in tail)))

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


def own_cpu_ns(children):
    """CPU time so far of this script and of `children` (Child objects, those not running skipped), or None where a
    running child's is unreadable."""
    t = os.times()
    total = (t.user + t.system) * 1e9
    for child in children:
        if child is None or child.proc.poll() is not None:
            continue
        ns = child.cpu_ns()
        if ns is None:
            return None
        total += ns
    return total


def jvm_flags(args, benchmarks):
    """{JMH benchmark: the flags its fork runs with}, read from the jar's benchmark list."""
    out = subprocess.run([args.java, "-cp", args.jar, SERVER, "--jvm-flags", *benchmarks],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise ChildError("cannot read the benchmarks' JVM flags from %s:\n%s" % (args.jar, out.stderr))
    return json.loads(out.stdout.strip().splitlines()[-1])


def proc_stat_ticks(text):
    """{"cpuN": (steal ticks, all ticks)} for every vCPU line of /proc/stat's text (user, nice, system, idle,
    iowait, irq, softirq and steal; guest time is inside user already)."""
    ticks = {}
    for line in text.splitlines():
        w = line.split()
        if len(w) >= 9 and w[0].startswith("cpu") and w[0][3:].isdigit():
            v = [int(x) for x in w[1:9]]
            ticks[w[0]] = (v[7], sum(v))
    return ticks


def proc_stat_busy_ns(text):
    """The nanoseconds every vCPU together has spent running anything (user, nice, system, irq and softirq) since
    boot, from /proc/stat's text; None without a "cpu" line."""
    for line in text.splitlines():
        w = line.split()
        if len(w) >= 8 and w[0] == "cpu":
            v = [int(x) for x in w[1:8]]
            return (v[0] + v[1] + v[2] + v[5] + v[6]) * 1e9 / os.sysconf("SC_CLK_TCK")
    return None


def others_share(before, after, cpus):
    """The share of the `cpus` vCPUs' time between two readings that processes outside this run used: all the
    machine's busy time ("busy_ns", proc_stat_busy_ns) less this run's own ("own_ns": this script, the timing
    servers and the probe), over the time that passed ("wall_ns") times the vCPUs; None where a reading lacks one.
    Another process run meanwhile (a build, a test suite started after a quiet lock was taken) slows two-thread
    blocks and pairs, timed by wall clock, while one-thread blocks, timed by their thread's CPU time, read as
    fast as ever. /proc/stat counts in ticks (10 ms on most kernels), so a round's share is good to about one
    tick over its length."""
    if any(x.get(key) is None for x in (before, after) for key in ("busy_ns", "own_ns", "wall_ns")):
        return None
    wall = (after["wall_ns"] - before["wall_ns"]) * cpus
    if wall <= 0:
        return None
    others = (after["busy_ns"] - before["busy_ns"]) - (after["own_ns"] - before["own_ns"])
    return max(0.0, others / wall)


def steal_fractions(before, after):
    """{"cpuN": the share of vCPU N's time the hypervisor gave to others} between two proc_stat_ticks readings."""
    out = {}
    for cpu, (steal, total) in after.items():
        if cpu in before and total > before[cpu][1]:
            out[cpu] = (steal - before[cpu][0]) / (total - before[cpu][1])
    return out


class VcpuProbe:
    """Each vCPU's speed now: a fixed loop timed in a helper process pinned to each vCPU in turn (loops a
    microsecond, the best of three), with /proc/stat's ticks so that two readings also give each vCPU's steal
    time between them. A virtual machine's vCPUs can each run at a fraction of their speed for a while (a host
    core shared with another guest), and a two-thread call waits for the slower one; rounds read in such a phase
    say little about the code measured."""

    def __init__(self, args):
        self.cpus = sorted(os.sched_getaffinity(0))
        self.child = Child("the vCPU calibration helper", [sys.executable, os.path.abspath(__file__),
                                                             "--child", "calibrate"], timeout=args.reply_timeout)

    def read(self):
        """{"speed": {"cpuN": loops a microsecond}, "ticks": proc_stat_ticks}."""
        speed = {}
        for cpu in self.cpus:
            reply = self.child.ask("cpu %d" % cpu)
            speed["cpu%d" % cpu] = 1000.0 * reply["loops"] / reply["ns"]
        try:
            with open("/proc/stat") as f:
                ticks = proc_stat_ticks(f.read())
        except OSError:
            ticks = {}
        return {"speed": speed, "ticks": ticks}

    def close(self):
        self.child.close()


def vcpu_phases(rounds, threshold, capacity_threshold=0.0):
    """Classifies rounds by the vCPU speeds read during them, and by the two-core capacity where it was read.

    rounds: [{"speeds": [{cpu: speed}, ...], "capacity": [fma2/fma1, ...] (two-thread rows only)}, ...] over the
    whole run, each round's readings in time order (before its first block, between blocks, after its last).
    Returns (the run's best speed, [{cpu: [each reading relative to that best]}], [clean]), a round being clean
    when every reading of every vCPU is at `threshold` of the best or more and every capacity reading of the round
    at `capacity_threshold` or more. One classification for every side of a round."""
    best = max(v for rd in rounds for reading in rd["speeds"] for v in reading.values())
    relative = [{cpu: [reading[cpu] / best for reading in rd["speeds"]] for cpu in sorted(rd["speeds"][0])}
                for rd in rounds]
    clean = [all(min(rel) >= threshold for rel in r.values())
             and min(rd.get("capacity") or [capacity_threshold]) >= capacity_threshold
             for r, rd in zip(relative, rounds)]
    return best, relative, clean


def clean_blocks(relative, threshold, capacity=None, capacity_threshold=0.0):
    """Classifies one round's blocks by the readings on either side of each.

    relative: {cpu: [reading relative to the run's best, in time order]} for one round, the readings taken before
    its first block, between blocks and after its last (one more than the blocks); capacity: the two-core capacity
    (fma2/fma1) read at the same moments, or None where it was not read. Returns [clean] in the order the blocks
    ran, a block being clean when both readings beside it are at `threshold` or more on every vCPU and their
    capacity at `capacity_threshold` or more: a vCPU that slows for a fraction of a second then costs the blocks
    next to that moment, not the whole round."""
    lows = [min(rel[i] for rel in relative.values()) for i in range(len(next(iter(relative.values()))))]
    ok = [low >= threshold and (capacity is None or capacity[i] >= capacity_threshold) for i, low in enumerate(lows)]
    return [before and after for before, after in zip(ok, ok[1:])]


def block_marks(phases, relative, clean, threshold, rule, capacity_threshold=0.0):
    """{(row, round, side, threads): clean} for every block of every round in `phases` (each with its "order": the
    [side, threads] of its blocks as they ran, and its "capacity" readings where taken). rule "round": every block
    of a round takes the round's classification (`clean`, from vcpu_phases); "block": each block its own
    (clean_blocks)."""
    marks = {}
    for ph, rel, round_clean in zip(phases, relative, clean):
        per_block = clean_blocks(rel, threshold, ph.get("capacity"), capacity_threshold) if rule == "block" \
            else [round_clean] * len(ph["order"])
        for (who, t), c in zip(ph["order"], per_block):
            marks[(ph["row"], ph["round"], who, t)] = c
    return marks


def kept_ratios(ratios, *clean):
    """The ratios of the rounds whose blocks are all clean: `clean` is one [clean per round] for each block a
    ratio divides."""
    return [r for r, *cs in zip(ratios, *clean) if all(cs)]


def two_over_one(two, one, clean):
    """One side's two-thread rate over its one-thread rate, round by round, summarised over every round and over
    the clean ones, and its best two-thread block over its best one-thread block (the nearest to two idle cores
    when the vCPUs change speed between blocks): {"rounds": [...], "all": (median, min, max), "clean": (median,
    min, max) or None, "clean_rounds": how many, "best": best / best}."""
    def summary(xs):
        return (median(xs), min(xs), max(xs)) if xs else None
    ratios = [a / b for a, b in zip(two, one)]
    kept = [r for r, c in zip(ratios, clean) if c]
    return {"rounds": ratios, "all": summary(ratios), "clean": summary(kept), "clean_rounds": len(kept),
            "best": max(two) / max(one)}


def alternating_rows(args, suites, coretypes):
    """(suite, row, JMH benchmark whose fork flags vecgrad's server takes, [(who, threads, coretype, command)]).

    who is "vecgrad", PAIR (two independent one-thread products at once, beside a row's one and two threads) or the
    peer's module (numpy, torch); command is the setup command less its name."""
    rows = []
    if "gemm" in suites:
        for dtype in args.dtypes:
            for name, m, n, k, ta, tb in gemm_shapes():
                spec = "gemm %s %d %d %d %s%s" % ("f32" if dtype == "float32" else "f64", m, n, k,
                                                 "t" if ta else "n", "t" if tb else "n")
                # Each side's thread counts run back to back: two threads over one is a ratio of neighbouring blocks.
                sides = [("vecgrad", t, None, "%s threads=%d" % (spec, t)) for t in args.threads]
                if 1 in args.threads and 2 in args.threads:
                    sides.append((PAIR, 2, None, "%s pair" % spec))
                sides += [(peer, t, ct, "%s %s" % (spec, peer)) for ct in coretypes["gemm"] for peer in ("numpy", "torch")
                          for t in args.threads]
                rows.append(("gemm", "%s %s" % (dtype, name), "dev.vecgrad.bench.GemmBenchmark.sgemm", sides))
    if "elementwise" in suites:
        for op in args.ops:
            for size in args.sizes:
                for form, method in zip(FORMS, JMH_METHODS[op]):
                    if method is None or form not in args.forms:
                        continue
                    spec = "elementwise %s %d" % (op, size)
                    peer_form = "kernel" if form == "kernel" else "op"
                    sides = [("vecgrad", 1, None, "%s %s" % (spec, form))]
                    sides += [(peer, 1, None, "%s %s %s" % (spec, peer_form, peer)) for peer in ("numpy", "torch")
                              if not (peer == "numpy" and op == "gelu")]
                    rows.append(("elementwise", "%s %d %s" % (op, size, form),
                                 "dev.vecgrad.bench.ElementwiseBenchmark." + method, sides))
    return rows


def block_cpus(threads, rnd, cpus):
    """The vCPUs a block of `threads` threads in round `rnd` (from 1) may run on, of the machine's `cpus` (sorted):
    one-thread blocks one vCPU, the same for both sides of a round and the next one each round, so that a round
    never times one side on a slower vCPU than the other; two-thread blocks all of them."""
    return set(cpus) if threads != 1 else {cpus[(rnd - 1) % len(cpus)]}


def block_rate(reply, work, cpu):
    """Work a nanosecond of one block (GFLOP/s or Gelem/s): by thread CPU time when `cpu`, else wall clock."""
    return work * reply["calls"] / (reply["cpu_ns"] if cpu else reply["wall_ns"])


def warm(child, name, work, args, seconds, blocks, row, who, t):
    """Runs blocks of `name` for at least `seconds`, and on while the block rate still rises (one of the last three
    blocks more than 2 % above the best before them) or, in vecgrad's JVM, the JIT has finished a compilation
    during the last three blocks; at most --warm-max seconds. C2 must have compiled every tile the row calls: until
    then those run in C1's code, where the Vector API is not intrinsified, at a fraction of their speed."""
    rates, jit, start = [], [], time.time()
    cpu = args.clock == "cpu" and t == 1
    while True:
        reply = child.ask("run %s %dms" % (name, args.block * 1000))
        reply["settle_s"] = child.settle()
        rates.append(block_rate(reply, work, cpu))
        jit.append(reply.get("jit_ms", 0))
        blocks.append(dict(reply, row=row, who=who, threads=t, round=0, work=work))
        spent = time.time() - start
        settled = len(rates) >= 4 and max(rates[-3:]) <= 1.02 * max(rates[:-3]) and jit[-1] == jit[-4]
        if spent >= args.warm_max or (spent >= seconds and settled):
            return


def run_alternating(args, suites, coretypes):
    """Measures every row with short blocks of each side alternating, and prints the ratio table."""
    rows = alternating_rows(args, suites, coretypes)
    flags = jvm_flags(args, sorted({r[2] for r in rows}))
    # Rows that share their JVM flags run in one JVM, one JVM at a time (the Tensor ops' pre-touched heap is large).
    order = sorted(range(len(rows)), key=lambda i: (tuple(flags[rows[i][2]]), i))
    peers, jvm, jvm_flags_now = {}, None, None
    figures = {}   # (threads, row) -> {who: [rate per round]}; who "vecgrad" or a peer's table name
    walls = {}     # (threads, row) -> {who: [wall-clock rate per round]}, for two threads over one
    blocks, kernels, info = [], {}, {}
    phases = []    # each round's vCPU readings: {"row", "round", "speeds": [{cpu: speed}], "steal": {cpu: share}}
    probe = VcpuProbe(args) if hasattr(os, "sched_setaffinity") else None
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_setaffinity") else None
    try:
        for idx in order:
            suite, row, bench, sides = rows[idx]
            if tuple(flags[bench]) != jvm_flags_now:
                if jvm is not None:
                    jvm.close()
                jvm_flags_now = tuple(flags[bench])
                cmd = [args.java, *jvm_flags_now, *args.jvm_flag, "-cp", args.jar, SERVER]
                jvm = Child("vecgrad's timing server (%s)" % " ".join(cmd), cmd, timeout=args.reply_timeout)
                info["vecgrad"] = jvm.ask("info")
                info.setdefault("jvm_flags", {})[bench] = list(jvm_flags_now) + args.jvm_flag
            names = []
            for j, (who, t, ct, command) in enumerate(sides):
                if who in ("vecgrad", PAIR):
                    child = jvm
                else:
                    if (t, ct) not in peers:
                        cmd = [args.python, os.path.abspath(__file__), "--child", "serve", "--threads", str(t)]
                        peers[(t, ct)] = Child("the peers' timing server (%d threads, OPENBLAS_CORETYPE=%s)" % (t, ct),
                                               cmd, env=peer_env(args, t, ct), timeout=args.reply_timeout)
                        kernels[ct] = peers[(t, ct)].ask("info")["openblas"]
                    child = peers[(t, ct)]
                name = "r%ds%d" % (idx, j)
                reply = child.ask("setup %s %s" % (name, command))
                label = who if who in ("vecgrad", PAIR) else reply["peer"] + ("" if ct is None else " [%s]" % ct)
                names.append((child, name, reply["work"], label, t))
            print("%s %-28s warming up (%s)" % (suite, row, time.strftime("%H:%M:%S")), file=sys.stderr, flush=True)
            for child, name, work, label, t in names:
                if cpus:
                    child.pin(set(cpus))
                warm(child, name, work, args, args.warm if label in ("vecgrad", PAIR) else args.peer_warm, blocks, row,
                     label, t)
            capacity = probe is not None and args.clean_capacity > 0 and len(probe.cpus) >= 2 and any(
                t >= 2 for _, _, _, _, t in names)

            def reading():
                """The vCPU probe's reading, on two-thread rows the vecgrad JVM's capacity beside it (its threads
                free to run on every vCPU again: a one-thread block before it pinned them to one), and the CPU time
                the machine and this run have used so far (others_share)."""
                got = probe.read()
                if capacity:
                    if cpus:
                        jvm.pin(set(cpus))
                    got["capacity"] = jvm.ask("capacity")
                got["own_ns"] = own_cpu_ns([jvm, probe.child] + list(peers.values()))
                got["wall_ns"] = time.monotonic_ns()
                try:
                    with open("/proc/stat") as f:
                        got["busy_ns"] = proc_stat_busy_ns(f.read())
                except OSError:
                    got["busy_ns"] = None
                return got

            for r in range(args.rounds):
                readings = [reading()] if probe else []
                order = names if r % 2 == 0 else names[::-1]
                for child, name, work, label, t in order:
                    if cpus:
                        child.pin(block_cpus(t, r + 1, cpus))
                    reply = child.ask("run %s %dms" % (name, args.block * 1000))
                    reply["settle_s"] = child.settle()
                    blocks.append(dict(reply, row=row, who=label, threads=t, round=r + 1, work=work,
                                       cpus=sorted(block_cpus(t, r + 1, cpus)) if cpus else None))
                    cpu = args.clock == "cpu" and t == 1
                    figures.setdefault((t, row), {}).setdefault(label, []).append(block_rate(reply, work, cpu))
                    walls.setdefault((t, row), {}).setdefault(label, []).append(block_rate(reply, work, False))
                    if probe:
                        readings.append(reading())
                if probe:
                    phases.append({"row": row, "round": r + 1, "speeds": [x["speed"] for x in readings],
                                   "order": [[label, t] for _, _, _, label, t in order],
                                   "steal": steal_fractions(readings[0]["ticks"], readings[-1]["ticks"]),
                                   "others": others_share(readings[0], readings[-1], len(probe.cpus))})
                    if capacity:
                        phases[-1]["fma1"] = [x["capacity"]["fma1"] for x in readings]
                        phases[-1]["fma2"] = [x["capacity"]["fma2"] for x in readings]
            for child, name, _, _, _ in names:
                child.ask("drop " + name)
    except ChildError as e:
        print("stopped: %s" % e, file=sys.stderr)
        report_alternating(args, suites, rows, figures, walls, blocks, kernels, info, phases)
        sys.exit(1)
    finally:
        for child in list(peers.values()) + ([jvm] if jvm else []) + ([probe] if probe else []):
            child.close()
    report_alternating(args, suites, rows, figures, walls, blocks, kernels, info, phases)


def capacity_readings(phases):
    """Sets each phase's "capacity" (where the two-core capacity was read): every reading's two-thread FMA rate
    ("fma2") over the run's best one-thread rate ("fma1"), about 2.0 with two idle cores. The run's best rather than
    the same reading's one-thread rate, as for the vCPU speeds: a one-thread loop that happened to run on a slow vCPU
    would otherwise make a poor pair look fine (readings of 2.5 were seen). Returns that best, or None."""
    ones = [x for ph in phases for x in ph.get("fma1", [])]
    if not ones:
        return None
    best = max(ones)
    for ph in phases:
        if "fma2" in ph:
            ph["capacity"] = [x / best for x in ph["fma2"]]
    return best


def median(xs):
    s = sorted(xs)
    return (s[(len(s) - 1) // 2] + s[len(s) // 2]) / 2


def report_alternating(args, suites, rows, figures, walls, blocks, kernels, info, phases):
    """The ratio table: each side's best block, and the median (min–max) of vecgrad / the best peer over the
    rounds, each round's blocks measured side by side, and the same over the clean blocks only (--clean-rule); for
    two threads over one, the same over every round and over the clean ones, with each round's vCPU speeds and
    steal time."""
    print()
    for ct, k in kernels.items():
        print("peers%s ran OpenBLAS %s" % ("" if ct is None else " [OPENBLAS_CORETYPE=%s]" % ct, k))
    if "vecgrad" in info:
        print("vecgrad: %s, Java %s%s" % (info["vecgrad"]["engine"], info["vecgrad"]["java"],
                                          "; extra JVM flags: " + " ".join(args.jvm_flag) if args.jvm_flag else ""))
    if args.avx2:
        print("peers: %s" % " ".join("%s=%s" % kv for kv in sorted(AVX2_PEER_ENV.items())))
    print("alternating blocks of %.0f ms in long-lived processes, %d rounds after a warm-up of at least %.1f s "
          "(peers %.1f s), each block once the previous side's process is idle, a round's one-thread blocks on one "
          "vCPU (both sides; the rounds take the vCPUs in turn); %s. vecgrad, peer: each side's best "
          "block; best peer: the peer with the higher median; ratio: the median over the rounds of vecgrad's block "
          "/ that peer's block of the same round, [min-max] beside it" % (
              args.block * 1000, args.rounds, args.warm, args.peer_warm,
              "one-thread rows by thread CPU time, two-thread rows by wall clock" if args.clock == "cpu"
              else "wall clock"))
    marks, best = {}, None
    if phases:
        capacity_readings(phases)
        best, relative, clean = vcpu_phases(phases, args.clean_speed, args.clean_capacity)
        marks = block_marks(phases, relative, clean, args.clean_speed, args.clean_rule, args.clean_capacity)
        for i, ph in enumerate(phases):
            if ph.get("others") is not None and ph["others"] > args.clean_others:
                clean[i] = False
                for who, t in ph["order"]:
                    marks[(ph["row"], ph["round"], who, t)] = False
        for ph, rel, c in zip(phases, relative, clean):
            ph["relative"], ph["clean"] = rel, c
            ph["clean_blocks"] = [marks[(ph["row"], ph["round"], who, t)] for who, t in ph["order"]]
        means = {cpu: median([sum(rel[cpu]) / len(rel[cpu]) for rel in relative]) for cpu in relative[0]}
        print()
        print("vCPU speed, a fixed loop pinned to each vCPU before every block and after a round's last: best %.2f "
              "loops/us; %d of %d rounds with every reading of every vCPU at %.2f of that or more (clean rounds); "
              "%d of %d blocks with the readings on both sides of them at that or more (clean blocks); median over "
              "the rounds of a vCPU's mean reading: %s" % (
                  best, sum(clean), len(clean), args.clean_speed,
                  sum(c for ph in phases for c in clean_blocks(ph["relative"], args.clean_speed, ph.get("capacity"),
                                                               args.clean_capacity)),
                  sum(len(ph["order"]) for ph in phases), ", ".join("%s %.2f" % kv for kv in sorted(means.items()))))
        caps = [x for ph in phases for x in ph.get("capacity", [])]
        if caps:
            print("two-core capacity, read in vecgrad's JVM beside every vCPU reading of the two-thread rows (fma2/fma1: "
                  "a register-only FMA loop on two threads at once over its best one-thread reading of the run, "
                  "%.1f GFLOP/s; about 2 with two idle cores): " % max(x for ph in phases for x in ph.get("fma1", [])) +
                  "median %.2f [%.2f-%.2f], %d of %d readings at %.2f or more (--clean-capacity); a round or block "
                  "with a reading below that is not clean" % (
                      median(caps), min(caps), max(caps), sum(x >= args.clean_capacity for x in caps), len(caps),
                      args.clean_capacity))
        print("clean rule: %s (%s)" % (args.clean_rule, {
            "round": "a block counts as clean when its whole round is",
            "block": "a block counts as clean when the readings on both sides of it are"}[args.clean_rule]))

    def clean_of(row, rounds, who, t):
        return [marks.get((row, r + 1, who, t), False) for r in range(rounds)]

    table = []
    for suite in suites:
        unit = "GFLOP/s" if suite == "gemm" else "Gelem/s"
        print()
        print("%-34s %3s %9s %9s  %-24s %7s %-13s %6s %s" % (
            suite + " [" + unit + "]", "thr", "vecgrad", "peer", "best peer", "ratio", "[min-max]",
            "GB/s" if suite == "elementwise" else "", "clean: ratio [min-max]     kept" if phases else ""))
        for s, row, _, _ in rows:
            for t in args.threads if s == "gemm" else [1]:
                figs = figures.get((t, row), {})
                peer_figs = {k: v for k, v in figs.items() if k not in ("vecgrad", PAIR)}
                if s != suite or "vecgrad" not in figs or not peer_figs:
                    continue
                vg = figs["vecgrad"]
                best_peer, pf = max(peer_figs.items(), key=lambda kv: median(kv[1]))
                ratios = [a / b for a, b in zip(vg, pf)]
                kept = kept_ratios(ratios, clean_of(row, len(ratios), "vecgrad", t),
                                   clean_of(row, len(ratios), best_peer, t))
                gbs = "%6.1f" % (max(vg) * ROW_BYTES[row.split()[0]]) if suite == "elementwise" else "%6s" % ""
                clean_text = ""
                if phases:
                    clean_text = "%6.2fx %-13s %d of %d" % (
                        median(kept), "[%.2f-%.2f]" % (min(kept), max(kept)), len(kept), len(ratios)) if kept \
                        else "%7s %-13s 0 of %d" % ("-", "", len(ratios))
                print("%-34s %3d %9.2f %9.2f  %-24s %6.2fx %-13s %s %s" % (
                    row, t, max(vg), max(pf), best_peer, median(ratios), "[%.2f-%.2f]" % (min(ratios), max(ratios)),
                    gbs, clean_text))
                table.append({"suite": suite, "row": row, "threads": t, "vecgrad": max(vg), "peer": max(pf),
                              "best_peer": best_peer, "ratio": median(ratios), "rounds": ratios,
                              "clean_ratio": median(kept) if kept else None, "clean_rounds": len(kept),
                              "peers": {k: max(v) for k, v in peer_figs.items()}})
    two_thread = []
    if "gemm" in suites and 1 in args.threads and 2 in args.threads:
        print()
        print("two threads / one thread, wall clock: the median [min-max] over the rounds of each side's two-thread "
              "block over its one-thread block of the same round, and its best two-thread block over its best "
              "one-thread block%s" % (
                  "; all rounds, and the clean ones only (%s)" % (
                      "one classification for every side" if args.clean_rule == "round"
                      else "rounds where both of the side's blocks are clean") if phases else ""))
        for s, row, _, _ in rows:
            two, one = walls.get((2, row), {}), walls.get((1, row), {})
            if s != "gemm" or "vecgrad" not in two or "vecgrad" not in one:
                continue
            rounds = len(two["vecgrad"])
            # PAIR's two independent products are read over vecgrad's one-thread block, as vecgrad's own two threads.
            sides = {who: two_over_one(two[who], one[base], [a and b for a, b in zip(clean_of(row, rounds, who, 2),
                                                                                    clean_of(row, rounds, base, 1))])
                     for who, base in sorted(((w, "vecgrad" if w == PAIR else w) for w in two),
                                             key=lambda wb: (wb[0] not in ("vecgrad", PAIR), wb[0] != "vecgrad", wb[0]))
                     if base in one}
            round_clean = [next((p["clean"] for p in phases if p["row"] == row and p["round"] == r + 1), False)
                           for r in range(rounds)]
            two_thread.append({"row": row, "clean": round_clean, "sides": sides})
            if not phases:
                print("  %-32s" % row + "".join("   %s %.2f [%.2f-%.2f] best/best %.2f" % (
                    who, *res["all"], res["best"]) for who, res in sides.items()))
                continue
            print("  %s: %d of %d rounds clean" % (row, sum(round_clean), rounds))
            for who, res in sides.items():
                print("    %-24s all %.2f [%.2f-%.2f]   best/best %.2f   clean %s (%d of %d rounds kept)" % (
                    who, *res["all"], res["best"], "%.2f [%.2f-%.2f]" % res["clean"] if res["clean"] else "-",
                    res["clean_rounds"], rounds))
            row_phases = [p for p in phases if p["row"] == row]
            caps = [x for p in row_phases for x in p.get("capacity", [])]
            if caps:
                print("    %-24s median %.2f [%.2f-%.2f] over the row's %d readings (fma2/fma1, the machine's own "
                      "two-thread ceiling now)" % ("two-core capacity", median(caps), min(caps), max(caps), len(caps)))
            cpus = sorted(phases[0]["speeds"][0])
            width = max(len(who) for who in sides) + 6
            print("    round  " + "".join("%-22s" % (cpu + " first/mean/last") for cpu in cpus)
                  + "".join("%-12s" % ("steal " + cpu) for cpu in cpus) + "%-8s" % "others"
                  + ("%-24s" % "fma2/fma1 min/mean/max" if caps else "") + "clean  "
                  + "".join("%-*s" % (width, "2/1 " + who) for who in sides))
            for r in range(rounds):
                ph = next((p for p in phases if p["row"] == row and p["round"] == r + 1), None)
                if ph is None:
                    continue
                print("    %-7d" % (r + 1)
                      + "".join("%-22s" % ("%.2f/%.2f/%.2f" % (ph["relative"][cpu][0], sum(ph["relative"][cpu])
                                                                 / len(ph["relative"][cpu]), ph["relative"][cpu][-1]))
                                for cpu in cpus)
                      + "".join("%-12s" % ("%.1f%%" % (100 * ph["steal"][cpu]) if cpu in ph["steal"] else "-")
                                for cpu in cpus)
                      + "%-8s" % ("%.0f%%" % (100 * ph["others"]) if ph.get("others") is not None else "-")
                      + ("%-24s" % ("%.2f/%.2f/%.2f" % (min(ph["capacity"]), sum(ph["capacity"]) / len(ph["capacity"]),
                                                         max(ph["capacity"]))) if ph.get("capacity") else
                         "%-24s" % "-" if caps else "")
                      + "%-7s" % ("yes" if ph["clean"] else "no")
                      + "".join("%-*s" % (width, "%.2f" % res["rounds"][r] if r < len(res["rounds"]) else "-")
                                for res in sides.values()))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"method": "alternating", "openblas": kernels, "vecgrad": info, "rows": table,
                       "two_over_one": two_thread, "clean_speed": args.clean_speed, "clean_rule": args.clean_rule,
                       "clean_capacity": args.clean_capacity, "clean_others": args.clean_others,
                       "vcpu_best": best, "vcpu": phases, "blocks": blocks}, f, indent=1)
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--method", default="alternating", choices=["alternating", "jmh"],
                    help="alternating (default): short blocks of each side in turn, in long-lived processes; "
                         "jmh: JMH forks for vecgrad, then the peers (see above)")
    ap.add_argument("--suite", default="gemm,elementwise", help="gemm, elementwise or both (default)")
    ap.add_argument("--rounds", type=int,
                    help="rounds of blocks (alternating, default 8) or of vecgrad's JMH run then the peers' (jmh, "
                         "default 2)")
    ap.add_argument("--block", type=float, default=0.1,
                    help="alternating: seconds a block of calls lasts at least (one call at least)")
    ap.add_argument("--warm", type=float, default=2.0,
                    help="alternating: seconds of vecgrad's warm-up per row at least; it goes on while the block "
                         "rate still rises (C2 compiling a tile the row calls)")
    ap.add_argument("--peer-warm", type=float, default=1.0,
                    help="alternating: the same for each peer (no JIT: their rate is flat after the first calls)")
    ap.add_argument("--warm-max", type=float, default=10.0, help="alternating: seconds a warm-up lasts at most")
    ap.add_argument("--clean-speed", type=float, default=0.8,
                    help="alternating: a round is clean when every reading of every vCPU during it is at this share "
                         "of the run's best reading or more (every ratio is given over all rounds and the clean "
                         "ones, see --clean-rule). The probe's readings of a vCPU at full speed spread by up to about 15 %%; "
                         "a vCPU at half speed reads about 0.5")
    ap.add_argument("--clean-rule", default="round", choices=["round", "block"],
                    help="alternating: which blocks the clean figures keep. round (default): the blocks of clean "
                         "rounds; block: every block whose readings just before and just after it are all at "
                         "--clean-speed or more, so that a vCPU slowing for a moment costs only the blocks beside "
                         "it. A ratio of two blocks is kept when both are")
    ap.add_argument("--clean-others", type=float, default=0.05,
                    help="alternating: the largest share of the vCPUs that processes outside the run may take over a "
                         "round for it (and its blocks) to count as clean")
    ap.add_argument("--clean-capacity", type=float, default=1.8,
                    help="alternating: on GEMM rows timed with two threads, vecgrad's JVM also reads the two-core "
                         "capacity beside every vCPU reading (fma2/fma1: a register-only FMA loop on two threads at "
                         "once over the run's best one-thread reading, about 2.0 on two idle cores), and a reading "
                         "below this ratio makes the blocks beside it (--clean-rule block) or its round (round) not "
                         "clean. Default 1.8; 0 reads no capacity. With --clean-speed 0 the capacity alone decides")
    ap.add_argument("--reply-timeout", type=float, default=300.0,
                    help="alternating: seconds to wait for a timing server's reply before stopping the run")
    ap.add_argument("--threads", default="1,2", help="GEMM thread counts (elementwise runs on one)")
    ap.add_argument("--dtype", default="float32,float64", help="GEMM element types")
    ap.add_argument("--shapes", help="GEMM rows to run, comma-separated: sq64, sq96, sq128, sq192, sq256, sq512, "
                                     "sq1024, sq2048, mlp_fwd, mlp_dW, mlp_dx (default: all but sq96 and sq192)")
    ap.add_argument("--sizes", default="1048576,16777216", help="elementwise sizes")
    ap.add_argument("--ops", default=",".join(ELEMENTWISE), help="elementwise ops")
    ap.add_argument("--forms", default=",".join(FORMS), help="elementwise forms: kernel, op, pool (default: all)")
    ap.add_argument("--warmup", type=int, default=5, help="warm-up iterations on each side")
    ap.add_argument("--iterations", type=int, default=8, help="timed iterations on each side")
    ap.add_argument("--iteration", type=float, default=0.4, help="seconds an iteration lasts at least")
    ap.add_argument("--jmh-warmup", type=float,
                    help="seconds each of vecgrad's JMH warm-up iterations lasts (default: --iteration). A large "
                         "Vector API loop runs interpreted, about a thousand times slower, until C2 has compiled it, "
                         "which can take a second or two: give the warm-up that long")
    ap.add_argument("--clock", choices=["wall", "cpu"],
                    help="wall time, or (one-thread rows only) the thread's CPU time on both sides: on a machine "
                         "shared with other work, CPU time leaves out the time spent waiting for a core (default: "
                         "cpu with --method alternating, wall with jmh)")
    ap.add_argument("--openblas-coretype", default="auto",
                    help="auto (see above), default (OpenBLAS's own choice only) or a kernel name to force")
    ap.add_argument("--jar", default=os.path.join(HERE, "target", "benchmarks.jar"))
    ap.add_argument("--java", default="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    ap.add_argument("--avx2", action="store_true",
                    help="measure both sides as on an AVX2 machine (see above)")
    ap.add_argument("--jvm-flag", action="append", default=[],
                    help="a flag for vecgrad's JVMs, inherited by JMH's forks (repeat for more)")
    ap.add_argument("--python", default="/usr/bin/python3", help="the Python that has NumPy and PyTorch")
    ap.add_argument("--json", help="also write every figure to this file")
    ap.add_argument("--verbose", action="store_true", help="show JMH's output")
    ap.add_argument("--ignore-jmh-lock", action="store_true",
                    help="run JMH even while another JMH holds its lock file (when something else already keeps "
                         "measurements apart)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    global SHAPES
    SHAPES = set(args.shapes.split(",")) if args.shapes else None
    known = ["sq%d" % s for s in sorted(SQUARE + SQUARE_ON_REQUEST)] + [s[0] for s in MLP]
    if SHAPES is not None and not SHAPES <= set(known):
        ap.error("--shapes: unknown %s (known: %s)" % (", ".join(sorted(SHAPES - set(known))), ", ".join(known)))
    if args.rounds is None:
        args.rounds = 8 if args.method == "alternating" else 2
    if args.clock is None:
        args.clock = "cpu" if args.method == "alternating" else "wall"
    args.threads = [int(x) for x in str(args.threads).split(",")]
    args.dtypes = args.dtype.split(",")
    args.sizes = [int(x) for x in args.sizes.split(",")]
    args.ops = args.ops.split(",")
    args.forms = args.forms.split(",")
    if args.child:
        args.threads = args.threads[0]
        child_main(args)
        return

    suites = args.suite.split(",")
    flags, amd = cpu_flags()
    if args.avx2:
        if "avx2" not in flags or "fma" not in flags:
            ap.error("--avx2: this CPU has no AVX2 with FMA")
        args.jvm_flag.append("-XX:UseAVX=2")
        flags = {f for f in flags if not f.startswith("avx512")}
    coretypes = {"gemm": [None], "elementwise": [None]}
    default_kernel = run_peer(args, "kernel", 1, None)["kernel"]
    print("OpenBLAS as NumPy loads it here, without OPENBLAS_CORETYPE: %s" % default_kernel)
    if "gemm" in suites:
        if args.avx2 and args.openblas_coretype == "auto":
            coretypes["gemm"] = [best_coretype(flags, amd)]
        elif args.openblas_coretype == "auto":
            arch = default_kernel.rsplit("(", 1)[-1].rstrip(")").lower()
            wanted = best_coretype(flags, amd)
            weak = arch in GENERIC_OPENBLAS or ("avx512f" in flags and arch not in AVX512_OPENBLAS) \
                or ("avx2" in flags and arch not in AVX2_OPENBLAS)
            if wanted and weak:
                print("  OpenBLAS did not pick a kernel for this CPU's widest vectors; the GEMM peers also run "
                      "with OPENBLAS_CORETYPE=%s, and the faster counts" % wanted)
                coretypes["gemm"] = [None, wanted]
        elif args.openblas_coretype != "default":
            coretypes["gemm"] = [args.openblas_coretype]

    if args.method == "alternating":
        run_alternating(args, suites, coretypes)
        return
    vg = {}       # (threads, row) -> [figure per round]
    peers = {}    # (threads, row) -> {peer: [figure per round]}
    kernels = {}
    for r in range(args.rounds):
        order = ["vecgrad", "peers"] if r % 2 == 0 else ["peers", "vecgrad"]
        for who in order:
            for suite in suites:
                print("round %d: %s %s (%s)" % (r + 1, who, suite, time.strftime("%H:%M:%S")), file=sys.stderr, flush=True)
                if who == "vecgrad":
                    for key, v in run_jmh(args, suite).items():
                        vg.setdefault(key, []).append(v)
                    continue
                for t in (args.threads if suite == "gemm" else [1]):
                    for ct in coretypes[suite]:
                        res = run_peer(args, suite, t, ct)
                        if suite == "gemm":
                            kernels[ct] = res["kernel"]
                        for row, figs in res["rows"].items():
                            for peer, v in figs.items():
                                name = peer + ("" if ct is None else " [%s]" % ct)
                                peers.setdefault((t, row), {}).setdefault(name, []).append(v)
                                if row.endswith(" op"):  # vecgrad's pooled op is compared with the same peer rows
                                    peers.setdefault((t, row[:-2] + "pool"), {}).setdefault(name, []).append(v)
        print("round %d of %d done" % (r + 1, args.rounds), file=sys.stderr)
        report(args, suites, vg, peers, kernels, r + 1)


def report(args, suites, vg, peers, kernels, rounds_done):
    """Prints the ratio table over the rounds so far (and writes --json): an interrupted run still
    leaves the figures of its finished rounds."""
    print()
    print("=== after round %d of %d ===" % (rounds_done, args.rounds))
    for ct, k in kernels.items():
        print("GEMM peers%s ran OpenBLAS %s" % ("" if ct is None else " [%s]" % ct, k))
    if args.jvm_flag:
        print("vecgrad's JVM flags: %s" % " ".join(args.jvm_flag))
    if args.avx2:
        print("peers: %s" % " ".join("%s=%s" % kv for kv in sorted(AVX2_PEER_ENV.items())))
    print("vecgrad: JMH, %s; best of %d rounds x %d iterations of %.1f s on each side, %s; "
          "ratio = vecgrad / best peer" % (args.jar, rounds_done, args.iterations, args.iteration,
                                           "thread CPU time (one-thread rows)" if args.clock == "cpu" else "wall clock"))
    table = []
    for suite in suites:
        unit = "GFLOP/s" if suite == "gemm" else "Gelem/s"
        print()
        print("%-34s %3s %9s %9s  %-24s %7s %6s  %s" % (suite + " [" + unit + "]", "thr", "vecgrad", "peer", "best peer",
                                                        "ratio", "GB/s" if suite == "elementwise" else "", "per-round ratios"))
        keys = [k for k in peers if (suite == "gemm") == (k[1].split()[0] in ("float32", "float64"))]
        for key in sorted(keys, key=lambda k: (k[0], row_order(k[1]))):
            if key not in vg:
                continue
            best_peer, figs = max(peers[key].items(), key=lambda kv: max(kv[1]))
            v = max(vg[key])
            p = max(figs)
            rounds = [vg[key][i] / max(f[i] for f in peers[key].values() if i < len(f))
                      for i in range(min(len(vg[key]), min(len(f) for f in peers[key].values())))]
            gbs = "%6.1f" % (v * ROW_BYTES[key[1].split()[0]]) if suite == "elementwise" else "%6s" % ""
            print("%-34s %3d %9.2f %9.2f  %-24s %6.2fx %s  %s" % (key[1], key[0], v, p, best_peer, v / p, gbs,
                                                                " ".join("%.2f" % x for x in rounds)))
            table.append({"suite": suite, "row": key[1], "threads": key[0], "vecgrad": v, "peer": p,
                          "best_peer": best_peer, "ratio": v / p, "rounds": rounds,
                          "peers": {k: max(f) for k, f in peers[key].items()}})
    if "gemm" in suites and 2 in args.threads and 1 in args.threads:
        print()
        print("two threads / one thread (each side's best two-thread figure over its best one-thread one; "
              "vecgrad's per-round ratios after the peers):")
        for key in sorted((k for k in vg if k[0] == 2), key=lambda k: row_order(k[1])):
            one = vg.get((1, key[1]))
            if one:
                line = "  %-32s vecgrad %5.2f" % (key[1], max(vg[key]) / max(one))
                for name, figs in sorted(peers.get(key, {}).items()):
                    peer_one = peers.get((1, key[1]), {}).get(name)
                    if peer_one:
                        line += "   %s %5.2f" % (name, max(figs) / max(peer_one))
                line += "   rounds " + " ".join("%.2f" % (two / o) for two, o in zip(vg[key], one))
                print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"openblas": kernels, "rows": table}, f, indent=1)
    sys.stdout.flush()


def row_order(row):
    parts = row.split()
    if parts[0] in ("float32", "float64"):
        names = [s[0] for s in gemm_shapes()]
        return (parts[0], names.index(parts[1]) if parts[1] in names else 99)
    return (ELEMENTWISE.index(parts[0]) if parts[0] in ELEMENTWISE else 99, int(parts[1]), parts[2])


if __name__ == "__main__":
    main()
