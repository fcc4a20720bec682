#!/usr/bin/env python3
"""Turns a JMH JSON result (any time mode, us/op) of ElementwiseBenchmark / ReductionBenchmark into
elements per second, bytes per second and ratios to the copy baseline measured in the same run.

Usage: jmh_rates.py result.json
Bytes moved per element: copy and unary ops 8 (read 4, write 4), binary ops 12 (read 8, write 4),
sums 4 (read only), softmax 8. For sample mode the minimum (p0.00) is shown beside the mean: on a
busy machine the minimum is the better estimate of what the code costs.
"""
import json
import sys

BINARY = {"add", "addKernel", "mul", "mulKernel"}
READ_ONLY = {"sumAll", "sumAllKernel", "sumOverRows", "sumOverColumns"}


def bytes_per_element(name):
    if name in BINARY:
        return 12
    if name in READ_ONLY:
        return 4
    return 8


def main(path):
    runs = json.load(open(path))
    rows = []
    for r in runs:
        bench = r["benchmark"].rsplit(".", 2)
        cls, name = bench[-2], bench[-1]
        p = r.get("params", {})
        n = int(p["size"]) if "size" in p else int(p["rows"]) * int(p["cols"])
        m = r["primaryMetric"]
        mean = m["score"]
        pct = m.get("scorePercentiles", {})
        low = pct.get("0.0", mean)
        rows.append((cls, n, name, mean, low, m.get("scoreError", float("nan"))))
    base = {(c, n): (mean, low) for c, n, name, mean, low, _ in rows if name == "copyBaseline"}
    print(f"{'benchmark':<38}{'elements':>10}{'mean us':>11}{'min us':>10}{'Gelem/s':>9}{'GB/s':>8}"
          f"{'GB/s vs copy':>14}")
    for c, n, name, mean, low, err in sorted(rows, key=lambda t: (t[0], t[1], t[2])):
        b = bytes_per_element(name)
        ge = n / low / 1e3
        gb = n * b / low / 1e3
        bm, bl = base.get((c, n), (None, None))
        ratio = "" if bl is None else f"{gb / (n * 8 / bl / 1e3):.2f} (mean {n * b / mean / (n * 8 / bm):.2f})"
        print(f"{c + '.' + name:<38}{n:>10}{mean:>11.1f}{low:>10.1f}{ge:>9.2f}{gb:>8.1f}  {ratio}")


if __name__ == "__main__":
    main(sys.argv[1])
