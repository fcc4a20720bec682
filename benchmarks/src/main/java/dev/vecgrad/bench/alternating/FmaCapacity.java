package dev.vecgrad.bench.alternating;

import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * How much of two cores the machine gives right now: a loop of fused multiply-adds on registers
 * only (no memory traffic, so nothing but the cores' arithmetic decides its speed), timed on one
 * thread and then on two threads at once. On a virtual machine each vCPU can read fast alone while
 * the two together get much less than two cores (a host that runs both on one physical core's
 * hyper-threads, or shares them with another guest); a two-thread product then loses whatever its
 * code does, and a probe that times one vCPU at a time does not see it. The ratio of the two
 * readings, {@code fma2 / fma1}, is about 2 on two idle cores and about 1 when the second thread
 * adds nothing.
 *
 * <p>The loop runs {@value #CHAINS} independent accumulator chains of the preferred float vector
 * species (more than the FMA units' latency times their count on current x86 cores, so it runs at
 * their throughput) for {@value #ITERATIONS} iterations: about a millisecond at full speed on a
 * core with two 512-bit FMA units.
 */
final class FmaCapacity implements AutoCloseable {
    /** Independent accumulator chains in the loop. */
    static final int CHAINS = 16;
    /** Iterations of one timed loop; each does {@value #CHAINS} vector FMAs. */
    static final long ITERATIONS = 1L << 19;
    /** Seconds of warm-up at least (C2 must have compiled the loop before a reading means anything). */
    private static final double WARM_SECONDS = 0.5;
    /** Seconds of warm-up at most. */
    private static final double WARM_MAX_SECONDS = 10;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Where the loops' results go, so that the JIT cannot drop them. */
    private static volatile float sink;

    private final TwoAtOnce pair = new TwoAtOnce();
    private boolean warm;

    /**
     * One reading.
     *
     * @param fma1 GFLOP/s of the loop on one thread alone
     * @param fma2 GFLOP/s of two threads at once: both loops' work over the slower one's time
     * @param first GFLOP/s of the calling thread's loop within the pair
     * @param second GFLOP/s of the partner thread's loop within the pair
     */
    record Reading(double fma1, double fma2, double first, double second) {
        /** {@code fma2 / fma1}: about 2 with two idle cores, about 1 when the second thread adds nothing. */
        double ratio() {
            return fma2 / fma1;
        }

        /** The reading as the timing server's JSON reply. */
        String json() {
            return String.format(Locale.ROOT, "{\"fma1\": %.3f, \"fma2\": %.3f, \"each\": [%.3f, %.3f], \"ratio\": %.4f}",
                    fma1, fma2, first, second, ratio());
        }
    }

    /** The floating-point operations of one timed loop (two per lane of each FMA). */
    static double work() {
        return 2.0 * ITERATIONS * CHAINS * SPECIES.length();
    }

    /**
     * Reads the capacity now: the best of two one-thread loops, then the best of two pairs of loops
     * started together (by the slower of each pair), right after an empty pair that wakes the partner
     * thread (so that it polls on a CPU of its own when the timed pairs start). The first call warms
     * the loop up first.
     *
     * @return the reading
     */
    Reading read() {
        if (!warm) {
            warmUp();
            warm = true;
        }
        long one = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long t0 = System.nanoTime();
            sink = chains(ITERATIONS);
            one = Math.min(one, System.nanoTime() - t0);
        }
        pair.run(() -> { }, () -> { });
        long[] best = null;
        for (int i = 0; i < 2; i++) {
            long[] ns = pair.run(() -> sink = chains(ITERATIONS), () -> sink = chains(ITERATIONS));
            if (best == null || Math.max(ns[0], ns[1]) < Math.max(best[0], best[1])) {
                best = ns;
            }
        }
        double w = work();
        return new Reading(w / one, 2 * w / Math.max(best[0], best[1]), w / best[0], w / best[1]);
    }

    /**
     * Runs short loops until C2 has compiled them: at least {@link #WARM_SECONDS}, and on while the
     * rate still rises (the fastest of the last 50 calls more than 2 % above the fastest before them).
     */
    private static void warmUp() {
        long iterations = ITERATIONS / 64;
        long start = System.nanoTime();
        long bestBefore = Long.MAX_VALUE;
        long bestRecent = Long.MAX_VALUE;
        int calls = 0;
        while (true) {
            long t0 = System.nanoTime();
            sink = chains(iterations);
            long now = System.nanoTime();
            bestRecent = Math.min(bestRecent, now - t0);
            if (++calls % 50 == 0) {
                double spent = (now - start) * 1e-9;
                boolean settled = bestRecent * 1.02 >= bestBefore;
                if (spent >= WARM_MAX_SECONDS || (spent >= WARM_SECONDS && settled)) {
                    return;
                }
                bestBefore = Math.min(bestBefore, bestRecent);
                bestRecent = Long.MAX_VALUE;
            }
        }
    }

    /**
     * {@code iterations} rounds of {@value #CHAINS} independent vector FMAs on registers; returns a
     * sum of the accumulators so that none is dead.
     */
    static float chains(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.5f);
        FloatVector b = FloatVector.broadcast(SPECIES, 0.25f);
        FloatVector c0 = FloatVector.zero(SPECIES);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        FloatVector c8 = c0;
        FloatVector c9 = c0;
        FloatVector c10 = c0;
        FloatVector c11 = c0;
        FloatVector c12 = c0;
        FloatVector c13 = c0;
        FloatVector c14 = c0;
        FloatVector c15 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = a.fma(b, c0);
            c1 = a.fma(b, c1);
            c2 = a.fma(b, c2);
            c3 = a.fma(b, c3);
            c4 = a.fma(b, c4);
            c5 = a.fma(b, c5);
            c6 = a.fma(b, c6);
            c7 = a.fma(b, c7);
            c8 = a.fma(b, c8);
            c9 = a.fma(b, c9);
            c10 = a.fma(b, c10);
            c11 = a.fma(b, c11);
            c12 = a.fma(b, c12);
            c13 = a.fma(b, c13);
            c14 = a.fma(b, c14);
            c15 = a.fma(b, c15);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .add(c12).add(c13).add(c14).add(c15).reduceLanes(VectorOperators.ADD);
    }

    /** Ends the partner thread. */
    @Override
    public void close() {
        pair.close();
    }
}
