"""PyTorch baseline for Conv2dBenchmark: the same two convolutions and backward kernels.

A batch of 64 28x28x1 images, conv 3x3 to 32 channels, then 3x3 to 64, VALID padding, no bias,
float32; forward alone, and forward plus the second layer's filter and input gradients and the
first layer's filter gradient (the images need no gradient). Both memory formats are timed:
PyTorch's default NCHW and channels_last (NHWC, as vecgrad); the faster is the baseline. Besides
wall-clock medians it prints the mean process CPU time a call (all threads), which a shared,
loaded machine inflates much less; Conv2dBenchmark reports the same as cpuNanos/calls.

Run with the machine's BLAS settings unset and passive OpenMP waits:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE \
        /usr/bin/python3 benchmarks/compare_conv.py [--threads 1 2] [--seconds 3]
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def measure(fn, seconds):
    """Median and minimum wall-clock ms, mean process CPU ms (all threads), and the call count."""
    for _ in range(5):
        fn()
    times = []
    cpu0 = time.process_time()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 10:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    cpu = (time.process_time() - cpu0) * 1e3 / len(times)
    return statistics.median(times), min(times), cpu, len(times)


def run(threads, memory_format, seconds):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(42)
    x = torch.rand(64, 1, 28, 28, generator=g).contiguous(memory_format=memory_format)
    w1 = (torch.randn(32, 1, 3, 3, generator=g) * 0.3).contiguous(memory_format=memory_format).requires_grad_()
    w2 = (torch.randn(64, 32, 3, 3, generator=g) * 0.06).contiguous(memory_format=memory_format).requires_grad_()
    dy2 = torch.randn(64, 64, 24, 24, generator=g).contiguous(memory_format=memory_format)

    def forward():
        with torch.no_grad():
            return F.conv2d(F.conv2d(x, w1), w2)

    def forward_backward():
        y2 = F.conv2d(F.conv2d(x, w1), w2)
        return torch.autograd.grad(y2, (w1, w2), dy2)

    return measure(forward, seconds), measure(forward_backward, seconds)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--seconds", type=float, default=3.0)
    a = p.parse_args()
    print(f"torch {torch.__version__}, mkldnn {torch.backends.mkldnn.is_available()}")
    for threads in a.threads:
        for name, fmt in (("nchw", torch.contiguous_format), ("channels_last", torch.channels_last)):
            (f_med, f_min, f_cpu, f_n), (fb_med, fb_min, fb_cpu, fb_n) = run(threads, fmt, a.seconds)
            print(f"threads={threads} {name:13s} forward {f_med:7.2f} ms (min {f_min:.2f}, cpu {f_cpu:.2f}, n={f_n})"
                  f"   forward+backward {fb_med:7.2f} ms (min {fb_min:.2f}, cpu {fb_cpu:.2f}, n={fb_n})")


if __name__ == "__main__":
    main()
