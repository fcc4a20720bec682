"""Timing a peer's step as JMH times vecgrad's: iterations of a fixed length, warm-up ones first."""
import time


def iterations(fn, warmup, measured, seconds):
    """Calls fn for `seconds` per iteration, warmup + measured iterations; for each measured one,
    (wall ms a call, process CPU ms a call)."""
    results = []
    for i in range(warmup + measured):
        calls = 0
        start = time.perf_counter()
        cpu_start = time.process_time()
        while time.perf_counter() - start < seconds:
            fn()
            calls += 1
        wall = (time.perf_counter() - start) * 1e3 / calls
        cpu = (time.process_time() - cpu_start) * 1e3 / calls
        if i >= warmup:
            results.append((wall, cpu))
    return results
