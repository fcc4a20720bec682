package dev.vecgrad.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary JMH results: the benchmark thread's CPU time ({@code cpuNanos}), the whole JVM's CPU
 * time over the same calls ({@code processCpuNanos}: with the garbage collector's and compiler's
 * threads, comparable to a peer's process CPU time) and the units of work done ({@code units}:
 * ops, or calls). JMH sums both over the measured iterations, so their ratio
 * is the CPU time per unit. On a machine shared with other work, wall-clock scores grow with the
 * load while thread CPU time does not, so both are reported. Work on other threads (GC, a
 * kernel's worker threads) is not counted: compare single-threaded work only.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class CpuTimeCounter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Thread CPU time spent in the benchmark method during the iteration (read by JMH). */
    public long cpuNanos;
    /** CPU time of every thread of the JVM during the calls (read by JMH). */
    public long processCpuNanos;
    /** Units of work done during the iteration (read by JMH). */
    public long units;
    private long started;
    private long processStarted;

    /** Starts a new iteration's totals. */
    @Setup(Level.Iteration)
    public void clear() {
        cpuNanos = 0;
        processCpuNanos = 0;
        units = 0;
    }

    /** Marks the start of one call. */
    public void start() {
        processStarted = PROCESS.getProcessCpuTime();
        started = THREADS.getCurrentThreadCpuTime();
    }

    /** Marks the end of one call that did {@code work} units. */
    public void stop(long work) {
        cpuNanos += THREADS.getCurrentThreadCpuTime() - started;
        processCpuNanos += PROCESS.getProcessCpuTime() - processStarted;
        units += work;
    }
}
