package dev.vecgrad.train;

import java.lang.management.ManagementFactory;

/** Heap allocation measured across all threads, for tests that bound what loading a file costs. */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Bytes allocated in the heap by every thread since the JVM started (an approximation, never decreasing). */
    public static long total() {
        return THREADS.getTotalThreadAllocatedBytes();
    }
}
