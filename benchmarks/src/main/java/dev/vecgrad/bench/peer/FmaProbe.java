package dev.vecgrad.bench.peer;

import dev.vecgrad.bench.FmaLoop;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The core's arithmetic speed right now: {@link FmaLoop}, vector fused multiply-adds on registers
 * only, for about a twentieth of a millisecond, timed by the thread's CPU time. It touches no
 * memory, so it reads a host that shares the core's arithmetic units (a busy hyper-thread sibling)
 * and not one that shares only the caches or memory: a product that slows while this reading does
 * not has lost to the memory side.
 */
final class FmaProbe {
    /** Iterations of one timed loop. */
    static final int ITERATIONS = 1 << 14;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Where the loops' results go, so that the JIT cannot drop them. */
    private static volatile float sink;

    private FmaProbe() {
    }

    /** Floating-point operations of one loop. */
    static double work() {
        return FmaLoop.work(ITERATIONS);
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
        sink = FmaLoop.chains(ITERATIONS);
        return work() / Math.max(1, THREADS.getCurrentThreadCpuTime() - t0);
    }
}
