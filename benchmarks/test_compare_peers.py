#!/usr/bin/env python3
"""Tests of compare_peers.py's alternating driver: the order of a row's sides, the vCPU record's round and block
classifications, the ratios they keep, two threads over one, steal time, the vCPU a one-thread block is pinned to
and the calibration helper. Run with `python3 -m unittest discover -s benchmarks -p 'test_*.py'` (no NumPy
needed); the build runs them through dev.vecgrad.bench.ComparePeersScriptTest."""
import contextlib
import io
import os
import subprocess
import sys
import unittest
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_peers as cp  # noqa: E402


def speeds(cpu0, cpu1):
    return {"cpu0": cpu0, "cpu1": cpu1}


class VcpuPhasesTest(unittest.TestCase):
    # Four rounds of three readings each (before the first block, between blocks, after the last); the run's best
    # reading is 20.0 (cpu1, first reading of round 1).
    ROUNDS = [
        {"speeds": [speeds(19.0, 20.0), speeds(18.5, 19.0), speeds(18.0, 19.5)]},   # all >= 0.90: clean
        {"speeds": [speeds(19.0, 20.0), speeds(19.0, 19.0), speeds(18.0, 10.0)]},   # cpu1 at 0.50 last: not clean
        {"speeds": [speeds(19.0, 19.0), speeds(17.0, 19.0), speeds(19.0, 19.0)]},   # cpu0 at 0.85 between blocks
        {"speeds": [speeds(18.0, 18.0), speeds(18.0, 18.0), speeds(18.0, 18.0)]},   # exactly 0.90: clean
    ]

    def test_readings_are_relative_to_the_runs_best_over_every_vcpu(self):
        best, relative, _ = cp.vcpu_phases(self.ROUNDS, 0.9)
        self.assertEqual(best, 20.0)
        self.assertEqual(relative[0], {"cpu0": [0.95, 0.925, 0.90], "cpu1": [1.0, 0.95, 0.975]})
        self.assertEqual(relative[1]["cpu1"], [1.0, 0.95, 0.5])
        self.assertEqual(relative[2]["cpu0"], [0.95, 0.85, 0.95])

    def test_a_round_is_clean_when_every_reading_of_every_vcpu_is_at_the_threshold(self):
        _, _, clean = cp.vcpu_phases(self.ROUNDS, 0.9)
        self.assertEqual(clean, [True, False, False, True])
        _, _, clean = cp.vcpu_phases(self.ROUNDS, 0.8)
        self.assertEqual(clean, [True, False, True, True])

    def test_a_capacity_reading_below_its_threshold_makes_the_round_not_clean(self):
        # Both vCPUs read fast alone in rounds 1 and 4, but in round 4 two threads together got 1.2 of one.
        rounds = [dict(r) for r in self.ROUNDS]
        rounds[0]["capacity"] = [1.95, 1.9, 1.8]
        rounds[3]["capacity"] = [1.9, 1.2, 1.9]
        self.assertEqual(cp.vcpu_phases(rounds, 0.9, 1.8)[2], [True, False, False, False])
        # Rounds without capacity readings (one-thread rows) are classified by the vCPUs alone; 0 turns it off.
        self.assertEqual(cp.vcpu_phases(rounds, 0.9, 0.0)[2], [True, False, False, True])
        self.assertEqual(cp.vcpu_phases(self.ROUNDS, 0.9, 1.8)[2], [True, False, False, True])

    def test_a_vcpu_slow_over_the_whole_run_makes_no_round_clean(self):
        rounds = [{"speeds": [speeds(20.0, 11.0), speeds(19.5, 10.5)]} for _ in range(3)]
        self.assertEqual(cp.vcpu_phases(rounds, 0.8)[2], [False, False, False])


class CleanBlocksTest(unittest.TestCase):
    # One round of three blocks, so four readings: before the first block, between blocks, after the last.
    def test_a_block_is_clean_when_the_readings_on_both_sides_of_it_are(self):
        relative = {"cpu0": [0.95, 0.90, 0.50, 0.92], "cpu1": [1.0, 0.97, 0.99, 0.96]}
        # cpu0's slow reading sits between blocks 2 and 3: both lose it, block 1 keeps its round.
        self.assertEqual(cp.clean_blocks(relative, 0.8), [True, False, False])

    def test_the_slowest_vcpu_of_a_reading_decides(self):
        relative = {"cpu0": [0.95, 0.95, 0.95, 0.95], "cpu1": [0.70, 0.95, 0.95, 0.79]}
        self.assertEqual(cp.clean_blocks(relative, 0.8), [False, True, False])
        self.assertEqual(cp.clean_blocks(relative, 0.75), [False, True, True])

    def test_a_threshold_reading_is_clean(self):
        self.assertEqual(cp.clean_blocks({"cpu0": [0.8, 0.8]}, 0.8), [True])
        self.assertEqual(cp.clean_blocks({"cpu0": [0.8, 0.8]}, 0.8, [1.8, 1.8], 1.8), [True])

    def test_a_low_capacity_reading_costs_the_blocks_beside_it(self):
        # Every vCPU reads fast; the capacity between blocks 1 and 2 is 0.7: both of those blocks lose it.
        relative = {"cpu0": [0.95, 0.95, 0.95, 0.95], "cpu1": [1.0, 1.0, 1.0, 1.0]}
        self.assertEqual(cp.clean_blocks(relative, 0.8, [1.9, 0.7, 1.85, 1.9], 1.8), [False, False, True])
        self.assertEqual(cp.clean_blocks(relative, 0.8, None, 1.8), [True, True, True])


class BlockMarksTest(unittest.TestCase):
    # Two rounds of the same row, the second in reverse order (as the driver runs them): the slow reading between
    # the second and third block of each round falls beside different sides.
    PHASES = [
        {"row": "float32 sq512", "round": 1, "order": [["vecgrad", 1], ["NumPy", 1], ["PyTorch", 1]]},
        {"row": "float32 sq512", "round": 2, "order": [["PyTorch", 1], ["NumPy", 1], ["vecgrad", 1]]},
    ]
    RELATIVE = [{"cpu0": [1.0, 1.0, 0.4, 1.0]}, {"cpu0": [1.0, 1.0, 0.4, 1.0]}]

    def test_block_rule_marks_each_side_by_its_own_neighbours(self):
        marks = cp.block_marks(self.PHASES, self.RELATIVE, [False, False], 0.8, "block")
        self.assertEqual(marks[("float32 sq512", 1, "vecgrad", 1)], True)
        self.assertEqual(marks[("float32 sq512", 1, "NumPy", 1)], False)
        self.assertEqual(marks[("float32 sq512", 1, "PyTorch", 1)], False)
        self.assertEqual(marks[("float32 sq512", 2, "PyTorch", 1)], True)
        self.assertEqual(marks[("float32 sq512", 2, "NumPy", 1)], False)
        self.assertEqual(marks[("float32 sq512", 2, "vecgrad", 1)], False)

    def test_round_rule_gives_every_block_its_rounds_classification(self):
        marks = cp.block_marks(self.PHASES, self.RELATIVE, [True, False], 0.8, "round")
        self.assertEqual({k: v for k, v in marks.items() if k[1] == 1},
                         {("float32 sq512", 1, who, 1): True for who in ("vecgrad", "NumPy", "PyTorch")})
        self.assertEqual({k: v for k, v in marks.items() if k[1] == 2},
                         {("float32 sq512", 2, who, 1): False for who in ("vecgrad", "NumPy", "PyTorch")})

    def test_block_rule_reads_each_rounds_capacity(self):
        phases = [dict(self.PHASES[0], capacity=[1.9, 1.9, 1.9, 1.0]), dict(self.PHASES[1], capacity=[1.9] * 4)]
        relative = [{"cpu0": [1.0] * 4}, {"cpu0": [1.0] * 4}]
        marks = cp.block_marks(phases, relative, [False, True], 0.8, "block", 1.8)
        self.assertEqual([marks[("float32 sq512", 1, who, 1)] for who in ("vecgrad", "NumPy", "PyTorch")],
                         [True, True, False])
        self.assertTrue(all(marks[("float32 sq512", 2, who, 1)] for who in ("vecgrad", "NumPy", "PyTorch")))

    def test_thread_counts_of_one_side_are_marked_apart(self):
        phases = [{"row": "float32 sq1024", "round": 1, "order": [["vecgrad", 1], ["vecgrad", 2]]}]
        marks = cp.block_marks(phases, [{"cpu0": [0.9, 0.9, 0.3], "cpu1": [1.0, 1.0, 1.0]}], [False], 0.8, "block")
        self.assertEqual(marks, {("float32 sq1024", 1, "vecgrad", 1): True, ("float32 sq1024", 1, "vecgrad", 2): False})


class KeptRatiosTest(unittest.TestCase):
    def test_a_ratio_is_kept_when_every_block_it_divides_is_clean(self):
        ratios = [0.9, 1.1, 0.5, 1.0]
        self.assertEqual(cp.kept_ratios(ratios, [True, True, False, True], [True, False, True, True]), [0.9, 1.0])

    def test_no_clean_block_keeps_nothing(self):
        self.assertEqual(cp.kept_ratios([1.2, 0.8], [False, False], [True, True]), [])


class ReportTest(unittest.TestCase):
    ROW = "float32 sq512"
    ORDER = [["vecgrad", 1], ["vecgrad", 2], ["NumPy", 1], ["NumPy", 2]]

    def report(self, rule, others=None):
        """Two rounds of one GEMM row; cpu1 reads slow only between NumPy's one- and two-thread blocks of round 1,
        so the block rule drops those two blocks and the round rule the whole round; `others` is round 2's share
        of the vCPUs taken by other processes."""
        args = SimpleNamespace(block=0.1, rounds=2, warm=2.0, peer_warm=1.0, clock="cpu", jvm_flag=[], avx2=False,
                               clean_speed=0.8, clean_rule=rule, clean_capacity=1.8, clean_others=0.05, threads=[1, 2],
                               json=None)
        figures = {(1, self.ROW): {"vecgrad": [100.0, 120.0], "NumPy": [50.0, 100.0]},
                   (2, self.ROW): {"vecgrad": [190.0, 230.0], "NumPy": [60.0, 190.0]}}
        phases = [{"row": self.ROW, "round": 1, "order": self.ORDER, "steal": {},
                   "speeds": [speeds(10.0, 10.0), speeds(10.0, 10.0), speeds(10.0, 10.0), speeds(10.0, 4.0),
                              speeds(10.0, 10.0)]},
                  {"row": self.ROW, "round": 2, "order": self.ORDER[::-1], "steal": {}, "others": others,
                   "speeds": [speeds(10.0, 10.0)] * 5}]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cp.report_alternating(args, ["gemm"], [("gemm", self.ROW, "bench", [])], figures, figures, [], {}, {},
                                  phases)
        return out.getvalue()

    def test_round_rule_keeps_only_the_clean_round(self):
        text = self.report("round")
        self.assertIn("1 of 2 rounds with every reading", text)
        self.assertIn("6 of 8 blocks with the readings on both sides", text)
        self.assertRegex(text, r"float32 sq512 +1 .* 1\.20x \[1\.20-1\.20\] +1 of 2")
        self.assertIn("NumPy                    all 1.55 [1.20-1.90]   best/best 1.90   clean 1.90 [1.90-1.90] "
                      "(1 of 2 rounds kept)", text)

    def test_block_rule_keeps_the_blocks_away_from_the_slow_reading(self):
        text = self.report("block")
        # vecgrad's blocks of round 1 were away from the slow reading: its two-thread ratio keeps both rounds,
        # NumPy's keeps round 2 only, and so does the one-thread ratio of vecgrad over NumPy.
        self.assertIn("vecgrad                  all 1.91 [1.90-1.92]   best/best 1.92   clean 1.91 [1.90-1.92] "
                      "(2 of 2 rounds kept)", text)
        self.assertIn("(1 of 2 rounds kept)", text)
        self.assertRegex(text, r"float32 sq512 +1 .* 1\.20x \[1\.20-1\.20\] +1 of 2")


    def test_a_round_others_took_cpu_in_is_not_clean(self):
        text = self.report("block", others=0.2)
        # Round 2's blocks go too: vecgrad keeps round 1 only, NumPy nothing.
        self.assertIn("vecgrad                  all 1.91 [1.90-1.92]   best/best 1.92   clean 1.90 [1.90-1.90] "
                      "(1 of 2 rounds kept)", text)
        self.assertIn("(0 of 2 rounds kept)", text)
        self.assertRegex(text, r"\n    2 .* 20% ")
        self.assertNotIn("1 of 2 rounds clean", text.split("float32 sq512: ")[1])


class CapacityReportTest(unittest.TestCase):
    ROW = "float64 sq1024"
    ORDER = [["vecgrad", 1], ["vecgrad", 2], [cp.PAIR, 2], ["NumPy", 1], ["NumPy", 2]]

    def test_a_low_capacity_round_is_dropped_and_the_pair_is_read_over_one_thread(self):
        """Every vCPU reads fast in both rounds; in round 2 two threads together gave 1.0 of one thread at the reading
        after vecgrad's two-thread block. The round rule keeps round 1 only, for every side."""
        args = SimpleNamespace(block=0.1, rounds=2, warm=2.0, peer_warm=1.0, clock="cpu", jvm_flag=[], avx2=False,
                               clean_speed=0.8, clean_rule="round", clean_capacity=1.8, clean_others=0.05, threads=[1, 2],
                               json=None)
        figures = {(1, self.ROW): {"vecgrad": [100.0, 120.0], "NumPy": [50.0, 100.0]},
                   (2, self.ROW): {"vecgrad": [190.0, 150.0], "NumPy": [90.0, 110.0], cp.PAIR: [196.0, 200.0]}}
        # Two-thread FMA rates (GFLOP/s) over the run's best one-thread rate, 200 (round 1's third reading).
        phases = [{"row": self.ROW, "round": 1, "order": self.ORDER, "steal": {}, "speeds": [speeds(10.0, 10.0)] * 6,
                   "fma1": [190.0, 195.0, 200.0, 190.0, 190.0, 190.0], "fma2": [380.0, 390.0, 380.0, 370.0, 380.0, 380.0]},
                  {"row": self.ROW, "round": 2, "order": self.ORDER[::-1], "steal": {},
                   "speeds": [speeds(10.0, 10.0)] * 6, "fma1": [190.0, 190.0, 190.0, 100.0, 190.0, 190.0],
                   "fma2": [380.0, 380.0, 380.0, 200.0, 380.0, 380.0]}]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cp.report_alternating(args, ["gemm"], [("gemm", self.ROW, "bench", [])], figures, figures, [], {}, {},
                                  phases)
        text = out.getvalue()
        self.assertIn("1 of 2 rounds with every reading", text)
        self.assertIn("median 1.90 [1.00-1.95], 11 of 12 readings at 1.80 or more (--clean-capacity)", text)
        # The pair is not a peer: the two-thread ratio is vecgrad over NumPy.
        self.assertRegex(text, r"float64 sq1024 +2 +190\.00 +110\.00 +NumPy ")
        self.assertIn("vecgrad                  all 1.57 [1.25-1.90]   best/best 1.58   clean 1.90 [1.90-1.90] "
                      "(1 of 2 rounds kept)", text)
        self.assertIn("vecgrad pair             all 1.81 [1.67-1.96]   best/best 1.67   clean 1.96 [1.96-1.96] "
                      "(1 of 2 rounds kept)", text)
        self.assertIn("two-core capacity        median 1.90 [1.00-1.95] over the row's 12 readings", text)
        self.assertRegex(text, r"\n    1 .*1\.85/1\.90/1\.95 +yes")
        self.assertRegex(text, r"\n    2 .*1\.00/1\.75/1\.90 +no")


class CapacityReadingsTest(unittest.TestCase):
    def test_each_pair_is_read_over_the_runs_best_single_thread(self):
        # Round 2's second reading ran its one-thread loop slowly (100): its pair of 200 is 1.0 of the best single
        # thread (200), not 2.0 of its own.
        phases = [{"fma1": [180.0, 200.0], "fma2": [380.0, 390.0]}, {"fma1": [190.0, 100.0], "fma2": [370.0, 200.0]},
                  {"speeds": []}]
        self.assertEqual(cp.capacity_readings(phases), 200.0)
        self.assertEqual(phases[0]["capacity"], [1.9, 1.95])
        self.assertEqual(phases[1]["capacity"], [1.85, 1.0])
        self.assertNotIn("capacity", phases[2])

    def test_no_reading_gives_no_best(self):
        phases = [{"speeds": []}]
        self.assertIsNone(cp.capacity_readings(phases))
        self.assertEqual(phases, [{"speeds": []}])


class TwoOverOneTest(unittest.TestCase):
    def test_every_round_and_the_clean_ones(self):
        two, one = [180.0, 120.0, 190.0, 100.0], [100.0, 100.0, 100.0, 100.0]
        res = cp.two_over_one(two, one, [True, False, True, False])
        self.assertEqual(res["rounds"], [1.8, 1.2, 1.9, 1.0])
        self.assertEqual(res["all"], ((1.2 + 1.8) / 2, 1.0, 1.9))
        self.assertEqual(res["clean"], ((1.8 + 1.9) / 2, 1.8, 1.9))
        self.assertEqual(res["clean_rounds"], 2)
        # Best over best pairs blocks of different rounds: 190 (round 3) over 100.
        self.assertEqual(res["best"], 1.9)

    def test_best_over_best_takes_each_thread_count_at_its_fastest(self):
        # The fastest one-thread block (round 2) is not in the round of the fastest two-thread block (round 1).
        res = cp.two_over_one([200.0, 150.0], [90.0, 120.0], [False, False])
        self.assertAlmostEqual(res["best"], 200.0 / 120.0, places=12)
        self.assertEqual(res["all"], ((200.0 / 90.0 + 150.0 / 120.0) / 2, 150.0 / 120.0, 200.0 / 90.0))

    def test_no_clean_round_gives_no_clean_figure(self):
        res = cp.two_over_one([150.0], [100.0], [False])
        self.assertIsNone(res["clean"])
        self.assertEqual(res["clean_rounds"], 0)
        self.assertEqual(res["all"], (1.5, 1.5, 1.5))

    def test_one_classification_serves_every_side(self):
        # vecgrad and a peer lose the same round to a slow vCPU; both drop it, neither keeps it.
        clean = [True, True, False]
        vecgrad = cp.two_over_one([190.0, 185.0, 110.0], [100.0, 100.0, 100.0], clean)
        peer = cp.two_over_one([170.0, 175.0, 300.0], [100.0, 100.0, 100.0], clean)
        for got, want in ((vecgrad["clean"], (1.875, 1.85, 1.9)), (peer["clean"], (1.725, 1.7, 1.75))):
            for g, w in zip(got, want):
                self.assertAlmostEqual(g, w, places=12)
        self.assertEqual(vecgrad["clean_rounds"], peer["clean_rounds"])


class StealTest(unittest.TestCase):
    BEFORE = ("cpu  20 0 10 60 0 0 0 10 0 0\n"
              "cpu0 10 0 5 30 0 0 0 5 0 0\n"
              "cpu1 10 0 5 30 0 0 0 5 0 0\n"
              "intr 12345 0 0\n")
    AFTER = ("cpu  120 0 20 160 0 0 0 30 0 0\n"
             "cpu0 60 0 10 80 0 0 0 5 0 0\n"
             "cpu1 60 0 10 80 0 0 0 25 0 0\n"
             "intr 12399 0 0\n")

    def test_ticks_of_each_vcpu_line_only(self):
        self.assertEqual(cp.proc_stat_ticks(self.BEFORE), {"cpu0": (5, 50), "cpu1": (5, 50)})

    def test_steal_share_between_two_readings(self):
        steal = cp.steal_fractions(cp.proc_stat_ticks(self.BEFORE), cp.proc_stat_ticks(self.AFTER))
        self.assertEqual(steal, {"cpu0": 0.0, "cpu1": 20 / 125})

    def test_a_vcpu_missing_from_the_first_reading_or_without_ticks_has_no_share(self):
        after = cp.proc_stat_ticks(self.AFTER)
        self.assertEqual(cp.steal_fractions({"cpu0": (5, 155)}, after), {})


class OthersShareTest(unittest.TestCase):
    def test_busy_time_of_the_all_vcpus_line(self):
        hz = os.sysconf("SC_CLK_TCK")
        self.assertEqual(cp.proc_stat_busy_ns(StealTest.BEFORE), (20 + 10) * 1e9 / hz)
        self.assertIsNone(cp.proc_stat_busy_ns("cpu0 10 0 5 30 0 0 0 5 0 0\n"))

    def test_share_of_the_vcpus_that_others_used(self):
        before = {"busy_ns": 1.0e9, "own_ns": 0.5e9, "wall_ns": 0}
        after = {"busy_ns": 2.8e9, "own_ns": 2.0e9, "wall_ns": 1e9}
        self.assertAlmostEqual(cp.others_share(before, after, 2), 0.15)

    def test_no_share_without_a_reading_and_none_below_zero(self):
        before = {"busy_ns": 1.0e9, "own_ns": 0.5e9, "wall_ns": 0}
        self.assertIsNone(cp.others_share(before, dict(before, own_ns=None, wall_ns=1e9), 2))
        self.assertEqual(cp.others_share(before, {"busy_ns": 1.5e9, "own_ns": 1.2e9, "wall_ns": 1e9}, 2), 0.0)


class AlternatingRowsTest(unittest.TestCase):
    def test_each_sides_thread_counts_run_back_to_back(self):
        args = SimpleNamespace(dtypes=["float32"], threads=[1, 2])
        shapes, cp.SHAPES = cp.SHAPES, {"mlp_dx"}
        try:
            rows = cp.alternating_rows(args, ["gemm"], {"gemm": ["SkylakeX"]})
        finally:
            cp.SHAPES = shapes
        self.assertEqual(len(rows), 1)
        suite, row, bench, sides = rows[0]
        self.assertEqual((suite, row, bench), ("gemm", "float32 mlp_dx", "dev.vecgrad.bench.GemmBenchmark.sgemm"))
        self.assertEqual([(who, t, ct) for who, t, ct, _ in sides],
                         [("vecgrad", 1, None), ("vecgrad", 2, None), (cp.PAIR, 2, None), ("numpy", 1, "SkylakeX"),
                          ("numpy", 2, "SkylakeX"), ("torch", 1, "SkylakeX"), ("torch", 2, "SkylakeX")])
        self.assertEqual(sides[1][3], "gemm f32 128 784 256 nt threads=2")
        self.assertEqual(sides[2][3], "gemm f32 128 784 256 nt pair")
        self.assertEqual(sides[3][3], "gemm f32 128 784 256 nt numpy")

    def test_one_thread_runs_have_no_pair(self):
        args = SimpleNamespace(dtypes=["float64"], threads=[1])
        shapes, cp.SHAPES = cp.SHAPES, {"sq512"}
        try:
            rows = cp.alternating_rows(args, ["gemm"], {"gemm": [None]})
        finally:
            cp.SHAPES = shapes
        self.assertEqual([who for who, _, _, _ in rows[0][3]], ["vecgrad", "numpy", "torch"])


class BlockCpusTest(unittest.TestCase):
    def test_one_thread_rounds_take_the_vcpus_in_turn(self):
        self.assertEqual([cp.block_cpus(1, r, [0, 1]) for r in range(1, 5)], [{0}, {1}, {0}, {1}])
        self.assertEqual([cp.block_cpus(1, r, [2, 5, 7]) for r in range(1, 5)], [{2}, {5}, {7}, {2}])

    def test_two_thread_blocks_run_anywhere(self):
        self.assertEqual(cp.block_cpus(2, 1, [0, 1]), {0, 1})
        self.assertEqual(cp.block_cpus(2, 2, [2, 5, 7]), {2, 5, 7})


@unittest.skipUnless(hasattr(os, "sched_setaffinity") and os.path.isdir("/proc/self/task"), "Linux affinity only")
class ChildPinTest(unittest.TestCase):
    # A child with a second thread: pinning the child must reach every one of its threads, not only the first.
    CHILD = ("import sys, threading, time\n"
             "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
             "print('{\"ready\": true}', flush=True)\n"
             "sys.stdin.readline()\n")

    @staticmethod
    def allowed(pid):
        cpus = {}
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/status" % (pid, task)) as f:
                line = next(x for x in f if x.startswith("Cpus_allowed_list:"))
            cpus[task] = line.split(":", 1)[1].strip()
        return cpus

    def test_every_thread_gets_the_mask_and_then_all_vcpus_back(self):
        mine = sorted(os.sched_getaffinity(0))
        child = cp.Child("test child", [sys.executable, "-c", self.CHILD])
        try:
            self.assertTrue(child.ask("ready")["ready"])
            child.pin({mine[-1]})
            pinned = self.allowed(child.proc.pid)
            self.assertEqual(len(pinned), 2)
            self.assertEqual(set(pinned.values()), {str(mine[-1])})
            child.pin(set(mine))
            self.assertEqual({frozenset(os.sched_getaffinity(int(t))) for t in self.allowed(child.proc.pid)},
                             {frozenset(mine)})
        finally:
            child.close()
            child.proc.stdout.close()


class CalibrationHelperTest(unittest.TestCase):
    def test_pins_times_and_refuses_bad_commands(self):
        cpu = min(os.sched_getaffinity(0))
        out = subprocess.run([sys.executable, cp.__file__, "--child", "calibrate"], text=True, capture_output=True,
                             input="cpu %d\ncpu x\nfly 1\ncpu 99999\n" % cpu, timeout=60)
        replies = [cp.json.loads(x) for x in out.stdout.splitlines()]
        self.assertEqual(len(replies), 4)
        self.assertEqual((replies[0]["cpu"], replies[0]["loops"]), (cpu, cp.CALIBRATION_LOOPS))
        self.assertGreater(replies[0]["ns"], 0)
        self.assertIn("usage: cpu N", replies[1]["error"])
        self.assertIn("usage: cpu N", replies[2]["error"])
        self.assertIn("cpu 99999", replies[3]["error"])


if __name__ == "__main__":
    unittest.main()
