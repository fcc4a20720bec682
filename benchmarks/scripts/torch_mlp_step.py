"""Times PyTorch's training step of the MLP that MlpTrainStepBenchmark times, and the step's
matrix products alone, on this machine, so that vecgrad's figure has its reference from the
same machine and session.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 benchmarks/scripts/torch_mlp_step.py

One thread: --threads holds OpenBLAS to that many threads too (torch_threads.py says why). The
script prints the process CPU time beside the wall time, so a run that used more threads than
asked shows it.

The step: 784-256-128-10, ReLU, cross-entropy from logits, Adam 1e-3, one fixed random batch of
128 (zero_grad, forward, loss, backward, step), timed as the JMH benchmark is: --warmup-iterations
then --iterations of --seconds each, each iteration's mean time a step, and the mean over the
measured iterations. Training on one batch for that long drives the loss towards zero and the
gradients into denormal floats, which x86 handles slowly; the JMH benchmark does the same, so the
two are compared in the same regime (--flush-denormal shows how much of PyTorch's time it is).

The products: the eight matrix products such a step needs (three forward, three weight gradients,
two input gradients: the first layer's input needs none), as torch.mm calls with out=, timed the
same way. They are a floor for any step that uses the same BLAS.
"""
import argparse
import os
import statistics

from peer_timing import iterations
from torch_threads import torch_on


def report(name, results, extra=""):
    walls = [w for w, _ in results]
    cpus = [c for _, c in results]
    print(f"{name}_ms mean={statistics.mean(walls):.3f} min={min(walls):.3f} max={max(walls):.3f} "
          f"cpu_mean={statistics.mean(cpus):.3f}{extra}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup-iterations", type=int, default=3)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--flush-denormal", action="store_true")
    a = p.parse_args()
    torch = torch_on(a.threads)
    from torch import nn
    if a.flush_denormal:
        torch.set_flush_denormal(True)
    torch.manual_seed(7)
    b = a.batch

    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(b, 784)
    y = torch.randint(0, 10, (b,))

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    # (m, k, n) of each product, (m x k) times (k x n), with its output preallocated.
    shapes = [
        (b, 784, 256), (b, 256, 128), (b, 128, 10),      # forward: x W
        (784, b, 256), (256, b, 128), (128, b, 10),      # weight gradients: x^T dy
        (b, 10, 128), (b, 128, 256),                     # input gradients of layers 3 and 2: dy W^T
    ]
    ops = [(torch.rand(m, k), torch.rand(k, n), torch.empty(m, n)) for m, k, n in shapes]

    def products():
        for lhs, rhs, out in ops:
            torch.mm(lhs, rhs, out=out)

    flops = sum(2 * m * k * n for m, k, n in shapes)
    print(f"torch {torch.__version__} threads={a.threads} OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']} "
          f"batch={b} flush_denormal={a.flush_denormal} "
          f"iterations={a.warmup_iterations}+{a.iterations} x {a.seconds}s")
    steps = iterations(step, a.warmup_iterations, a.iterations, a.seconds)
    report("train_step", steps)
    prods = iterations(products, a.warmup_iterations, a.iterations, a.seconds)
    best = min(w for w, _ in prods)
    report("products", prods, f" ({flops / 1e6:.1f} MFLOP, {flops / (best * 1e6):.1f} GFLOP/s at the min)")


if __name__ == "__main__":
    main()
