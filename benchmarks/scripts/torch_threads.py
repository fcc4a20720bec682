"""PyTorch on a given number of threads, really.

Debian's PyTorch does its matrix products in OpenBLAS, whose own threads torch.set_num_threads
does not limit: without OPENBLAS_NUM_THREADS a "one thread" run did its products on both cores
here (process CPU time twice the wall time). OpenBLAS reads the variable once, when it loads, so
call this before anything imports NumPy or PyTorch.
"""
import os


def torch_on(threads):
    """Sets OPENBLAS_NUM_THREADS and OMP_NUM_THREADS (unless set), then imports and returns torch."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, str(threads))
    import torch
    torch.set_num_threads(threads)
    return torch
