"""Trains the CLI trainer's recipes with PyTorch on the same bundled MNIST sample, for a
side-by-side wall-time and accuracy comparison with `./vecgrad train`.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        /usr/bin/python3 benchmarks/scripts/compare_mnist.py --model mlp --threads 1

Recipes (as the CLI's): mlp = Flatten, Dense 256 relu, Dense 128 relu, Dense 10; cnn = Conv 32 3x3
relu, MaxPool 2, Conv 64 3x3 relu, MaxPool 2, Flatten, Dense 128 relu, Dense 10; Adam 1e-3,
batch 128, cross-entropy from logits, inputs scaled to [0, 1], 10 epochs. train_seconds covers
the epochs only (as the CLI's figure does); cpu_seconds is the process CPU time over the same span.

--threads holds OpenBLAS to that many threads too (torch_threads.py says why); NumPy and PyTorch
are imported inside the functions so that this happens before either loads.
"""
import argparse
import gzip
import struct
import time

from torch_threads import torch_on


def read_idx(path):
    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(prefix):
    import numpy as np
    import torch

    x = read_idx(prefix + "-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = read_idx(prefix + "-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def model(kind):
    from torch import nn

    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, 10))
    return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="mlp", choices=["mlp", "cnn"])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--data", default="data/mnist/mnist10k")
    a = p.parse_args()
    torch = torch_on(a.threads)
    from torch import nn
    torch.manual_seed(a.seed)
    xtr, ytr = load(a.data + "-train")
    xte, yte = load(a.data + "-test")
    if a.model == "cnn":
        xtr, xte = xtr.unsqueeze(1), xte.unsqueeze(1)
    net = model(a.model)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(a.epochs):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            loss = loss_fn(net(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    with torch.no_grad():
        logits = net(xte)
        acc = (logits.argmax(1) == yte).float().mean().item()
        test_loss = loss_fn(logits, yte).item()
    print(f"torch {torch.__version__} model={a.model} threads={a.threads} "
          f"test_accuracy={acc:.4f} test_loss={test_loss:.4f} train_seconds={seconds:.1f} "
          f"cpu_seconds={cpu_seconds:.1f}")


if __name__ == "__main__":
    main()
