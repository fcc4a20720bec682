package dev.vecgrad.bench.alternating;

import dev.vecgrad.bench.FmaLoop;
import java.util.Locale;

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
 * <p>The loop is {@link FmaLoop}, {@value #ITERATIONS} iterations: about a millisecond at full speed
 * on a core with two 512-bit FMA units.
 */
final class FmaCapacity implements AutoCloseable {
    /** Iterations of one timed loop; each does {@value FmaLoop#CHAINS} vector FMAs. */
    static final long ITERATIONS = 1L << 19;
    /** Seconds of warm-up at least (C2 must have compiled the loop before a reading means anything). */
    private static final double WARM_SECONDS = 0.5;
    /** Seconds of warm-up at most. */
    private static final double WARM_MAX_SECONDS = 10;
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
        return FmaLoop.work(ITERATIONS);
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
            sink = FmaLoop.chains(ITERATIONS);
            one = Math.min(one, System.nanoTime() - t0);
        }
        pair.run(() -> { }, () -> { });
        long[] best = null;
        for (int i = 0; i < 2; i++) {
            long[] ns = pair.run(() -> sink = FmaLoop.chains(ITERATIONS), () -> sink = FmaLoop.chains(ITERATIONS));
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
            sink = FmaLoop.chains(iterations);
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

    /** Ends the partner thread. */
    @Override
    public void close() {
        pair.close();
    }
}
