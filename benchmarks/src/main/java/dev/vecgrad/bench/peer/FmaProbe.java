package dev.vecgrad.bench.peer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The core's arithmetic speed right now: a loop of vector fused multiply-adds on registers only,
 * {@value #CHAINS} independent chains (enough to cover the FMA latency of two pipes, few enough to
 * stay in 16 vector registers), about a tenth of a millisecond, timed by the thread's CPU time. It
 * touches no memory, so it reads a host that shares the core's arithmetic units (a busy
 * hyper-thread sibling) and not one that shares only the caches or memory: a product that slows
 * while this reading does not has lost to the memory side.
 */
final class FmaProbe {
    /** Independent accumulator chains. */
    static final int CHAINS = 10;
    /** Iterations of one timed loop. */
    static final int ITERATIONS = 1 << 15;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Where the loops' results go, so that the JIT cannot drop them. */
    private static volatile float sink;

    private FmaProbe() {
    }

    /** Floating-point operations of one loop. */
    static double work() {
        return 2.0 * ITERATIONS * CHAINS * SPECIES.length();
    }

    /**
     * Runs the loop until C2 has compiled it: at least {@code seconds} of it, and on while its best rate
     * still rises.
     *
     * @param seconds wall-clock seconds at least
     */
    static void warmUp(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        double best = 0;
        int flat = 0;
        while (System.nanoTime() < end || flat < 20) {
            double r = once();
            flat = r > 1.02 * best ? 0 : flat + 1;
            best = Math.max(best, r);
        }
    }

    /**
     * The best of three loops.
     *
     * @return GFLOP/s of the thread's CPU time
     */
    static double read() {
        return Math.max(once(), Math.max(once(), once()));
    }

    private static double once() {
        long t0 = THREADS.getCurrentThreadCpuTime();
        sink = loop(ITERATIONS, sink);
        return work() / Math.max(1, THREADS.getCurrentThreadCpuTime() - t0);
    }

    /** {@code c = c·m + a} on every chain: converges to 1, so no chain overflows or goes subnormal. */
    private static float loop(int iterations, float seed) {
        FloatVector m = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector a = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, seed);
        FloatVector c1 = c0.add(1f);
        FloatVector c2 = c0.add(2f);
        FloatVector c3 = c0.add(3f);
        FloatVector c4 = c0.add(4f);
        FloatVector c5 = c0.add(5f);
        FloatVector c6 = c0.add(6f);
        FloatVector c7 = c0.add(7f);
        FloatVector c8 = c0.add(8f);
        FloatVector c9 = c0.add(9f);
        for (int i = 0; i < iterations; i++) {
            c0 = c0.fma(m, a);
            c1 = c1.fma(m, a);
            c2 = c2.fma(m, a);
            c3 = c3.fma(m, a);
            c4 = c4.fma(m, a);
            c5 = c5.fma(m, a);
            c6 = c6.fma(m, a);
            c7 = c7.fma(m, a);
            c8 = c8.fma(m, a);
            c9 = c9.fma(m, a);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9)
                .reduceLanes(VectorOperators.ADD);
    }
}
