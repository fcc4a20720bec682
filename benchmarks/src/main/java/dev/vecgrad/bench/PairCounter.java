package dev.vecgrad.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary JMH results for a benchmark that times two variants in turn in each call: the
 * thread CPU time of each ({@code fitNanos}, {@code loopNanos}), summed over the iteration. Their
 * ratio compares the variants under the same load, call by call.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairCounter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU time of the first variant (read by JMH). */
    public long fitNanos;
    /** CPU time of the second variant (read by JMH). */
    public long loopNanos;

    /** Starts a new iteration's totals. */
    @Setup(Level.Iteration)
    public void clear() {
        fitNanos = 0;
        loopNanos = 0;
    }

    /** The current thread's CPU time in nanoseconds. */
    static long cpuNow() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Adds one call's times. */
    void add(long fit, long loop) {
        fitNanos += fit;
        loopNanos += loop;
    }
}
